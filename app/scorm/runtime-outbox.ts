// Commit delivery for the SCORM runtime (runtime-client.ts), without DOM access: storage,
// fetch, sendBeacon, timers, clock and randomness are injected, so everything here runs and is
// tested in Node.
//
// Model: each commit carries the full CMI, so only the newest unacknowledged one matters. It is
// kept in localStorage (`opora-scorm-outbox:<attemptId>`) until the server acknowledges it, sent
// by one request at a time, retried with back-off, beaconed when the page is hidden, and
// recovered (sent first, and used to seed the API) by the next launch of the same attempt.
//
// Every package of every organisation runs on the content origin and can read its localStorage,
// so the stored entry holds neither the commit URL (it carries the launch token) nor the
// learner's id or name: commits leave those out altogether (see LEARNER_IDENTITY_FIELDS).
//
// Request: POST commitUrl, body JSON CommitRecord, content-type text/plain (no CORS preflight
// needed anywhere), credentials omitted; keepalive when the body is under KEEPALIVE_MAX_BYTES.
// Response (classifyResponse): 2xx `{ ok: true, seq?, state?, stale? }` acknowledges (also for
// a replay or an older seq); 408, 409, 429, 5xx, network errors, timeouts and any 2xx without
// `ok: true` (e.g. a captive portal page) are retried; 401, 403 and 404 mean this launch's token
// expired or was replaced by a newer launch: the page stops sending and keeps the commit stored
// for the next launch of the attempt; other 4xx (400 invalid, 413 too large) drop the commit.

import type { IHttpService } from "scorm-again";
import { Scorm12API } from "scorm-again";
import type { LearnerSeed, ScormVersion } from "./cmi.ts";
import { learnerSeed, nextLaunch } from "./cmi.ts";
import type { SaveStatus } from "./launch.ts";
import type { ScormApi } from "./runtime-settings.ts";

export const OUTBOX_KEY_PREFIX = "opora-scorm-outbox:";
/** keepalive (and sendBeacon) requests share a 64 KiB body quota; stay below it. */
export const KEEPALIVE_MAX_BYTES = 60_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** A request without an answer after this long counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How long the parent waits for the terminate commit's acknowledgement. */
export const TERMINATE_NOTICE_MS = 5_000;
/** Other attempts' outboxes older than this are deleted (never sent: this page lacks their token). */
export const ORPHAN_MAX_AGE_MS = 30 * 24 * 3_600_000;
/** Stored-entry format; 1 also held the commit URL (read, URL ignored, rewritten as 2). */
const STORAGE_VERSION = 2;

export function outboxKey(attemptId: string): string {
  return OUTBOX_KEY_PREFIX + attemptId;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body of a commit request. */
export interface CommitRecord {
  /** 1 + the highest seq used so far for the attempt (across page loads). */
  seq: number;
  /** scorm-again's commit payload (`dataCommitFormat: "json"`): string leaves. */
  cmi: Json;
  /** 2004 `{ data: { "0": { id, store } … } }` when the SCO has shared data. */
  adl?: unknown;
  /** 2004 writable shared data stores by target id. */
  sharedData?: unknown;
  /** Sent by Terminate / LMSFinish. */
  terminated: boolean;
  /** Terminate commits only: the SCO's navigation request (see readNavRequest). */
  navRequest?: string;
}

// ---------------------------------------------------------------------------------------------
// Injected environment

export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Needed only to find orphaned outboxes. */
  readonly length?: number;
  key?(index: number): string | null;
}

export interface CommitRequestInit {
  method: "POST";
  body: string;
  headers: Record<string, string>;
  keepalive: boolean;
  credentials: "omit";
  cache: "no-store";
  signal?: AbortSignal;
}

export interface CommitResponse {
  status: number;
  json(): Promise<unknown>;
}

export type FetchLike = (url: string, init: CommitRequestInit) => Promise<CommitResponse>;

export interface OutboxEnv {
  /** null when localStorage is unavailable: commits then live in memory only. */
  storage: OutboxStorage | null;
  fetch: FetchLike;
  /** navigator.sendBeacon with the body wrapped in a text/plain Blob; null when unavailable. */
  sendBeacon: ((url: string, body: string) => boolean) | null;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  /** [0, 1), for back-off jitter. */
  random(): number;
}

// ---------------------------------------------------------------------------------------------
// Pure rules

