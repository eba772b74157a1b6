import { describe, expect, it } from "vitest";
import { learnerSeed } from "./cmi.ts";
import type { LaunchData, SaveStatus } from "./launch.ts";
import { parseLaunchData, serializeLaunchData } from "./launch.ts";
import type { CommitRecord, CommitRequestInit, CommitResponse, OutboxConfig, OutboxEnv, OutboxStorage } from "./runtime-outbox.ts";
import {
  BACKOFF_MAX_MS,
  backoffDelay,
  CommitOutbox,
  classifyResponse,
  commitParts,
  KEEPALIVE_MAX_BYTES,
  ORPHAN_MAX_AGE_MS,
  outboxHttpService,
  outboxKey,
  pruneOrphanedOutboxes,
  REQUEST_TIMEOUT_MS,
  readNavRequest,
  seedWithRecoveredCommit,
  TERMINATE_NOTICE_MS,
} from "./runtime-outbox.ts";
import type { ScormApi } from "./runtime-settings.ts";
import { createScormApi } from "./runtime-settings.ts";

// ---------------------------------------------------------------------------------------------
// Fakes: a manual clock, an in-memory storage and a server whose answers the test controls.

class ManualClock {
  time = 1_700_000_000_000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  /** Runs due timers in order, like the browser would over `ms` milliseconds. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
}

class MemoryStorage implements OutboxStorage {
  map = new Map<string, string>();
  failWrites = false;
  get length() {
    return this.map.size;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw new Error("QuotaExceededError");
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

interface Request {
  url: string;
  init: CommitRequestInit;
  body: CommitRecord;
  respond(status: number, json?: unknown): void;
  fail(): void;
}

class FakeServer {
  requests: Request[] = [];
  fetch = (url: string, init: CommitRequestInit): Promise<CommitResponse> =>
    new Promise((resolve, reject) => {
      this.requests.push({
        url,
        init,
        body: JSON.parse(init.body),
        respond: (status, json) =>
          resolve({ status, json: () => (json === undefined ? Promise.reject(new SyntaxError("no JSON")) : Promise.resolve(json)) }),
        fail: () => reject(new TypeError("Failed to fetch")),
      });
    });
  get last(): Request {
    const request = this.requests.at(-1);
    if (!request) throw new Error("no request was made");
    return request;
  }
  /** Acknowledges the last request the way the Opora server does. */
  ack(state: unknown = { completion: "incomplete" }) {
    this.last.respond(200, { ok: true, stale: false, seq: this.last.body.seq, state });
  }
}

/** Lets pending promise callbacks run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const cmi = (location: string) => ({ cmi: { location, suspend_data: "" } });

function setup(
  options: {
    ackSeq?: number;
    storage?: MemoryStorage | null;
    beacon?: boolean | "throws";
    random?: number;
    start?: boolean;
    commitUrl?: string;
    clock?: ManualClock;
    server?: FakeServer;
  } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const server = options.server ?? new FakeServer();
  const storage = options.storage === undefined ? new MemoryStorage() : options.storage;
  const beacons: Array<{ url: string; body: CommitRecord }> = [];
  const env: OutboxEnv = {
    storage,
    fetch: server.fetch,
    sendBeacon:
      options.beacon === undefined
        ? null
        : (url, body) => {
            if (options.beacon === "throws") throw new Error("beacon broken");
            beacons.push({ url, body: JSON.parse(body) });
            return options.beacon === true;
          },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: () => clock.time,
    random: () => options.random ?? 0,
  };
  const statuses: SaveStatus[] = [];
  const saved: Array<{ seq: number; state: unknown; stale: boolean }> = [];
  const rejected: Array<{ seq: number; status: number }> = [];
  const terminated: Array<{ navRequest: string | null; acknowledged: boolean }> = [];
  const expired: true[] = [];
  const config: OutboxConfig = {
    attemptId: "att-1",
    commitUrl: options.commitUrl ?? "/scorm-content/run/tok/commit",
    ackSeq: options.ackSeq ?? 0,
    onStatus: (s) => statuses.push(s),
    onSaved: (s) => saved.push(s),
    onRejected: (r) => rejected.push(r),
    onExpired: () => expired.push(true),
    onTerminated: (t) => terminated.push(t),
  };
  const outbox = new CommitOutbox(config, env);
  if (options.start !== false) outbox.start();
  const stored = (): CommitRecord | null => {
    const raw = storage?.getItem(outboxKey("att-1"));
    return raw ? (JSON.parse(raw).commit as CommitRecord) : null;
  };
  return { clock, server, storage, env, outbox, statuses, saved, rejected, terminated, expired, beacons, stored, config };
}

/** A stored entry in the current format. */
function storedEntry(commit: CommitRecord, savedAt = 1_700_000_000_000) {
  return JSON.stringify({ v: 2, savedAt, commit });
}

/** A stored entry in format 1, which also held the commit URL (with its token). */
function legacyEntry(commit: CommitRecord, commitUrl = "/scorm-content/run/old/commit", savedAt = 1_700_000_000_000) {
  return JSON.stringify({ v: 1, commitUrl, savedAt, commit });
}

// ---------------------------------------------------------------------------------------------

