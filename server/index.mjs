// Opora's HTTP server: static files, security headers and the React Router request handler.
// A plain node:http server so that later work can add a second origin (SCORM content) and run
// several processes behind one port (see server/cluster.mjs).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createRequestListener } from "@react-router/node";
import { contentSecurityPolicy, isCrossSiteMutation, SECURITY_HEADERS } from "./security.mjs";
import { createStaticHandler } from "./static.mjs";

/**
 * @param {{ build: () => Promise<unknown> | unknown, clientDir?: string, publicUrl: string,
 *   viteMiddleware?: (req: any, res: any, next: () => void) => void, trustProxy?: number,
 *   log?: (line: string) => void }} options
 */
export function createOporaServer({ build, clientDir, publicUrl, viteMiddleware, trustProxy = 0, log = () => {} }) {
  const serveStatic = clientDir ? createStaticHandler(clientDir) : null;
  const publicOrigin = new URL(publicUrl).origin;
  // getLoadContext only sees the Fetch Request, so the per-request context travels in async storage.
  const requestContext = new AsyncLocalStorage();
  const handle = createRequestListener({
    build,
    mode: viteMiddleware ? "development" : "production",
    getLoadContext: () => requestContext.getStore(),
  });

  return createServer(async (req, res) => {
    const started = performance.now();
    const nonce = randomBytes(16).toString("base64");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, { dev: Boolean(viteMiddleware) }));
    res.on("finish", () => {
      if (res.statusCode >= 500) log(`${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });

    if (isCrossSiteMutation(req, publicOrigin)) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Cross-origin request refused.");
      return;
    }
    if (serveStatic && (await serveStatic(req, res))) return;
    if (viteMiddleware) {
      const handled = await new Promise((resolve) => viteMiddleware(req, res, () => resolve(false)));
      if (handled !== false) return;
    }
    requestContext.run({ cspNonce: nonce, clientIp: clientIp(req, trustProxy) }, () => handle(req, res));
  });
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
