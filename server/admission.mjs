// Admission control. A process works on at most `maxInFlight` requests at a time and keeps the rest
// in line, first come first served. When the line already holds more than `maxWaitMs` of work, a
// new request gets an immediate 503 with Retry-After and `Opora-Busy: 1` instead, unless it is work
// in progress (a learner's open quiz attempt, SCORM commits), which always gets in line. Nothing of
// a request turned away ran, so the client may send it again exactly as it was
// (app/utils/busy-retry.ts does, in the browser). Without this, a crowd larger than the machine can
// serve made every request slow, until requests timed out waiting for a database connection
// mid-exam (docs/decisions/0018-admission-control.md).
import { createHash } from "node:crypto";

export const BUSY_HEADER = "Opora-Busy";

const MIN_RETRY_SECONDS = 2;
const CROWD_MEMORY_MS = 120_000;
const MAX_CROWD = 100_000;

/**
 * @param {{ maxInFlight?: number, maxWaitMs?: number, holdCapMs?: number, maxRetrySeconds?: number,
 *   maxInProgressInLine?: number, now?: () => number, random?: () => number, page?: BusyPage }} [options]
 *   maxInFlight: requests worked on at once (0: no limit); maxWaitMs: the work a new request may
 *   find ahead of it; holdCapMs: a response still going after this long (an export to a slow
 *   phone) stops counting; maxRetrySeconds: the longest Retry-After; maxInProgressInLine: the
 *   line's length beyond which work in progress too is turned away; page: the page a browser is
 *   shown instead (the app's busyPage, app/utils/busy-page.server.ts), else it gets the JSON answer.
 */