describe("launch data", () => {
  const valid: LaunchData = {
    version: "2004",
    attemptId: "a1",
    commitUrl: "/scorm-content/run/tok/commit",
    ackSeq: 3,
    seed: { cmi: { learner_id: "u1" } },
    scoUrl: "/scorm-content/p/pkg/index.html?x=1",
    parentOrigin: "http://localhost:3000",
    scoItemIds: ["sco-1"],
    autocommitSeconds: 10,
    locale: "sl",
  };

  it("accepts valid data, defaults scoItemIds and keeps a non-empty scoTitle", () => {
    expect(parseLaunchData(valid)).toEqual(valid);
    const { scoItemIds: _, ...withoutIds } = valid;
    expect(parseLaunchData({ ...withoutIds, scoTitle: " Intro ", extra: 1 })).toEqual({ ...valid, scoItemIds: [], scoTitle: "Intro" });
  });

  it.each([
    ["version", { version: "1.3" }],
    ["attemptId", { attemptId: "" }],
    ["protocol-relative commitUrl", { commitUrl: "//evil.example/commit" }],
    ["backslash commitUrl", { commitUrl: "/\\evil.example/commit" }],
    ["tab-smuggled scoUrl", { scoUrl: "/\t/evil.example/sco.html" }],
    ["absolute scoUrl", { scoUrl: "https://evil.example/sco.html" }],
    ["relative scoUrl", { scoUrl: "sco.html" }],
    ["ackSeq", { ackSeq: -1 }],
    ["fractional ackSeq", { ackSeq: 1.5 }],
    ["seed without cmi", { seed: {} }],
    ["parentOrigin with a path", { parentOrigin: "http://localhost:3000/learn" }],
    ["parentOrigin wildcard", { parentOrigin: "*" }],
    ["scoItemIds", { scoItemIds: [1] }],
    ["autocommitSeconds", { autocommitSeconds: 0 }],
    ["locale", { locale: "de" }],
  ])("refuses a bad %s", (_name, patch) => {
    expect(parseLaunchData({ ...valid, ...patch })).toBeNull();
  });

  it("serializes for a <script> element without a way to close it", () => {
    const data = { ...valid, seed: { cmi: { learner_name: "</script><script>alert(1)</script> & \u2028" } } };
    const text = serializeLaunchData(data);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(data);
  });
});

describe("pure rules", () => {
  it("backs off 1 s, 2 s, 4 s … up to 30 s with equal jitter", () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, () => 0.999_999));
    expect(low).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffDelay(0, () => 0.5)).toBe(750);
    expect(backoffDelay(3, () => 7)).toBe(4_000);
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => backoffDelay(i, Math.random)))).toBeLessThanOrEqual(BACKOFF_MAX_MS);
  });

  it.each([
    [200, { ok: true, seq: 4, state: { a: 1 } }, { kind: "acknowledged", seq: 4, state: { a: 1 }, stale: false }],
    [200, { ok: true, stale: true, seq: 9 }, { kind: "acknowledged", seq: 9, state: null, stale: true }],
    [200, { ok: true }, { kind: "acknowledged", seq: null, state: null, stale: false }],
    [200, null, { kind: "retry", reason: "unexpected" }],
    [200, { ok: false }, { kind: "retry", reason: "unexpected" }],
    [204, null, { kind: "retry", reason: "unexpected" }],
    [400, { ok: false }, { kind: "rejected", status: 400 }],
    [401, null, { kind: "expired", status: 401 }],
    [403, { ok: false }, { kind: "expired", status: 403 }],
    [404, null, { kind: "expired", status: 404 }],
    [413, null, { kind: "rejected", status: 413 }],
    [422, null, { kind: "rejected", status: 422 }],
    [408, null, { kind: "retry", reason: "server" }],
    [409, { ok: false }, { kind: "retry", reason: "conflict" }],
    [429, null, { kind: "retry", reason: "throttled" }],
    [500, null, { kind: "retry", reason: "server" }],
    [503, null, { kind: "retry", reason: "server" }],
    [302, null, { kind: "retry", reason: "server" }],
  ])("classifies HTTP %i %j", (status, body, expected) => {
    expect(classifyResponse(status, body)).toEqual(expected);
  });

  it("takes cmi, adl and sharedData from a scorm-again payload as plain JSON", () => {
    const payload = { cmi: { location: "x", n: undefined }, adl: { data: { 0: { id: "t", store: "s" } } }, sharedData: { t: "s" }, other: 1 };
    expect(commitParts(payload)).toEqual({ cmi: { location: "x" }, adl: { data: { 0: { id: "t", store: "s" } } }, sharedData: { t: "s" } });
    expect(commitParts({ cmi: { a: "" } })).toEqual({ cmi: { a: "" } });
    expect(commitParts([])).toBeNull();
    expect(commitParts({ core: {} })).toBeNull();
  });
});

