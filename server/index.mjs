// Opora's HTTP server: static files, security headers and the React Router request handler.
// A plain node:http server so that later work can add a second origin (SCORM content) and run
// several processes behind one port (see server/cluster.mjs).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { createRequestListener } from "@react-router/node";
import { createAdmission } from "./admission.mjs";
import { CONTENT_SECURITY_HEADERS, contentOriginPolicy, contentSecurityPolicy, isCrossSiteMutation, SECURITY_HEADERS } from "./security.mjs";
import { createStaticHandler } from "./static.mjs";

const CONTENT_PREFIX = "/scorm-content/";
const ATTEMPT_PATH = /^\/learn\/[^/]+\/attempt\//;
const QUIZ_PATH = /^\/learn\/[^/]+\/quiz\/[^/]+$/;

/**
 * Work a learner is in the middle of, which a busy process never turns away (server/admission.mjs):
 * everything of an open quiz attempt (its page, answers, submission, result) and the start of one
 * from the quiz page the learner already has. The health check is answered outside admission (null).
 * @param {import("node:http").IncomingMessage} req
 */
export function requestKind(req) {
  const path = (req.url ?? "/").split("?")[0].replace(/\.data$/, "");
  if (path === "/healthz") return null;
  return { inProgress: ATTEMPT_PATH.test(path) || (req.method === "POST" && QUIZ_PATH.test(path)) };
}

/**
 * @param {{ build: () => Promise<unknown> | unknown, clientDir?: string, publicUrl: string,
 *   contentOrigin?: string, viteMiddleware?: (req: any, res: any, next: () => void) => void,
 *   trustProxy?: number, log?: (line: string) => void, admission?: ReturnType<typeof createAdmission> }} options
 *   admission: shared with the process's content server (server/admission.mjs); none by default
 */
export function createOporaServer({ build, clientDir, publicUrl, contentOrigin, viteMiddleware, trustProxy = 0, log = () => {}, admission = createAdmission({ maxInFlight: 0 }) }) {
  const serveStatic = clientDir ? createStaticHandler(clientDir) : null;
  const publicOrigin = new URL(publicUrl).origin;
  // getLoadContext only sees the Fetch Request, so the per-request context travels in async storage.
  const requestContext = new AsyncLocalStorage();
  const handle = createRequestListener({
    build: withDatabaseGuard(build),
    mode: viteMiddleware ? "development" : "production",
    getLoadContext: () => requestContext.getStore(),
  });

  return createServer(async (req, res) => {
    const started = performance.now();
    const nonce = randomBytes(16).toString("base64");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, { dev: Boolean(viteMiddleware), frameSrc: contentOrigin }));
    res.on("finish", () => {
      if (res.statusCode >= 500) log(`${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });

    if (isCrossSiteMutation(req, publicOrigin)) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Cross-origin request refused.");
      return;
    }
    // SCORM packages run on the content origin only, never where the learner is signed in (the
    // routes check the site too: paths are matched case-insensitively and after decoding).
    if (isContentPath(req.url)) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Not found.");
      return;
    }
    if (serveStatic && (await serveStatic(req, res))) return;
    if (viteMiddleware) {
      const handled = await new Promise((resolve) => viteMiddleware(req, res, () => resolve(false)));
      if (handled !== false) return;
    }
    const run = () => requestContext.run({ cspNonce: nonce, clientIp: clientIp(req, trustProxy), site: "app" }, () => handle(req, res));
    const kind = requestKind(req);
    if (kind) admission.admit(req, res, run, kind);
    else run();
  });
}

/** Whether a request path is under /scorm-content/, however it is cased or percent-encoded. */
export function isContentPath(url) {
  const path = (url ?? "/").split("?")[0];
  try {
    return decodeURIComponent(path).toLowerCase().startsWith(CONTENT_PREFIX);
  } catch {
    return path.toLowerCase().startsWith(CONTENT_PREFIX);
  }
}

/**
 * The SCORM content origin (CONTENT_ORIGIN): a second listener, on another site than the app, that
 * answers only /scorm-content/ — package files, the runtime host page, its commits and the runtime
 * script — under a policy that lets authoring tools' inline script run and lets only the app frame it.
 * @param {{ build: () => Promise<unknown> | unknown, contentOrigin: string, appOrigin: string,
 *   runtimeDir: string, trustProxy?: number, log?: (line: string) => void, admission?: ReturnType<typeof createAdmission> }} options
 *   admission: the app server's; a SCORM session's requests are work in progress
 */
export function createContentServer({ build, contentOrigin, appOrigin, runtimeDir, trustProxy = 0, log = () => {}, admission = createAdmission({ maxInFlight: 0 }) }) {
  const requestContext = new AsyncLocalStorage();
  const handle = createRequestListener({ build: withDatabaseGuard(build), mode: "production", getLoadContext: () => requestContext.getStore() });
  const policy = contentOriginPolicy(appOrigin);
  let runtime = null;
  return createServer((req, res) => {
    for (const [name, value] of Object.entries(CONTENT_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader("Content-Security-Policy", policy);
    res.on("finish", () => {
      // Launch tokens are credentials: never in a log line.
      if (res.statusCode >= 500) log(`content ${req.method} ${(req.url ?? "").replace(/\/run\/[^/?]+/, "/run/…")} ${res.statusCode}`);
    });
    const path = (req.url ?? "/").split("?")[0];
    if (!path.startsWith(CONTENT_PREFIX) || !["GET", "HEAD", "POST"].includes(req.method ?? "")) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Not found.");
      return;
    }
    if (isCrossSiteMutation(req, contentOrigin)) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Cross-origin request refused.");
      return;
    }
    if (path === `${CONTENT_PREFIX}runtime.js`) {
      try {
        runtime ??= readFileSync(join(runtimeDir, "runtime.js"));
      } catch {
        res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("The SCORM runtime is not built: npm run build.");
        return;
      }
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" });
      res.end(req.method === "HEAD" ? undefined : runtime);
      return;
    }
    admission.admit(req, res, () => requestContext.run({ cspNonce: "", clientIp: clientIp(req, trustProxy), site: "content" }, () => handle(req, res)), { inProgress: true });
  });
}

/**
 * The build with every loader and action answering 503 + Retry-After while the database cannot be
 * reached (guardDatabaseErrors in app/entry.server.tsx). In development the build is a function
 * that returns the current one; each is wrapped once.
 * @template T
 * @param {T | (() => Promise<T> | T)} build
 */
export function withDatabaseGuard(build) {
  const guarded = new WeakMap();
  const guard = (current) => {
    const apply = current?.entry?.module?.guardDatabaseErrors;
    if (!apply) return current;
    if (!guarded.has(current)) guarded.set(current, apply(current));
    return guarded.get(current);
  };
  return typeof build === "function" ? async () => guard(await build()) : guard(build);
}

/** The client's address: the socket's, or the Nth address from the right of X-Forwarded-For. */
export function clientIp(req, trustProxy) {
  const socketIp = req.socket.remoteAddress ?? "unknown";
  if (!trustProxy) return socketIp;
  const forwarded = String(req.headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - trustProxy] ?? socketIp;
}
