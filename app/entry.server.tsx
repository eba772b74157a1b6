import { Transform, type TransformCallback } from "node:stream";
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
import { surviveDatabaseOutages } from "./utils/unhandled-rejections.server.ts";

// server/index.mjs applies this to the build it serves: "database unavailable" becomes a 503.
export { guardDatabaseErrors } from "./utils/database-unavailable.server.ts";

export const streamTimeout = 5_000;

/**
 * React's output, passed on once per batch it writes rather than per 4 KB piece: React calls
 * `flush()` after each batch (for compression streams), and here that sends what the batch wrote as
 * one chunk. A page that renders at once leaves in one socket write instead of eight or more; on
 * loopback each write costs the server about 0.1 ms of CPU (exam-steps, quiz page).
 */
class PerBatch extends Transform {
  #pieces: Buffer[] = [];
  #size = 0;

  override _transform(piece: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.#pieces.push(piece);
    this.#size += piece.length;
    done();
  }

  flush() {
    if (!this.#size) return;
    this.push(this.#pieces.length === 1 ? this.#pieces[0] : Buffer.concat(this.#pieces, this.#size));
    this.#pieces = [];
    this.#size = 0;
  }

  override _flush(done: TransformCallback) {
    this.flush();
    done();
  }
}

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
