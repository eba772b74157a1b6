import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import type { AppLoadContext, EntryContext } from "react-router";
import { ServerRouter } from "react-router";
import "./context.ts";
import { closeExpiredAttempts } from "./domain/quiz-attempts.server.ts";
import { jobHandlers } from "./jobs/handlers.server.ts";
import { startWorkers } from "./jobs/queue.server.ts";
import { RETRY_AFTER_SECONDS } from "./utils/database-unavailable.server.ts";
import { PerBatch } from "./utils/per-batch.server.ts";
import { surviveDatabaseOutages } from "./utils/unhandled-rejections.server.ts";

// server/index.mjs applies this to the build it serves: "database unavailable" becomes a 503.
export { busyPage } from "./utils/busy-page.server.ts";
export { guardDatabaseErrors } from "./utils/database-unavailable.server.ts";

export const streamTimeout = 5_000;

// Streams the page; every <script> React Router emits carries the CSP nonce of this response.
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, routerContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = loadContext?.cspNonce;
  // A route error's own headers reach the page only through a `headers` export; a 503 always says when to retry.
  if (responseStatusCode === 503) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const readyEvent = isbot(request.headers.get("user-agent") ?? "") || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={nonce} />, {
      nonce,
      [readyEvent]() {
        shellRendered = true;
        const body = new PerBatch();
        // The render is done with once the page has gone (or the client left): its abort timer
        // would otherwise keep the whole render alive for its six seconds.
        body.once("close", () => clearTimeout(timer));
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "private, no-store");
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error: unknown) {
        clearTimeout(timer);
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) console.error(error);
      },
    });
    timer = setTimeout(abort, streamTimeout + 1000);
  });
}

/** Client-side navigations and fetchers: a 503 says when to retry, as pages do. */
export function handleDataRequest(response: Response) {
  if (response.status === 503 && !response.headers.has("Retry-After")) response.headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return response;
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}

/**
 * Work the server process does besides answering requests (called by scripts/start.mjs through
 * build.entry.module). Safe in several processes at once: closing an attempt locks its row and is
 * idempotent. Survives the database going away and coming back (surviveDatabaseOutages).
 */
export function startBackgroundWork() {
  surviveDatabaseOutages();
  const sweep = () => closeExpiredAttempts().catch((error) => console.error("[sweep] closing expired quiz attempts failed:", error));
  const timer = setInterval(sweep, 60_000);
  timer.unref();
  sweep();
  const workers = startWorkers(jobHandlers()).catch((error) => {
    console.error("[jobs] could not start the job workers:", error);
    return async () => {};
  });
  return async () => {
    clearInterval(timer);
    await (await workers)();
  };
}
