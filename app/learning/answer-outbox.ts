// Delivery of quiz answers from the attempt page (app/routes/learn/attempt.tsx) when JavaScript
// runs: the learner moves on at once, the answer waits here until the server acknowledges it.
// No DOM access: storage, fetch, timers and randomness are injected, so this runs in Node tests.
//
// Model: one entry per question (a newer answer to the same question replaces the older one), kept
// in localStorage (`opora-quiz-outbox:<attemptId>`) until acknowledged, so closing the tab or
// losing the connection loses nothing; sent one request at a time, in order; retried with
// back-off on network errors, timeouts, 408, 429 and 5xx (503 while the database restarts), and at
// once when the browser comes back online.
//
// Request: POST saveUrl with the question's form fields (the same fields the page's form posts
// without JavaScript). Response: 200 `{ ok: true }` acknowledges; 400 `{ ok: false, error }` drops
// that answer and reports the error; 409 `{ ok: false, closed: true }` means the attempt was
// submitted or its time ran out (nothing more can be saved); 401 means the session ended (the
// answers stay stored for after the next log-in); 404 drops everything (no such attempt here).

export const OUTBOX_KEY_PREFIX = "opora-quiz-outbox:";
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** A request without an answer after this long counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 20_000;

export type AnswerFields = Array<[string, string]>;
export type PendingAnswer = { questionKey: string; fields: AnswerFields };

export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface AnswerOutboxEnv {
  storage: OutboxStorage | null;
  fetch(url: string, init: { method: "POST"; body: URLSearchParams; headers: Record<string, string>; credentials: "same-origin"; cache: "no-store"; signal?: AbortSignal }): Promise<{ status: number; json(): Promise<unknown> }>;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export type OutboxState = "idle" | "saving" | "waiting" | "signed-out" | "closed";

export interface OutboxStatus {
  state: OutboxState;
  /** question keys not yet acknowledged */
  pending: string[];
  /** the last failure was the network (or a timeout), not the server */
  offline: boolean;
}

export interface AnswerOutboxConfig {
  attemptId: string;
  saveUrl: string;
  onStatus?(status: OutboxStatus): void;
  /** the server refused an answer (400): it was dropped */
  onRejected?(questionKey: string, error: string): void;
  /** the attempt can take no more answers (submitted, or its time ran out) */
  onClosed?(): void;
}

/** Delay before retry number `failures`: 1 s, 2 s, 4 s … capped at 30 s, between half and all of that. */
export function backoffDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(Math.floor(failures), 1) - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 1));
}

export type SendOutcome = "acknowledged" | "retry-network" | "retry-server" | "rejected" | "closed" | "signed-out" | "gone";

/** What an HTTP answer to a save means (`body`: parsed JSON, or null). */
export function classifySave(status: number, body: unknown): SendOutcome {
  const ok = typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true;
  // A 2xx without `ok: true` is not our server's answer (a captive portal's page): try again.
  if (status >= 200 && status < 300) return ok ? "acknowledged" : "retry-server";
  if (status === 401) return "signed-out";
  if (status === 404 || status === 403) return "gone";
  if (status === 409) return "closed";
  if (status === 408 || status === 429 || status >= 500) return "retry-server";
  return "rejected";
}

/** The error key of a refusal, when the body carries one. */
function errorOf(body: unknown): string {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === "string" && /^[a-zA-Z.]+$/.test(error) ? error : "quiz.invalidAnswer";
}

function isPending(value: unknown): value is PendingAnswer {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as PendingAnswer;
  return typeof entry.questionKey === "string" && Array.isArray(entry.fields) && entry.fields.every((f) => Array.isArray(f) && f.length === 2 && f.every((part) => typeof part === "string"));
}

/** The answers a previous page left unacknowledged for this attempt (unreadable entries are ignored). */
export function readStoredAnswers(storage: OutboxStorage | null, attemptId: string): PendingAnswer[] {
  try {
    const raw = storage?.getItem(OUTBOX_KEY_PREFIX + attemptId);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    const entries = (parsed as { v?: unknown; entries?: unknown } | null)?.entries;
    return (parsed as { v?: unknown } | null)?.v === 1 && Array.isArray(entries) ? entries.filter(isPending) : [];
  } catch {
    return [];
  }
}