export function createAdmission({ maxInFlight = 8, maxWaitMs = 1000, holdCapMs = 10_000, maxRetrySeconds = 60, maxInProgressInLine = 5000, now = () => performance.now(), random = Math.random, page } = {}) {
  let inFlight = 0;
  /** @type {Array<Entry>} */
  const line = [];
  // Wall time a request holds its place (moving average): the line's length in milliseconds is
  // the requests ahead × this / maxInFlight.
  let holdMs = 20;
  // Clients turned away lately (by their cookies, else address) → when: the crowd still waiting.
  /** @type {Map<string, number>} */
  const crowd = new Map();
  const counts = { started: 0, queued: 0, turnedAway: 0 };

  /** @typedef {{ req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, run: () => unknown }} Entry */

  // A digest, so that the crowd never holds anyone's session cookie.
  const clientOf = (/** @type {import("node:http").IncomingMessage} */ req) =>
    createHash("sha256")
      .update(String(req.headers.cookie || req.socket?.remoteAddress || ""))
      .digest("base64url")
      .slice(0, 16);

  /** @param {Entry} entry */
  function start(entry) {
    inFlight++;
    counts.started++;
    const began = now();
    let done = false;
    const release = (/** @type {boolean} */ capped) => {
      if (done) return;
      done = true;
      clearTimeout(cap);
      inFlight--;
      if (!capped) holdMs += (now() - began - holdMs) * 0.05;
      next();
    };
    const cap = setTimeout(() => release(true), holdCapMs);
    cap.unref?.();
    entry.res.once("close", () => release(false));
    try {
      const result = entry.run();
      if (result && typeof (/** @type {Promise<unknown>} */ (result).catch) === "function") /** @type {Promise<unknown>} */ (result).catch(() => {});
    } catch {
      if (!entry.res.headersSent) entry.res.writeHead(500).end();
      release(false);
    }
  }

  function next() {
    while (inFlight < maxInFlight) {
      const entry = line.shift();
      if (!entry) return;
      // The client gave up while in line: nothing to do for it.
      if (entry.req.socket?.destroyed || entry.res.destroyed) continue;
      start(entry);
    }
  }

  /** Seconds until this client should come back: spread over the time the whole crowd needs. */
  function retryAfterSeconds(/** @type {string} */ client) {
    const at = now();
    crowd.delete(client);
    if (crowd.size >= MAX_CROWD) crowd.delete(crowd.keys().next().value);
    crowd.set(client, at);
    // Oldest first (insertion order): forget clients that have not been back for a while.
    for (const [key, seen] of crowd) {
      if (at - seen < CROWD_MEMORY_MS) break;
      crowd.delete(key);
    }
    const drainSeconds = (crowd.size * holdMs) / Math.max(1, maxInFlight) / 1000;
    const spread = Math.min(maxRetrySeconds - MIN_RETRY_SECONDS, drainSeconds);
    return Math.round(MIN_RETRY_SECONDS + random() * spread);
  }

  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  function turnAway(req, res) {
    counts.turnedAway++;
    const seconds = retryAfterSeconds(clientOf(req));
    const headers = { "Retry-After": String(seconds), [BUSY_HEADER]: "1", "Cache-Control": "no-store" };
    const json = () => {
      res.writeHead(503, { ...headers, "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: "busy", retryAfterSeconds: seconds }));
    };
    const path = (req.url ?? "/").split("?")[0];
    const wantsPage = page && String(req.headers.accept ?? "").includes("text/html") && !path.endsWith(".data");
    if (!wantsPage) return json();
    const { cookie, "accept-language": acceptLanguage } = req.headers;
    Promise.resolve(page({ cookie, "accept-language": acceptLanguage }, seconds, req.method === "GET")).then(
      (html) => {
        if (res.destroyed) return;
        res.writeHead(503, { ...headers, "Content-Type": "text/html; charset=utf-8" });
        res.end(req.method === "HEAD" ? undefined : html);
      },
      () => !res.destroyed && json(),
    );
  }

  return {
    /**
     * Runs `run` now, later in line, or answers 503 busy instead.
     * @param {import("node:http").IncomingMessage} req
     * @param {import("node:http").ServerResponse} res
     * @param {() => unknown} run
     * @param {{ inProgress?: boolean }} [kind] work in progress is not turned away (up to maxInProgressInLine)
     */
    admit(req, res, run, { inProgress = false } = {}) {
      const entry = { req, res, run };
      if (maxInFlight <= 0) return start(entry);
      // A client let in is no longer part of the crowd waiting outside.
      if (crowd.size) crowd.delete(clientOf(req));
      if (inFlight < maxInFlight && line.length === 0) return start(entry);
      const tooLong = inProgress ? line.length >= maxInProgressInLine : ((line.length + 1) * holdMs) / maxInFlight > maxWaitMs;
      if (tooLong) return turnAway(req, res);
      counts.queued++;
      line.push(entry);
    },
    stats: () => ({ maxInFlight, maxWaitMs, inFlight, inLine: line.length, holdMs, crowd: crowd.size, ...counts }),
  };
}

/**
 * @typedef {(headers: { cookie?: string, "accept-language"?: string }, seconds: number, reload: boolean) => string | Promise<string>} BusyPage
 *   reload: the request was a GET, which the page may send again by itself
 */

/**
 * The admission settings of a process from its environment (MAX_IN_FLIGHT, MAX_QUEUE_WAIT_MS).
 * @param {NodeJS.ProcessEnv} [env] @param {{ page?: BusyPage }} [options]
 */
export function admissionFromEnv(env = process.env, { page } = {}) {
  const number = (/** @type {string | undefined} */ value, /** @type {number} */ fallback, /** @type {string} */ name) => {
    if (value === undefined || value === "") return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number of 0 or more (got "${value}")`);
    return parsed;
  };
  return createAdmission({ maxInFlight: number(env.MAX_IN_FLIGHT, 8, "MAX_IN_FLIGHT"), maxWaitMs: number(env.MAX_QUEUE_WAIT_MS, 1000, "MAX_QUEUE_WAIT_MS"), page });
}