/**
 * Delay before retry number `failures` (1-based): 1 s, 2 s, 4 s … capped at 30 s, with "equal
 * jitter" (between half and all of that), so many learners cut off together do not all come
 * back in the same second.
 */
export function backoffDelay(failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(Math.floor(failures), 1) - 1, 30);
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

export type SendOutcome =
  | { kind: "acknowledged"; seq: number | null; state: unknown; stale: boolean }
  | { kind: "retry"; reason: "network" | "server" | "conflict" | "throttled" | "unexpected" }
  | { kind: "rejected"; status: number }
  | { kind: "expired"; status: number };

/** What an HTTP answer to a commit means (`body`: parsed JSON, or null). */
export function classifyResponse(status: number, body: unknown): SendOutcome {
  if (status >= 200 && status < 300) {
    if (!isObject(body) || body.ok !== true) return { kind: "retry", reason: "unexpected" };
    const seq = typeof body.seq === "number" && Number.isSafeInteger(body.seq) ? body.seq : null;
    return { kind: "acknowledged", seq, state: body.state ?? null, stale: body.stale === true };
  }
  if (status === 409) return { kind: "retry", reason: "conflict" };
  if (status === 429) return { kind: "retry", reason: "throttled" };
  // Token expired, or replaced by a newer launch of the attempt: no use retrying from this page.
  if (status === 401 || status === 403 || status === 404) return { kind: "expired", status };
  // 408 is a timeout, as transient as a 504.
  if (status >= 400 && status < 500 && status !== 408) return { kind: "rejected", status };
  return { kind: "retry", reason: "server" };
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/**
 * LMS-owned CMI values that identify the learner, left out of every commit (sent and stored):
 * the server knows whose attempt it is and never reads them.
 */
export const LEARNER_IDENTITY_FIELDS = ["cmi.core.student_id", "cmi.core.student_name", "cmi.learner_id", "cmi.learner_name"] as const;

/** A copy of `cmi` without LEARNER_IDENTITY_FIELDS. */
export function withoutLearnerIdentity(cmi: Json): Json {
  const { learner_id: _id, learner_name: _name, ...rest } = cmi;
  if (isObject(rest.core)) {
    const { student_id: _sid, student_name: _sname, ...core } = rest.core;
    rest.core = core;
  }
  return rest;
}

/** `{ cmi, adl?, sharedData? }` of a scorm-again commit payload as plain JSON, or null. */
export function commitParts(payload: unknown): Pick<CommitRecord, "cmi" | "adl" | "sharedData"> | null {
  if (!isObject(payload) || !isObject(payload.cmi)) return null;
  const copy = JSON.parse(JSON.stringify({ cmi: payload.cmi, adl: payload.adl, sharedData: payload.sharedData })) as Json;
  const parts: Pick<CommitRecord, "cmi" | "adl" | "sharedData"> = { cmi: withoutLearnerIdentity(copy.cmi as Json) };
  if (copy.adl !== undefined) parts.adl = copy.adl;
  if (copy.sharedData !== undefined) parts.sharedData = copy.sharedData;
  return parts;
}

/** What localStorage holds: no commit URL, no learner identity (any package can read it). */
interface StoredOutbox {
  v: typeof STORAGE_VERSION;
  savedAt: number;
  commit: CommitRecord;
}

/** A stored entry as read: `legacy` when it is in format 1 and should be rewritten. */
type ReadOutbox = StoredOutbox & { legacy: boolean };

function parseStored(raw: string | null): ReadOutbox | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!isObject(value) || (value.v !== 1 && value.v !== STORAGE_VERSION) || typeof value.savedAt !== "number") return null;
    const stored = value.commit;
    if (!isObject(stored) || !isObject(stored.cmi) || typeof stored.terminated !== "boolean") return null;
    if (typeof stored.seq !== "number" || !Number.isSafeInteger(stored.seq) || stored.seq < 1) return null;
    if (stored.navRequest !== undefined && typeof stored.navRequest !== "string") return null;
    // Rebuilt field by field: format 1 entries also carry the URL and the learner's identity.
    const commit: CommitRecord = { seq: stored.seq, cmi: withoutLearnerIdentity(stored.cmi), terminated: stored.terminated };
    if (stored.adl !== undefined) commit.adl = stored.adl;
    if (stored.sharedData !== undefined) commit.sharedData = stored.sharedData;
    if (stored.navRequest !== undefined) commit.navRequest = stored.navRequest;
    return { v: STORAGE_VERSION, savedAt: value.savedAt, commit, legacy: value.v !== STORAGE_VERSION };
  } catch {
    return null;
  }
}