export class AnswerOutbox {
  private readonly entries = new Map<string, { fields: AnswerFields; version: number }>();
  private readonly key: string;
  private inFlight: { questionKey: string; version: number } | null = null;
  private retryHandle: unknown = null;
  private failures = 0;
  private offline = false;
  private halted: "signed-out" | "closed" | null = null;
  private disposed = false;
  private version = 0;
  private lastStatus = "";

  constructor(
    private readonly config: AnswerOutboxConfig,
    private readonly env: AnswerOutboxEnv,
  ) {
    this.key = OUTBOX_KEY_PREFIX + config.attemptId;
    for (const entry of readStoredAnswers(env.storage, config.attemptId)) this.entries.set(entry.questionKey, { fields: entry.fields, version: ++this.version });
  }

  /** Answers restored from storage, then those queued since, in sending order. */
  get pending(): PendingAnswer[] {
    return [...this.entries].map(([questionKey, entry]) => ({ questionKey, fields: entry.fields }));
  }

  get status(): OutboxStatus {
    const pending = [...this.entries.keys()];
    const state: OutboxState = this.halted ?? (pending.length === 0 ? "idle" : this.failures > 0 ? "waiting" : "saving");
    return { state, pending, offline: this.offline };
  }

  /** Queues the answer to one question (replacing an unsent older one) and sends when it can. */
  enqueue(questionKey: string, fields: AnswerFields): void {
    if (this.disposed || this.halted === "closed") return;
    this.entries.set(questionKey, { fields, version: ++this.version });
    this.store();
    this.emit();
    this.pump();
  }

  /** Browser online/offline events: going online retries at once. */
  setOnline(online: boolean): void {
    if (this.disposed) return;
    if (!online) {
      this.offline = true;
    } else {
      if (this.entries.size === 0) this.offline = false;
      if (this.retryHandle !== null) {
        this.env.clearTimeout(this.retryHandle);
        this.retryHandle = null;
      }
      this.pump();
    }
    this.emit();
  }

  /** Sends whatever was restored from storage. */
  start(): void {
    this.emit(true);
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryHandle !== null) this.env.clearTimeout(this.retryHandle);
    this.retryHandle = null;
  }

  private pump(): void {
    if (this.disposed || this.halted || this.inFlight || this.retryHandle !== null) return;
    const next = this.entries.entries().next();
    if (next.done) return;
    const [questionKey, entry] = next.value;
    this.inFlight = { questionKey, version: entry.version };
    void this.send(entry.fields).then(({ outcome, error }) => this.settle(questionKey, entry.version, outcome, error));
  }

  private async send(fields: AnswerFields): Promise<{ outcome: SendOutcome; error: string }> {
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = this.env.setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await this.env.fetch(this.config.saveUrl, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        ...(controller ? { signal: controller.signal } : {}),
      });
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        // Not JSON (a proxy's error page): classified by status.
      }
      return { outcome: classifySave(response.status, body), error: errorOf(body) };
    } catch {
      return { outcome: "retry-network", error: "" };
    } finally {
      this.env.clearTimeout(timer);
    }
  }

  private settle(questionKey: string, version: number, outcome: SendOutcome, error: string): void {
    this.inFlight = null;
    if (this.disposed) return;
    const current = this.entries.get(questionKey);
    if (outcome === "retry-network" || outcome === "retry-server") {
      this.failures += 1;
      this.offline = outcome === "retry-network";
      this.retryHandle = this.env.setTimeout(() => {
        this.retryHandle = null;
        this.pump();
      }, backoffDelay(this.failures, this.env.random));
    } else if (outcome === "signed-out") {
      // Kept in storage: the page after the next log-in sends them.
      this.halted = "signed-out";
    } else if (outcome === "closed") {
      this.halted = "closed";
      this.entries.clear();
      this.store();
      safely(() => this.config.onClosed?.());
    } else if (outcome === "gone") {
      this.entries.clear();
      this.store();
    } else {
      this.failures = 0;
      this.offline = false;
      // A newer answer to the same question, queued while this one was on its way, still goes.
      if (current?.version === version) this.entries.delete(questionKey);
      this.store();
      if (outcome === "rejected") safely(() => this.config.onRejected?.(questionKey, error));
    }
    this.emit();
    this.pump();
  }

  private store(): void {
    try {
      if (this.entries.size === 0) this.env.storage?.removeItem(this.key);
      else this.env.storage?.setItem(this.key, JSON.stringify({ v: 1, entries: this.pending }));
    } catch {
      // Quota or privacy mode: the answers live in memory only.
    }
  }

  private emit(force = false): void {
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
    // A failing observer must not stop delivery.
  }
}