describe("CommitOutbox", () => {
  it("numbers commits from the acknowledged seq, stores the latest and posts it in the background", async () => {
    const { outbox, server, stored, statuses } = setup({ ackSeq: 7 });
    const record = outbox.enqueue(cmi("p1"), { terminated: false });
    expect(record).toEqual({ seq: 8, cmi: { location: "p1", suspend_data: "" }, terminated: false });
    expect(stored()).toEqual(record);
    expect(server.requests).toHaveLength(1);
    expect(server.last.url).toBe("/scorm-content/run/tok/commit");
    expect(server.last.init).toMatchObject({
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      keepalive: true,
      credentials: "omit",
    });
    expect(server.last.body).toEqual(record);
    expect(statuses.at(-1)).toEqual({ pending: true, offline: false, failedAttempts: 0 });

    server.ack();
    await settle();
    expect(stored()).toBeNull();
    expect(statuses.at(-1)).toEqual({ pending: false, offline: false, failedAttempts: 0 });
    expect(outbox.enqueue(cmi("p2"), { terminated: false })?.seq).toBe(9);
  });

  it("reports the initial status on start and only changes after that", async () => {
    const { outbox, server, statuses } = setup();
    expect(statuses).toEqual([{ pending: false, offline: false, failedAttempts: 0 }]);
    outbox.enqueue(cmi("a"), { terminated: false });
    outbox.enqueue(cmi("b"), { terminated: false });
    server.ack();
    await settle();
    server.ack();
    await settle();
    expect(statuses).toEqual([
      { pending: false, offline: false, failedAttempts: 0 },
      { pending: true, offline: false, failedAttempts: 0 },
      { pending: false, offline: false, failedAttempts: 0 },
    ]);
  });

  it("keeps one request in flight and sends only the newest commit after it", async () => {
    const { outbox, server, saved, stored } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    outbox.enqueue(cmi("b"), { terminated: false });
    outbox.enqueue(cmi("c"), { terminated: false });
    expect(server.requests).toHaveLength(1);
    expect(stored()?.seq).toBe(3);
    server.ack();
    await settle();
    expect(server.requests.map((r) => [r.body.seq, r.body.cmi.location])).toEqual([
      [1, "a"],
      [3, "c"],
    ]);
    expect(stored()?.seq).toBe(3);
    server.ack({ done: true });
    await settle();
    expect(saved).toEqual([
      { seq: 1, state: { completion: "incomplete" }, stale: false },
      { seq: 3, state: { done: true }, stale: false },
    ]);
    expect(stored()).toBeNull();
  });

  it("skips a commit identical to the previous one, except a terminating one", async () => {
    const { outbox, server } = setup();
    expect(outbox.enqueue(cmi("a"), { terminated: false })?.seq).toBe(1);
    expect(outbox.enqueue(cmi("a"), { terminated: false })).toBeNull();
    server.ack();
    await settle();
    expect(outbox.enqueue(cmi("a"), { terminated: false })).toBeNull();
    expect(outbox.enqueue(cmi("a"), { terminated: true })?.seq).toBe(2);
    expect(server.requests.map((r) => r.body.seq)).toEqual([1, 2]);
  });

  it("retries network errors and server errors with back-off, and at once when the browser is online", async () => {
    const { outbox, server, clock, statuses } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.fail();
    await settle();
    expect(statuses.at(-1)).toEqual({ pending: true, offline: true, failedAttempts: 1 });
    clock.advance(499);
    expect(server.requests).toHaveLength(1);
    clock.advance(1);
    expect(server.requests).toHaveLength(2);

    server.last.respond(503);
    await settle();
    expect(statuses.at(-1)).toEqual({ pending: true, offline: false, failedAttempts: 2 });
    clock.advance(999);
    expect(server.requests).toHaveLength(2);
    clock.advance(1);
    expect(server.requests).toHaveLength(3);

    server.last.respond(429);
    await settle();
    expect(statuses.at(-1)?.failedAttempts).toBe(3);
    outbox.setOnline(true);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.map((r) => r.body.seq)).toEqual([1, 1, 1, 1]);
    server.ack();
    await settle();
    expect(statuses.at(-1)).toEqual({ pending: false, offline: false, failedAttempts: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it("waits for the back-off with a newer ordinary commit, not with a terminating one", async () => {
    const { outbox, server } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.respond(500);
    await settle();
    outbox.enqueue(cmi("b"), { terminated: false });
    expect(server.requests).toHaveLength(1);
    outbox.enqueue(cmi("c"), { terminated: true, immediate: true });
    expect(server.requests.map((r) => [r.body.seq, r.body.terminated])).toEqual([
      [1, false],
      [3, true],
    ]);
  });

  it("beacons a terminating commit that arrives while a request is in flight, then sends it after", async () => {
    const { outbox, server, beacons } = setup({ beacon: true });
    outbox.enqueue(cmi("a"), { terminated: false });
    outbox.enqueue(cmi("b"), { terminated: true, immediate: true, navRequest: "continue" });
    expect(beacons).toEqual([{ url: "/scorm-content/run/tok/commit", body: { seq: 2, cmi: { location: "b", suspend_data: "" }, terminated: true, navRequest: "continue" } }]);
    expect(server.requests).toHaveLength(1);
    server.last.respond(500);
    await settle();
    // The back-off does not hold back a terminating commit.
    expect(server.requests.map((r) => r.body.seq)).toEqual([1, 2]);
  });

  it("renumbers a commit the server refuses as a conflict (409)", async () => {
    const { outbox, server, clock, stored } = setup({ ackSeq: 4 });
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.respond(409, { ok: false, error: "scorm.commitConflict" });
    await settle();
    expect(stored()?.seq).toBe(6);
    clock.advance(1_000);
    expect(server.last.body.seq).toBe(6);
    server.ack();
    await settle();
    expect(outbox.enqueue(cmi("b"), { terminated: false })?.seq).toBe(7);
  });

  it("moves past the server's seq when told its commit is stale", async () => {
    const { outbox, server, saved } = setup({ ackSeq: 2 });
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.respond(200, { ok: true, stale: true, seq: 40, state: null });
    await settle();
    expect(saved).toEqual([{ seq: 3, state: null, stale: true }]);
    expect(outbox.enqueue(cmi("b"), { terminated: false })?.seq).toBe(41);
  });

  it("drops a commit the server refuses for good, and carries on with newer ones", async () => {
    const { outbox, server, clock, rejected, stored, statuses } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    outbox.enqueue(cmi("b"), { terminated: false });
    server.last.respond(400, { ok: false });
    await settle();
    expect(rejected).toEqual([{ seq: 1, status: 400 }]);
    expect(server.last.body.seq).toBe(2);
    server.last.respond(413);
    await settle();
    expect(rejected).toEqual([
      { seq: 1, status: 400 },
      { seq: 2, status: 413 },
    ]);
    expect(stored()).toBeNull();
    expect(statuses.at(-1)).toEqual({ pending: false, offline: false, failedAttempts: 0 });
    clock.advance(60_000);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 200 that is not an acknowledgement (e.g. a captive portal page)", async () => {
    const { outbox, server, clock } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.respond(200);
    await settle();
    clock.advance(1_000);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a request without an answer after the timeout and retries", async () => {
    const { outbox, server, clock, statuses } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    const hung = server.last;
    clock.advance(REQUEST_TIMEOUT_MS);
    await settle();
    expect(hung.init.signal?.aborted).toBe(true);
    expect(statuses.at(-1)).toEqual({ pending: true, offline: true, failedAttempts: 1 });
    clock.advance(1_000);
    expect(server.requests).toHaveLength(2);
    hung.respond(200, { ok: true, seq: 1 });
    await settle();
    expect(statuses.at(-1)?.pending).toBe(true);
  });

  it("tells the parent about termination once the terminate commit is acknowledged", async () => {
    const { outbox, server, terminated, clock } = setup();
    outbox.enqueue(cmi("a"), { terminated: true, immediate: true, navRequest: "{target=sco-2}choice" });
    expect(server.last.body).toMatchObject({ terminated: true, navRequest: "{target=sco-2}choice" });
    expect(terminated).toEqual([]);
    server.ack();
    await settle();
    expect(terminated).toEqual([{ navRequest: "{target=sco-2}choice", acknowledged: true }]);
    clock.advance(TERMINATE_NOTICE_MS);
    expect(terminated).toHaveLength(1);
  });

  it("tells the parent about termination after a few seconds when the server cannot be reached", async () => {
    const { outbox, server, terminated, clock, saved } = setup();
    outbox.enqueue(cmi("a"), { terminated: true, immediate: true });
    server.last.fail();
    await settle();
    clock.advance(TERMINATE_NOTICE_MS - 1);
    expect(terminated).toEqual([]);
    clock.advance(1);
    expect(terminated).toEqual([{ navRequest: null, acknowledged: false }]);
    // Still delivered later, without a second notice.
    server.ack();
    await settle();
    expect(saved).toHaveLength(1);
    expect(terminated).toHaveLength(1);
  });

  it("tells the parent at once when the terminate commit is refused, or the launch expired", async () => {
    for (const status of [400, 401]) {
      const { outbox, server, terminated } = setup();
      outbox.enqueue(cmi("a"), { terminated: true, immediate: true, navRequest: "exit" });
      server.last.respond(status);
      await settle();
      expect(terminated).toEqual([{ navRequest: "exit", acknowledged: false }]);
    }
    // Terminating after the launch expired: told at once as well.
    const { outbox, server, terminated, clock } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    server.last.respond(401);
    await settle();
    outbox.enqueue(cmi("b"), { terminated: true, immediate: true });
    expect(terminated).toEqual([{ navRequest: null, acknowledged: false }]);
    clock.advance(TERMINATE_NOTICE_MS);
    expect(terminated).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("flushes the unacknowledged commit with sendBeacon on page hide", async () => {
    const { outbox, server, beacons } = setup({ beacon: true });
    outbox.flush();
    expect(beacons).toEqual([]);
    outbox.enqueue(cmi("a"), { terminated: false });
    // Already on its way with keepalive.
    outbox.flush();
    expect(beacons).toEqual([]);
    server.last.fail();
    await settle();
    outbox.flush();
    expect(beacons).toEqual([{ url: "/scorm-content/run/tok/commit", body: { seq: 1, cmi: { location: "a", suspend_data: "" }, terminated: false } }]);
  });

  it("falls back to fetch keepalive when sendBeacon refuses or throws, but not for bodies over the keepalive quota", async () => {
    for (const beacon of [false, "throws", undefined] as const) {
      const { outbox, server } = setup({ beacon });
      outbox.enqueue(cmi("a"), { terminated: false });
      server.last.fail();
      await settle();
      outbox.flush();
      expect(server.requests).toHaveLength(2);
      expect(server.last.init.keepalive).toBe(true);
      expect(server.last.body.seq).toBe(1);
    }
    const { outbox, server, beacons } = setup({ beacon: false });
    const big = { cmi: { suspend_data: "é".repeat(KEEPALIVE_MAX_BYTES / 2) } };
    outbox.enqueue(big, { terminated: false });
    expect(server.last.init.keepalive).toBe(false);
    server.last.fail();
    await settle();
    outbox.flush();
    expect(beacons).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it.each([401, 403, 404])("keeps the commit and stops sending when the launch token no longer works (%i)", async (status) => {
    const { outbox, server, clock, storage, stored, statuses, rejected, expired, beacons } = setup({ beacon: true });
    outbox.enqueue(cmi("a"), { terminated: false });
    outbox.enqueue(cmi("b"), { terminated: false });
    server.last.respond(status);
    await settle();
    const before = statuses.length;
    expect(expired).toEqual([true]);
    expect(rejected).toEqual([]);
    expect(stored()).toMatchObject({ seq: 2, cmi: { location: "b" } });
    expect(statuses.at(-1)?.pending).toBe(true);
    expect(outbox.status.pending).toBe(true);
    // No retry loop, no other way out either: later commits are only stored.
    clock.advance(10 * 60_000);
    outbox.setOnline(true);
    outbox.enqueue(cmi("c"), { terminated: false });
    outbox.flush();
    clock.advance(10 * 60_000);
    expect(server.requests).toHaveLength(1);
    expect(beacons).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect(expired).toHaveLength(1);
    expect(stored()).toMatchObject({ seq: 3, cmi: { location: "c" } });
    expect(storage?.map.size).toBe(1);
    expect(statuses.slice(before - 1).every((s) => s.pending)).toBe(true);
  });

  it("sends the commit an expired launch kept with the next launch of the same attempt", async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const server = new FakeServer();
    const first = setup({ storage, clock, server, ackSeq: 4, commitUrl: "/scorm-content/run/old-token/commit" });
    first.outbox.enqueue(cmi("p7"), { terminated: false });
    first.server.last.respond(401);
    await settle();
    expect(first.expired).toHaveLength(1);
    first.outbox.dispose();

    // The learner re-opens the module: new token, same attempt, server still at seq 4.
    const second = setup({ storage, clock, server, ackSeq: 4, commitUrl: "/scorm-content/run/new-token/commit", start: false });
    expect(second.outbox.recovered).toEqual({ seq: 5, cmi: { location: "p7", suspend_data: "" }, terminated: false });
    const seed = learnerSeed({ version: "2004", learnerId: "u1", learnerName: "A", entry: "resume", savedCmi: { location: "p3" } });
    expect(seedWithRecoveredCommit("2004", seed, second.outbox.recovered).cmi).toMatchObject({ location: "p7", learner_id: "u1" });
    second.outbox.start();
    expect(server.requests).toHaveLength(2);
    expect(server.last.url).toBe("/scorm-content/run/new-token/commit");
    expect(server.last.body).toEqual({ seq: 5, cmi: { location: "p7", suspend_data: "" }, terminated: false });
    server.ack();
    await settle();
    expect(second.saved).toEqual([{ seq: 5, state: { completion: "incomplete" }, stale: false }]);
    expect(second.expired).toEqual([]);
    expect(storage.map.size).toBe(0);
    expect(second.statuses.at(-1)).toEqual({ pending: false, offline: false, failedAttempts: 0 });
  });

  it("stores and sends no commit URL and no learner identity", async () => {
    const { outbox, server, storage } = setup({ commitUrl: "/scorm-content/run/SECRET-TOKEN/commit" });
    outbox.enqueue(
      {
        cmi: {
          learner_id: "u-42",
          learner_name: "Novak, Ana",
          location: "p1",
          core: { student_id: "u-42", student_name: "Novak, Ana", lesson_location: "p1" },
        },
      },
      { terminated: false },
    );
    const raw = storage?.getItem(outboxKey("att-1")) ?? "";
    expect(JSON.parse(raw)).toEqual({ v: 2, savedAt: expect.any(Number), commit: { seq: 1, cmi: { location: "p1", core: { lesson_location: "p1" } }, terminated: false } });
    for (const text of [raw, server.last.init.body]) {
      expect(text).not.toMatch(/SECRET-TOKEN|u-42|Novak/);
    }
  });

  it("reads a format 1 entry, ignores its URL and rewrites it without URL and identity", () => {
    const storage = new MemoryStorage();
    const left: CommitRecord = {
      seq: 12,
      cmi: { core: { student_id: "u-42", student_name: "Novak, Ana", lesson_location: "p9" } },
      terminated: true,
      navRequest: "continue",
    };
    storage.setItem(outboxKey("att-1"), legacyEntry(left, "/scorm-content/run/OLD-TOKEN/commit", 1_600_000_000_000));
    const { outbox, server } = setup({ storage, ackSeq: 10 });
    const clean: CommitRecord = { seq: 12, cmi: { core: { lesson_location: "p9" } }, terminated: true, navRequest: "continue" };
    expect(outbox.recovered).toEqual(clean);
    expect(server.last.url).toBe("/scorm-content/run/tok/commit");
    expect(server.last.body).toEqual(clean);
    expect(JSON.parse(storage.getItem(outboxKey("att-1")) ?? "")).toEqual({ v: 2, savedAt: 1_600_000_000_000, commit: clean });
  });

  it("recovers a commit the previous page load could not deliver and sends it first", async () => {
    const storage = new MemoryStorage();
    const left: CommitRecord = { seq: 12, cmi: { location: "p9" }, terminated: false };
    storage.setItem(outboxKey("att-1"), storedEntry(left));
    const { outbox, server, statuses } = setup({ storage, ackSeq: 10, start: false });
    expect(outbox.recovered).toEqual(left);
    expect(outbox.status.pending).toBe(true);
    expect(server.requests).toHaveLength(0);
    outbox.start();
    expect(statuses).toEqual([{ pending: true, offline: false, failedAttempts: 0 }]);
    expect(server.last.body).toEqual(left);
    expect(server.last.url).toBe("/scorm-content/run/tok/commit");
    expect(outbox.enqueue(cmi("next"), { terminated: false })?.seq).toBe(13);
  });

  it("discards a stored commit the server already has, and still numbers above it", () => {
    const storage = new MemoryStorage();
    storage.setItem(outboxKey("att-1"), storedEntry({ seq: 5, cmi: { location: "x" }, terminated: false }));
    const { outbox, server } = setup({ storage, ackSeq: 5 });
    expect(outbox.recovered).toBeNull();
    expect(storage.map.size).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(outbox.enqueue(cmi("a"), { terminated: false })?.seq).toBe(6);
  });

  it("ignores and removes an unreadable stored entry", () => {
    const storage = new MemoryStorage();
    storage.setItem(outboxKey("att-1"), "{not json");
    const { outbox } = setup({ storage, ackSeq: 2 });
    expect(outbox.recovered).toBeNull();
    expect(storage.map.size).toBe(0);
  });

  it("numbers above a commit another tab stored for the same attempt", () => {
    const { outbox, storage } = setup();
    outbox.enqueue(cmi("a"), { terminated: false });
    storage?.setItem(outboxKey("att-1"), legacyEntry({ seq: 30, cmi: { location: "other tab" }, terminated: false }));
    expect(outbox.enqueue(cmi("b"), { terminated: false })?.seq).toBe(31);
  });

  it("keeps working without storage, or when storage writes fail", async () => {
    for (const storage of [null, Object.assign(new MemoryStorage(), { failWrites: true })]) {
      const { outbox, server } = setup({ storage });
      expect(outbox.enqueue(cmi("a"), { terminated: false })?.seq).toBe(1);
      server.ack();
      await settle();
      expect(outbox.enqueue(cmi("b"), { terminated: false })?.seq).toBe(2);
    }
  });

  it("is not disturbed by observers that throw", async () => {
    const { server, env } = setup();
    const boom = () => {
      throw new Error("observer");
    };
    const outbox = new CommitOutbox(
      { attemptId: "att-2", commitUrl: "/c", ackSeq: 0, onStatus: boom, onSaved: boom, onRejected: boom, onTerminated: boom },
      env,
    );
    outbox.start();
    expect(outbox.enqueue(cmi("a"), { terminated: true, immediate: true })?.seq).toBe(1);
    server.ack();
    await settle();
    expect(outbox.status.pending).toBe(false);
  });

  it("stops sending and scheduling after dispose", async () => {
    const { outbox, server, clock } = setup();
    outbox.enqueue(cmi("a"), { terminated: true });
    server.last.fail();
    await settle();
    outbox.dispose();
    expect(clock.pendingTimers).toBe(0);
    expect(outbox.enqueue(cmi("b"), { terminated: false })).toBeNull();
    outbox.setOnline(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe("seedWithRecoveredCommit", () => {
  const seed2004 = learnerSeed({
    version: "2004",
    learnerId: "u1",
    learnerName: "Novak, Ana",
    entry: "resume",
    launchData: "cfg",
    scaledPassingScore: 0.8,
    objectiveIds: ["obj-a", "obj-b"],
    sharedDataIds: ["shared-1", "shared-2"],
    sharedDataStores: { "shared-1": "server-1", "shared-2": "server-2" },
    savedCmi: { location: "old", suspend_data: "old-state", completion_status: "incomplete", score: { scaled: "0.1" } },
    totalSeconds: 600,
  });

  it("returns the seed unchanged without a recovered commit", () => {
    expect(seedWithRecoveredCommit("2004", seed2004, null)).toBe(seed2004);
  });

  it("2004: takes run-time data from the newer commit and keeps LMS-owned values", () => {
    const recovered: CommitRecord = {
      seq: 9,
      terminated: false,
      cmi: {
        learner_id: "tampered",
        location: "new",
        suspend_data: "new-state",
        completion_status: "completed",
        success_status: "passed",
        score: { scaled: "0.9", raw: "", min: "", max: "" },
        progress_measure: "",
        exit: "suspend",
        objectives: { 0: { id: "obj-a", success_status: "passed", completion_status: "unknown", score: { scaled: "" } } },
        interactions: { 0: { id: "q1", type: "choice", learner_response: "b", result: "correct" } },
      },
      adl: { data: { 0: { id: "shared-1", store: "client-1" } } },
    };
    const merged = seedWithRecoveredCommit("2004", seed2004, recovered);
    expect(merged.cmi).toMatchObject({
      learner_id: "u1",
      learner_name: "Novak, Ana",
      entry: "resume",
      launch_data: "cfg",
      scaled_passing_score: "0.8",
      total_time: "PT10M",
      location: "new",
      suspend_data: "new-state",
      completion_status: "completed",
      success_status: "passed",
      score: { scaled: "0.9" },
      objectives: [{ id: "obj-a", success_status: "passed", completion_status: "unknown" }, { id: "obj-b" }],
      interactions: [{ id: "q1", type: "choice", learner_response: "b", result: "correct" }],
    });
    expect(merged.cmi).not.toHaveProperty("progress_measure");
    expect(merged.cmi).not.toHaveProperty("exit");
    expect(Object.keys(merged.cmi).at(-1)).toBe("interactions");
    expect(merged.adl).toEqual({
      data: [
        { id: "shared-1", store: "client-1" },
        { id: "shared-2", store: "server-2" },
      ],
    });
  });

  it("2004: clears run-time data the newer commit no longer has, and resumes when it was suspended", () => {
    const fresh = learnerSeed({ version: "2004", learnerId: "u1", learnerName: "A", entry: "ab-initio" });
    const merged = seedWithRecoveredCommit("2004", { ...fresh, cmi: { ...fresh.cmi, location: "seeded" } }, {
      seq: 1,
      terminated: true,
      cmi: { location: "", suspend_data: "s", exit: "suspend" },
    });
    expect(merged.cmi).toMatchObject({ entry: "resume", suspend_data: "s" });
    expect(merged.cmi).not.toHaveProperty("location");
    const notSuspended = seedWithRecoveredCommit("2004", fresh, { seq: 1, terminated: true, cmi: { location: "l", exit: "normal" } });
    expect(notSuspended.cmi).toMatchObject({ entry: "ab-initio", location: "l" });
  });

  it("1.2: replaces core run-time fields, drops 'not attempted' and keeps the learner", () => {
    const seed = learnerSeed({
      version: "1.2",
      learnerId: "u1",
      learnerName: "Novak, Ana",
      entry: "ab-initio",
      masteryScore: 80,
    });
    const merged = seedWithRecoveredCommit("1.2", seed, {
      seq: 3,
      terminated: false,
      cmi: {
        suspend_data: "chunk",
        core: { student_id: "x", lesson_location: "5", lesson_status: "incomplete", exit: "", score: { raw: "40", min: "", max: "" } },
        student_preference: { audio: "", language: "sl", speed: "", text: "" },
      },
    });
    expect(merged.cmi).toMatchObject({
      core: { student_id: "u1", student_name: "Novak, Ana", entry: "resume", lesson_location: "5", lesson_status: "incomplete", score: { raw: "40" } },
      student_data: { mastery_score: "80" },
      suspend_data: "chunk",
      student_preference: { language: "sl" },
    });
    const notAttempted = seedWithRecoveredCommit("1.2", seed, { seq: 3, terminated: false, cmi: { core: { lesson_status: "not attempted", exit: "logout" } } });
    expect(notAttempted.cmi.core).not.toHaveProperty("lesson_status");
    expect(notAttempted.cmi.core).toMatchObject({ entry: "ab-initio" });
  });

  it("produces a seed scorm-again loads, so the SCO sees the recovered state", () => {
    const merged = seedWithRecoveredCommit("2004", seed2004, {
      seq: 9,
      terminated: false,
      cmi: { location: "recovered", suspend_data: "r", completion_status: "incomplete", exit: "suspend" },
    });
    const api = createScormApi({ version: "2004", liftLimits: true, logLevel: "NONE", autocommitSeconds: false });
    api.loadFromJSON(merged);
    api.Initialize("");
    expect(["cmi.location", "cmi.suspend_data", "cmi.entry", "cmi.learner_id", "adl.data.0.store"].map((el) => api.GetValue(el))).toEqual([
      "recovered",
      "r",
      "resume",
      "u1",
      "server-1",
    ]);
  });
});

describe("outboxHttpService with scorm-again", () => {
  it("2004: commits go to the outbox, the terminate commit carries adl.nav.request", async () => {
    const { outbox, server, terminated } = setup({ ackSeq: 2 });
    let api: ScormApi | null = null;
    const service = outboxHttpService(outbox, () => (api ? readNavRequest(api) : null));
    const api2004 = createScormApi({ version: "2004", liftLimits: true, logLevel: "NONE", autocommitSeconds: false, httpService: service, scoItemIds: ["b"] });
    api = api2004;
    api2004.Initialize("");
    api2004.SetValue("cmi.location", "p1");
    expect(api2004.Commit("")).toBe("true");
    expect(server.last.body).toMatchObject({ seq: 3, terminated: false, cmi: { location: "p1" } });
    expect(server.last.body).not.toHaveProperty("navRequest");
    server.ack();
    await settle();
    api2004.SetValue("adl.nav.request", "{target=b}choice");
    expect(api2004.Terminate("")).toBe("true");
    expect(api2004.GetLastError()).toBe("0");
    // scorm-again resets the request after Terminate; the commit captured it before.
    expect(readNavRequest(api2004)).toBeNull();
    expect(server.last.body).toMatchObject({ seq: 4, terminated: true, navRequest: "{target=b}choice", cmi: { location: "p1" } });
    server.ack();
    await settle();
    expect(terminated).toEqual([{ navRequest: "{target=b}choice", acknowledged: true }]);
  });

  it("1.2: LMSFinish sends a terminate commit without a navigation request", async () => {
    const { outbox, server, terminated } = setup();
    const api = createScormApi({ version: "1.2", liftLimits: true, logLevel: "NONE", autocommitSeconds: false, httpService: outboxHttpService(outbox, () => null) });
    api.LMSInitialize("");
    api.LMSSetValue("cmi.core.lesson_status", "completed");
    expect(api.LMSFinish("")).toBe("true");
    expect(server.last.body).toMatchObject({ seq: 1, terminated: true, cmi: { core: { lesson_status: "completed" } } });
    expect(server.last.body).not.toHaveProperty("navRequest");
    server.ack();
    await settle();
    expect(terminated).toEqual([{ navRequest: null, acknowledged: true }]);
    expect(readNavRequest(api)).toBeNull();
  });

  it.each(["1.2", "2004"] as const)("%s: commits of a seeded API carry no learner identity, sent or stored", (version) => {
    const { outbox, server, stored } = setup();
    const settings = { liftLimits: true, logLevel: "NONE", autocommitSeconds: false, httpService: outboxHttpService(outbox, () => null) } as const;
    const seed = learnerSeed({ version, learnerId: "u-42", learnerName: "Novak, Ana", entry: "ab-initio" });
    if (version === "1.2") {
      const api = createScormApi({ version, ...settings });
      api.loadFromJSON(seed);
      api.LMSInitialize("");
      expect(api.LMSGetValue("cmi.core.student_name")).toBe("Novak, Ana");
      api.LMSSetValue("cmi.core.lesson_location", "p1");
      api.LMSCommit("");
    } else {
      const api = createScormApi({ version, ...settings });
      api.loadFromJSON(seed);
      api.Initialize("");
      expect(api.GetValue("cmi.learner_name")).toBe("Novak, Ana");
      api.SetValue("cmi.location", "p1");
      api.Commit("");
    }
    expect(server.last.init.body).toContain("p1");
    for (const text of [server.last.init.body, JSON.stringify(stored())]) {
      expect(text).not.toMatch(/u-42|Novak|student_id|student_name|learner_id|learner_name/);
    }
  });

  it("answers success synchronously even when capturing the commit fails", () => {
    const { outbox } = setup();
    const service = outboxHttpService(outbox, () => {
      throw new Error("nav");
    });
    const result = service.processHttpRequest("x", { cmi: {} }, true, () => {}, () => {}, { isTerminateCommit: true, trigger: "terminate" });
    expect(result).toEqual({ result: "true", errorCode: 0 });
    expect(service.processHttpRequest("x", [], false, () => {}, () => {})).toEqual({ result: "true", errorCode: 0 });
  });
});

describe("pruneOrphanedOutboxes", () => {
  it("deletes other attempts' old or unreadable outboxes, never sends any, and strips format 1 entries", async () => {
    const { env, server, storage, clock } = setup({ start: false });
    const store = storage as MemoryStorage;
    const commit = (seq: number): CommitRecord => ({ seq, cmi: { location: String(seq) }, terminated: true });
    const mine = legacyEntry(commit(1), "/mine", clock.time - ORPHAN_MAX_AGE_MS - 1);
    store.setItem(outboxKey("att-1"), mine);
    store.setItem(outboxKey("recent"), storedEntry(commit(5), clock.time - ORPHAN_MAX_AGE_MS));
    store.setItem(outboxKey("recent-v1"), legacyEntry({ seq: 6, cmi: { learner_name: "Novak, Ana", location: "6" }, terminated: false }, "/c/TOKEN", clock.time - 1));
    store.setItem(outboxKey("ancient"), storedEntry(commit(7), clock.time - ORPHAN_MAX_AGE_MS - 1));
    store.setItem(outboxKey("ancient-v1"), legacyEntry(commit(8), "/c/ancient", clock.time - ORPHAN_MAX_AGE_MS - 1));
    store.setItem(outboxKey("broken"), "[]");
    store.setItem("unrelated", "keep");

    expect(pruneOrphanedOutboxes(env, "att-1")).toBe(3);
    await settle();
    expect(server.requests).toHaveLength(0);
    expect([...store.map.keys()].sort()).toEqual([outboxKey("att-1"), outboxKey("recent"), outboxKey("recent-v1"), "unrelated"].sort());
    expect(store.getItem(outboxKey("att-1"))).toBe(mine);
    expect(store.getItem(outboxKey("recent"))).toBe(storedEntry(commit(5), clock.time - ORPHAN_MAX_AGE_MS));
    expect(JSON.parse(store.getItem(outboxKey("recent-v1")) ?? "")).toEqual({
      v: 2,
      savedAt: clock.time - 1,
      commit: { seq: 6, cmi: { location: "6" }, terminated: false },
    });
  });

  it("does nothing without storage", () => {
    expect(pruneOrphanedOutboxes({ storage: null, now: () => 0 }, "att-1")).toBe(0);
  });
});
