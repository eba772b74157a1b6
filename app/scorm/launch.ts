// Contract between the server-rendered SCORM runtime host page (content origin), the runtime
// script running in it (runtime-client.ts) and the app's player page (parent window).
// Shared by server and browser code: no DOM, no Node APIs.

import type { LearnerSeed, ScormVersion } from "./cmi.ts";

/** Id of the `<script type="application/json">` element holding the LaunchData. */
export const LAUNCH_DATA_ELEMENT_ID = "opora-scorm-launch";
/** Id of the element the runtime puts the SCO iframe in. */
export const SCO_FRAME_HOLDER_ID = "opora-sco-frame-holder";
/** `source` of every message the runtime posts to the parent window. */
export const RUNTIME_MESSAGE_SOURCE = "opora-scorm";

export type RuntimeLocale = "sl" | "en";

/** What the host page tells the runtime about one SCO launch. */
export interface LaunchData {
  version: ScormVersion;
  attemptId: string;
  /**
   * Same-origin path with the launch token; commits are POSTed here (see CommitRecord in
   * runtime-outbox.ts). Never stored by the runtime.
   */
  commitUrl: string;
  /** Highest commit seq the server has acknowledged for this attempt (0: none). */
  ackSeq: number;
  /** learnerSeed() output, loaded into the API before Initialize. */
  seed: LearnerSeed;
  /** Same-origin path of the SCO's launch page. */
  scoUrl: string;
  /** The app's origin: the only target of postMessage. */
  parentOrigin: string;
  /** 2004: targets for which adl.nav.request_valid.choice answers "true". */
  scoItemIds: string[];
  autocommitSeconds: number;
  locale: RuntimeLocale;
  /** Optional: completes the SCO frame's accessible title. */
  scoTitle?: string;
}

/** Saving state; posted whenever one of the fields changes. */
export interface SaveStatus {
  /** A commit exists that the server has not acknowledged yet (stays true after "expired"). */
  pending: boolean;
  /** The last request failed at network level (or the browser reported going offline). */
  offline: boolean;
  /** Consecutive failed requests for the pending commit. */
  failedAttempts: number;
}

interface MessageBase {
  source: typeof RUNTIME_MESSAGE_SOURCE;
  /** Lets the parent ignore messages from a runtime it no longer shows. */
  attemptId: string | null;
}

/**
 * Messages the runtime posts to `parentOrigin`. The parent must also check `event.origin`
 * (the content origin) and `event.source` (its iframe's contentWindow). Every launch starts
 * with a "saving" message; if none arrives, the runtime did not start (e.g. bad launch data).
 */
export type RuntimeMessage = MessageBase &
  (
    /** `keptOnDevice`: false when this browser lets the runtime keep no copy (third-party storage blocked). */
    | ({ type: "saving"; keptOnDevice?: boolean } & SaveStatus)
    /** The server acknowledged commit `seq`; `stale` means it already had a newer one. */
    | { type: "saved"; seq: number; state: unknown; stale: boolean }
    /** The server refused commit `seq` for good (400 invalid, 413 too large, …); it was dropped. */
    | { type: "rejected"; seq: number; status: number }
    /**
     * The launch no longer saves (its token expired or a newer launch of the attempt replaced
     * it: 401, 403, 404); the commit is kept on this device and sent by the next launch of the
     * same attempt. Sent once; nothing more is sent from this launch.
     */
    | { type: "expired" }
    /**
     * The SCO ended its session. Sent once the terminate commit is acknowledged, or with
     * `acknowledged: false` when it was refused or not acknowledged within a few seconds (it
     * stays in the outbox and is retried), or at once when the launch expired. `navRequest`: 2004 adl.nav.request ("continue",
     * "{target=x}choice", …); 1.2 scorm-again's cmi.nav.event extension; null when none.
     */
    | { type: "terminated"; navRequest: string | null; acknowledged: boolean }
    /** loadFromJSON threw: the SCO runs with the data loaded before the invalid value. */
    | { type: "error"; reason: "seed" }
  );

/**
 * LaunchData for the host page's `<script type="application/json">`: JSON with `<`, `>`, `&`
 * and U+2028/2029 escaped, so the text can never close the script element.
 */
export function serializeLaunchData(data: LaunchData): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Validated LaunchData, or null when anything required is missing or malformed. */
export function parseLaunchData(value: unknown): LaunchData | null {
  if (!isObject(value)) return null;
  const { version, attemptId, commitUrl, ackSeq, seed, scoUrl, parentOrigin, scoItemIds, autocommitSeconds, locale, scoTitle } = value;
  if (version !== "1.2" && version !== "2004") return null;
  if (typeof attemptId !== "string" || attemptId === "") return null;
  if (!isSameOriginPath(commitUrl) || !isSameOriginPath(scoUrl)) return null;
  if (typeof ackSeq !== "number" || !Number.isSafeInteger(ackSeq) || ackSeq < 0) return null;
  if (!isObject(seed) || !isObject(seed.cmi)) return null;
  if (!isOrigin(parentOrigin)) return null;
  if (scoItemIds !== undefined && !(Array.isArray(scoItemIds) && scoItemIds.every((id) => typeof id === "string"))) return null;
  if (typeof autocommitSeconds !== "number" || !Number.isFinite(autocommitSeconds) || autocommitSeconds <= 0) return null;
  if (locale !== "sl" && locale !== "en") return null;
  const launch: LaunchData = {
    version,
    attemptId,
    commitUrl,
    ackSeq,
    seed: seed as LearnerSeed,
    scoUrl,
    parentOrigin,
    scoItemIds: scoItemIds ? [...scoItemIds] : [],
    autocommitSeconds,
    locale,
  };
  if (typeof scoTitle === "string" && scoTitle.trim() !== "") launch.scoTitle = scoTitle.trim();
  return launch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An absolute path on the page's own origin. Parsed the way browsers parse it, so "//host",
 * "/\\host" and "/<tab>/host" (which all name another host) are refused.
 */
function isSameOriginPath(value: unknown): value is string {
  if (typeof value !== "string" || !value.startsWith("/")) return false;
  try {
    return new URL(value, "https://same-origin.invalid").host === "same-origin.invalid";
  } catch {
    return false;
  }
}

function isOrigin(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}