function readStored(storage: OutboxStorage | null, key: string): ReadOutbox | null | "invalid" {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
  if (raw === null) return null;
  return parseStored(raw) ?? "invalid";
}

function writeStored(storage: OutboxStorage | null, key: string, commit: CommitRecord, savedAt: number): void {
  const entry: StoredOutbox = { v: STORAGE_VERSION, savedAt, commit };
  try {
    storage?.setItem(key, JSON.stringify(entry));
  } catch {
    // Quota or privacy mode: the commit lives in memory only.
  }
}

function removeStored(storage: OutboxStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Storage unavailable: nothing to clean up.
  }
}

/** One POST of a commit, never rejecting; a hung request settles as a network failure. */
export function postCommit(env: OutboxEnv, url: string, body: string, keepalive: boolean): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      env.clearTimeout(timer);
      resolve(outcome);
    };
    const timer = env.setTimeout(() => {
      controller?.abort();
      finish({ kind: "retry", reason: "network" });
    }, REQUEST_TIMEOUT_MS);
    const init: CommitRequestInit = {
      method: "POST",
      body,
      headers: { "content-type": "text/plain;charset=UTF-8" },
      keepalive,
      credentials: "omit",
      cache: "no-store",
    };
    if (controller) init.signal = controller.signal;
    let request: Promise<CommitResponse>;
    try {
      request = env.fetch(url, init);
    } catch (error) {
      request = Promise.reject(error);
    }
    request
      .then(async (response) => {
        let json: unknown = null;
        try {
          json = await response.json();
        } catch {
          // Not JSON: classified as unexpected (2xx) or by status.
        }
        finish(classifyResponse(response.status, json));
      })
      .catch(() => finish({ kind: "retry", reason: "network" }));
  });
}

// ---------------------------------------------------------------------------------------------
// Seeding from a recovered commit

const RUNTIME_KEYS: Record<ScormVersion, readonly string[]> = {
  // Interactions last: if restoring them throws in loadFromJSON, everything else is in.
  "1.2": ["student_preference", "suspend_data", "comments", "objectives", "interactions"],
  "2004": [
    "learner_preference",
    "location",
    "suspend_data",
    "completion_status",
    "success_status",
    "progress_measure",
    "score",
    "objectives",
    "comments_from_learner",
    "interactions",
  ],
};
const RUNTIME_CORE_KEYS_12 = ["lesson_location", "lesson_status", "score"] as const;

/**
 * The seed to load when the outbox held a commit the server never acknowledged (`recovered`,
 * seq > ackSeq): it is newer than what the server seeded from, so its run-time data (location,
 * suspend data, statuses, score, objectives, interactions, comments, preferences, and 2004
 * shared data stores it has) replaces the seed's, picked and cleaned exactly as learnerSeed() does on resume.
 * LMS-owned values (learner, credit, mode, launch data, limits, total time) stay the server's;
 * 2004 objective ids of the seed that the commit lacks are kept. Entry becomes "resume" when
 * the recovered data asks for it (nextLaunch) even if the server, not knowing it, said otherwise.
 */
export function seedWithRecoveredCommit(version: ScormVersion, seed: LearnerSeed, recovered: CommitRecord | null): LearnerSeed {
  if (!recovered) return seed;
  // learnerSeed() with only the saved data: its LMS-owned fields are ignored below.
  const fresh = learnerSeed({ version, learnerId: "", learnerName: "", entry: "resume", savedCmi: recovered.cmi }).cmi;
  const cmi: Json = { ...seed.cmi };
  const resume = nextLaunch(version, { cmi: recovered.cmi }).entry === "resume";

  if (version === "1.2") {
    const core: Json = { ...(isObject(cmi.core) ? cmi.core : {}) };
    const freshCore = isObject(fresh.core) ? fresh.core : {};
    for (const key of RUNTIME_CORE_KEYS_12) {
      delete core[key];
      if (freshCore[key] !== undefined) core[key] = freshCore[key];
    }
    if (resume) core.entry = "resume";
    cmi.core = core;
  } else if (resume) {
    cmi.entry = "resume";
  }

  const seedObjectives = Array.isArray(seed.cmi.objectives) ? seed.cmi.objectives : [];
  for (const key of RUNTIME_KEYS[version]) {
    delete cmi[key];
    if (fresh[key] !== undefined) cmi[key] = fresh[key];
    if (key === "objectives" && version === "2004") {
      const objectives = Array.isArray(cmi.objectives) ? [...(cmi.objectives as Json[])] : [];
      const ids = new Set(objectives.map((o) => o.id));
      for (const objective of seedObjectives) {
        if (isObject(objective) && typeof objective.id === "string" && !ids.has(objective.id)) {
          ids.add(objective.id);
          objectives.push({ id: objective.id });
        }
      }
      if (objectives.length) cmi.objectives = objectives;
    }
  }

  if (!seed.adl) return { cmi };
  const stores = sharedDataStores(recovered);
  const data = seed.adl.data.map((entry) => {
    const store = stores[entry.id];
    if (store === undefined) return entry;
    return store !== "" ? { id: entry.id, store } : { id: entry.id };
  });
  return { adl: { data }, cmi };
}

/** 2004 shared data of a commit by target id: `sharedData`, else the stores in `adl.data`. */
function sharedDataStores(commit: CommitRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const data = isObject(commit.adl) ? commit.adl.data : undefined;
  const entries = Array.isArray(data) ? data : isObject(data) ? Object.values(data) : [];
  for (const entry of entries) {
    if (isObject(entry) && typeof entry.id === "string" && typeof entry.store === "string") out[entry.id] = entry.store;
  }
  if (isObject(commit.sharedData)) {
    for (const [id, store] of Object.entries(commit.sharedData)) {
      if (typeof store === "string") out[id] = store;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The outbox

export interface OutboxConfig {
  attemptId: string;
  commitUrl: string;
  ackSeq: number;
  onStatus?(status: SaveStatus): void;
  onSaved?(saved: { seq: number; state: unknown; stale: boolean }): void;
  onRejected?(rejected: { seq: number; status: number }): void;
  /** The launch token no longer works (401/403/404): sending stopped, the commit stays stored. */
  onExpired?(): void;
  onTerminated?(notice: { navRequest: string | null; acknowledged: boolean }): void;
}

export interface EnqueueOptions {
  terminated: boolean;
  /** scorm-again's `immediate` flag (set for Terminate / LMSFinish): send without waiting. */
  immediate?: boolean;
  navRequest?: string | null;
}

/**
 * Sequencing, persistence and delivery of one attempt's commits. Nothing here throws into the
 * caller; callbacks that throw are ignored.
 */
export class CommitOutbox {
  /** The unacknowledged commit a previous page load left behind (seq > ackSeq), if any. */
  readonly recovered: CommitRecord | null;

  private readonly key: string;
  private latest: CommitRecord | null = null;
  private highestSeq: number;
  private inFlight: { seq: number; keepalive: boolean } | null = null;
  private retryHandle: unknown = null;
  private urgent = false;
  private failedAttempts = 0;
  private offline = false;
  private lastParts: string | null = null;
  private notice: { seq: number; navRequest: string | null; timer: unknown } | null = null;
  private noticeSent = false;
  private lastStatus = "";
  private started = false;
  private disposed = false;
  /** Set by a 401/403/404: nothing more is sent from this page; commits are still stored. */
  private expired = false;

  constructor(
    private readonly config: OutboxConfig,
    private readonly env: OutboxEnv,
  ) {
    this.key = outboxKey(config.attemptId);
    const ackSeq = Number.isSafeInteger(config.ackSeq) && config.ackSeq > 0 ? config.ackSeq : 0;
    const stored = readStored(env.storage, this.key);
    const storedSeq = stored && stored !== "invalid" ? stored.commit.seq : 0;
    this.highestSeq = Math.max(ackSeq, storedSeq);
    if (stored && stored !== "invalid" && storedSeq > ackSeq) {
      this.recovered = stored.commit;
      this.latest = stored.commit;
      // Drop the old format's commit URL and learner identity from storage now.
      if (stored.legacy) writeStored(env.storage, this.key, stored.commit, stored.savedAt);
    } else {
      this.recovered = null;
      if (stored) removeStored(env.storage, this.key);
    }
  }

  get status(): SaveStatus {
    return { pending: this.latest !== null || this.inFlight !== null, offline: this.offline, failedAttempts: this.failedAttempts };
  }

  /** Reports the initial status and starts sending (the recovered commit first). */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.emitStatus(true);
    this.pump();
  }

  /**
   * Records a commit synchronously (seq, storage) and sends it in the background. A payload
   * identical to the previous one is skipped unless it terminates. Returns the record, or null
   * when nothing was queued.
   */
  enqueue(payload: unknown, options: EnqueueOptions): CommitRecord | null {
    try {
      if (this.disposed) return null;
      const parts = commitParts(payload);
      if (!parts) return null;
      const partsJson = JSON.stringify(parts);
      if (!options.terminated && partsJson === this.lastParts) return null;
      this.lastParts = partsJson;
      // Another tab on the same attempt may have stored a higher seq.
      const stored = readStored(this.env.storage, this.key);
      if (stored && stored !== "invalid") this.highestSeq = Math.max(this.highestSeq, stored.commit.seq);
      const record: CommitRecord = { seq: ++this.highestSeq, ...parts, terminated: options.terminated };
      if (options.terminated && options.navRequest) record.navRequest = options.navRequest;
      this.latest = record;
      this.store(record);
      if (options.terminated && !this.noticeSent && !this.notice) {
        const timer = this.env.setTimeout(() => this.finishNotice(false), TERMINATE_NOTICE_MS);
        this.notice = { seq: record.seq, navRequest: options.navRequest ?? null, timer };
        if (this.expired) this.finishNotice(false);
      }
      if (options.immediate || options.terminated) {
        this.urgent = true;
        // Only one fetch at a time: while one runs, the beacon gets this out even if the page
        // is being unloaded; the fetch after it gets the server's answer (an idempotent replay).
        if (this.inFlight) this.beacon(record);
      }
      this.pump();
      this.emitStatus();
      return record;
    } catch {
      return null;
    }
  }

  /** pagehide / hidden: hand the unacknowledged commit to the browser (beacon or keepalive). */
  flush(): void {
    try {
      const record = this.latest;
      if (!record || this.disposed || this.expired) return;
      if (this.inFlight?.seq === record.seq && this.inFlight.keepalive) return;
      this.beacon(record);
    } catch {
      // Best effort; the stored copy is sent by the next launch.
    }
  }

  /** Browser online/offline events: going online retries at once. */
  setOnline(online: boolean): void {
    if (this.disposed) return;
    if (!online) {
      this.offline = true;
    } else {
      if (this.retryHandle !== null) {
        this.env.clearTimeout(this.retryHandle);
        this.retryHandle = null;
      }
      if (!this.latest && !this.inFlight) this.offline = false;
      this.pump();
    }
    this.emitStatus();
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryHandle !== null) this.env.clearTimeout(this.retryHandle);
    if (this.notice) this.env.clearTimeout(this.notice.timer);
    this.retryHandle = null;
  }

  private pump(): void {
    if (!this.started || this.disposed || this.expired || this.inFlight || !this.latest) return;
    if (this.retryHandle !== null) {
      if (!this.urgent) return;
      this.env.clearTimeout(this.retryHandle);
      this.retryHandle = null;
    }
    this.urgent = false;
    const record = this.latest;
    const body = JSON.stringify(record);
    const keepalive = utf8Length(body) < KEEPALIVE_MAX_BYTES;
    this.inFlight = { seq: record.seq, keepalive };
    this.emitStatus();
    void postCommit(this.env, this.config.commitUrl, body, keepalive).then((outcome) => this.settle(record, outcome));
  }

  private settle(record: CommitRecord, outcome: SendOutcome): void {
    this.inFlight = null;
    if (this.disposed) return;
    if (outcome.kind === "retry") {
      this.failedAttempts += 1;
      this.offline = outcome.reason === "network";
      if (outcome.reason === "conflict" && this.latest?.seq === record.seq) {
        // The server holds a different commit under this seq (another tab, or a seq reused
        // after lost storage). Commits carry the full state, so the newest writer should win.
        this.latest = { ...this.latest, seq: ++this.highestSeq };
        this.store(this.latest);
        if (this.notice?.seq === record.seq) this.notice.seq = this.latest.seq;
      }
      this.retryHandle = this.env.setTimeout(() => {
        this.retryHandle = null;
        this.pump();
      }, backoffDelay(this.failedAttempts, this.env.random));
    } else if (outcome.kind === "expired") {
      // Keep `latest` and the stored copy: the status stays pending, and the next launch of the
      // attempt (new token) recovers the stored commit and sends it first.
      this.expired = true;
      this.offline = false;
      safely(() => this.config.onExpired?.());
      this.finishNotice(false);
    } else {
      this.failedAttempts = 0;
      this.offline = false;
      if (outcome.kind === "acknowledged" && outcome.seq !== null) this.highestSeq = Math.max(this.highestSeq, outcome.seq);
      if (this.latest && this.latest.seq <= record.seq) this.latest = null;
      const stored = readStored(this.env.storage, this.key);
      if (stored === "invalid" || (stored && stored.commit.seq <= record.seq)) removeStored(this.env.storage, this.key);
      if (outcome.kind === "acknowledged") {
        safely(() => this.config.onSaved?.({ seq: record.seq, state: outcome.state, stale: outcome.stale }));
      } else {
        safely(() => this.config.onRejected?.({ seq: record.seq, status: outcome.status }));
      }
      if (this.notice && record.seq >= this.notice.seq) this.finishNotice(outcome.kind === "acknowledged");
    }
    this.emitStatus();
    this.pump();
  }

  private beacon(record: CommitRecord): void {
    const body = JSON.stringify(record);
    try {
      if (this.env.sendBeacon?.(this.config.commitUrl, body)) return;
    } catch {
      // Fall back to fetch.
    }
    if (utf8Length(body) >= KEEPALIVE_MAX_BYTES) return;
    void postCommit(this.env, this.config.commitUrl, body, true);
  }

  private store(record: CommitRecord): void {
    writeStored(this.env.storage, this.key, record, this.env.now());
  }

  private finishNotice(acknowledged: boolean): void {
    const notice = this.notice;
    if (!notice || this.noticeSent) return;
    this.notice = null;
    this.noticeSent = true;
    this.env.clearTimeout(notice.timer);
    safely(() => this.config.onTerminated?.({ navRequest: notice.navRequest, acknowledged }));
  }

  private emitStatus(force = false): void {
    const status = this.status;
    const serialized = JSON.stringify(status);
    if (!force && serialized === this.lastStatus) return;
    this.lastStatus = serialized;
    safely(() => this.config.onStatus?.(status));
  }
}

function safely(callback: () => void): void {
  try {
    callback();
  } catch {
    // A failing observer must not break delivery.
  }
}

// ---------------------------------------------------------------------------------------------
// scorm-again glue

/**
 * The IHttpService scorm-again calls for every commit: queues it in the outbox and answers
 * success at once (synchronously, never throwing; exceptions would reach the SCO).
 * `navRequest` is read when the terminate commit is captured, before scorm-again resets it.
 */
export function outboxHttpService(outbox: CommitOutbox, navRequest: () => string | null): IHttpService {
  return {
    processHttpRequest(_url, params, immediate, _apiLog, _processListeners, metadata) {
      try {
        const terminated = metadata?.isTerminateCommit ?? immediate === true;
        outbox.enqueue(params, { terminated, immediate: immediate === true, navRequest: terminated ? navRequest() : null });
      } catch {
        // Never fail the SCO's call.
      }
      return { result: "true", errorCode: 0 };
    },
    updateSettings() {},
  };
}

/**
 * The navigation request a SCO made before ending its session: 2004 adl.nav.request unless
 * "_none_"; 1.2 scorm-again's non-standard cmi.nav.event ("continue" / "previous"). Else null.
 */
export function readNavRequest(api: ScormApi): string | null {
  try {
    const value = api instanceof Scorm12API ? api.nav?.event : api.adl?.nav?.request;
    return typeof value === "string" && value !== "" && value !== "_none_" ? value : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Orphans

/**
 * Housekeeping of the outboxes other attempts left in this browser. They are never sent from
 * here (this page has no token for them); the next launch of their own attempt sends them.
 * Deletes unreadable ones and those older than ORPHAN_MAX_AGE_MS, and rewrites format 1
 * entries without their commit URL and learner identity. Returns the number deleted.
 */
export function pruneOrphanedOutboxes(env: Pick<OutboxEnv, "storage" | "now">, currentAttemptId: string): number {
  const storage = env.storage;
  const keys: string[] = [];
  try {
    const length = storage?.length ?? 0;
    for (let i = 0; i < length; i++) {
      const key = storage?.key?.(i);
      if (key?.startsWith(OUTBOX_KEY_PREFIX) && key !== outboxKey(currentAttemptId)) keys.push(key);
    }
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const key of keys) {
    const stored = readStored(storage, key);
    if (!stored) continue;
    if (stored === "invalid" || env.now() - stored.savedAt > ORPHAN_MAX_AGE_MS) {
      removeStored(storage, key);
      deleted += 1;
    } else if (stored.legacy) {
      writeStored(storage, key, stored.commit, stored.savedAt);
    }
  }
  return deleted;
}
