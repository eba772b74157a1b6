import { describe, expect, it } from "vitest";
import { type AnswerOutboxEnv, AnswerOutbox, backoffDelay, BACKOFF_MAX_MS, classifySave, OUTBOX_KEY_PREFIX, type OutboxStatus, readStoredAnswers } from "./answer-outbox.ts";

// A manual clock, an in-memory storage and a server whose answers the test gives one by one.

class ManualTimers {
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  time = 0;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

type Sent = { body: string; answer(status: number, body?: unknown): Promise<void>; fail(): Promise<void> };

function setUp(stored?: string) {
  const storage = new Map<string, string>();
  if (stored) storage.set(`${OUTBOX_KEY_PREFIX}attempt-1`, stored);
  const timers = new ManualTimers();
  const sent: Sent[] = [];
  const statuses: OutboxStatus[] = [];
  const rejected: Array<[string, string]> = [];
  let closed = 0;
  const env: AnswerOutboxEnv = {
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
    fetch: (_url, init) =>
      new Promise((resolve, reject) => {
        const settle = () => new Promise<void>((done) => setTimeout(done, 0));
        sent.push({
          body: init.body.toString(),
          answer: (status, body = status === 200 ? { ok: true } : { ok: false }) => {
            resolve({ status, json: async () => body });
            return settle();
          },
          fail: () => {
            reject(new TypeError("Failed to fetch"));
            return settle();
          },
        });
      }),
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
  };
  const outbox = new AnswerOutbox(
    { attemptId: "attempt-1", saveUrl: "/save", onStatus: (s) => statuses.push(s), onRejected: (q, e) => rejected.push([q, e]), onClosed: () => closed++ },
    env,
  );
  const stored_ = () => readStoredAnswers(env.storage, "attempt-1").map((a) => a.questionKey);
  return { outbox, sent, timers, statuses, rejected, closed: () => closed, stored: stored_ };
}

const fields = (questionKey: string, optionId: string): Array<[string, string]> => [
  ["questionKey", questionKey],
  ["optionId", optionId],
];

describe("classifySave", () => {
  it("acknowledges only the server's own yes, retries what may pass, stops on what will not", () => {
    expect(classifySave(200, { ok: true })).toBe("acknowledged");
    expect(classifySave(200, null)).toBe("retry-server"); // a captive portal's page
    expect(classifySave(503, { ok: false })).toBe("retry-server");
    expect(classifySave(500, null)).toBe("retry-server");
    expect(classifySave(429, null)).toBe("retry-server");
    expect(classifySave(408, null)).toBe("retry-server");
    expect(classifySave(400, { ok: false, error: "quiz.invalidAnswer" })).toBe("rejected");
    expect(classifySave(401, null)).toBe("signed-out");
    expect(classifySave(409, { ok: false, closed: true })).toBe("closed");
    expect(classifySave(404, null)).toBe("gone");
  });

  it("backs off 1 s, 2 s, 4 s … up to 30 s, between half and all of it", () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, () => 1))).toEqual([1000, 2000, 4000]);
    expect(backoffDelay(2, () => 0)).toBe(1000);
    expect(backoffDelay(40, () => 1)).toBe(BACKOFF_MAX_MS);
  });
});

describe("AnswerOutbox", () => {
  it("keeps an answer on the device until the server has it, retrying while offline and at once when back online", async () => {
    const { outbox, sent, timers, statuses, stored } = setUp();
    outbox.start();
    outbox.enqueue("q1", fields("q1", "a"));
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toBe("questionKey=q1&optionId=a");
    expect(stored()).toEqual(["q1"]);
    expect(outbox.status.state).toBe("saving");

    await sent[0].fail();
    expect(outbox.status).toEqual({ state: "waiting", pending: ["q1"], offline: true });
    expect(stored()).toEqual(["q1"]);
    // Answers keep coming while offline; nothing is sent until the back-off ends.
    outbox.enqueue("q2", fields("q2", "b"));
    expect(sent).toHaveLength(1);
    timers.advance(1000);
    expect(sent).toHaveLength(2);
    await sent[1].fail();
    timers.advance(1000); // the second delay is 2 s (1.5 s with this jitter): not yet
    expect(sent).toHaveLength(2);

    // The browser says it is online: no waiting for the back-off.
    outbox.setOnline(true);
    expect(sent).toHaveLength(3);
    await sent[2].answer(200);
    expect(sent).toHaveLength(4);
    expect(sent[3].body).toBe("questionKey=q2&optionId=b");
    await sent[3].answer(200);
    expect(outbox.status).toEqual({ state: "idle", pending: [], offline: false });
    expect(stored()).toEqual([]);
    expect(statuses.map((s) => s.state)).toContain("waiting");
  });

  it("retries through a 503 and sends only the newest answer to a question", async () => {
    const { outbox, sent, timers } = setUp();
    outbox.start();
    outbox.enqueue("q1", fields("q1", "a"));
    await sent[0].answer(503);
    expect(outbox.status).toMatchObject({ state: "waiting", offline: false });
    outbox.enqueue("q1", fields("q1", "b"));
    timers.advance(1000);
    expect(sent.map((s) => s.body)).toEqual(["questionKey=q1&optionId=a", "questionKey=q1&optionId=b"]);
    await sent[1].answer(200);
    expect(outbox.status.pending).toEqual([]);
  });

  it("sends a newer answer given while the older one was on its way", async () => {
    const { outbox, sent } = setUp();
    outbox.start();
    outbox.enqueue("q1", fields("q1", "a"));
    outbox.enqueue("q1", fields("q1", "b"));
    await sent[0].answer(200);
    expect(sent.map((s) => s.body)).toEqual(["questionKey=q1&optionId=a", "questionKey=q1&optionId=b"]);
    await sent[1].answer(200);
    expect(outbox.status.pending).toEqual([]);
  });

  it("sends what an earlier page left stored first, and keeps answers when the session ended", async () => {
    const { outbox, sent, stored } = setUp(JSON.stringify({ v: 1, entries: [{ questionKey: "q3", fields: [["questionKey", "q3"], ["text", "112"]] }, { bad: true }] }));
    expect(outbox.pending).toEqual([{ questionKey: "q3", fields: [["questionKey", "q3"], ["text", "112"]] }]);
    outbox.start();
    expect(sent[0].body).toBe("questionKey=q3&text=112");
    await sent[0].answer(401);
    expect(outbox.status.state).toBe("signed-out");
    outbox.enqueue("q4", fields("q4", "x"));
    expect(sent).toHaveLength(1);
    expect(stored()).toEqual(["q3", "q4"]);
  });

  it("drops a refused answer and reports it; stops for good when the attempt is closed", async () => {
    const { outbox, sent, rejected, closed, stored } = setUp();
    outbox.start();
    outbox.enqueue("q1", fields("q1", "zzz"));
    outbox.enqueue("q2", fields("q2", "b"));
    await sent[0].answer(400, { ok: false, error: "quiz.invalidAnswer" });
    expect(rejected).toEqual([["q1", "quiz.invalidAnswer"]]);
    await sent[1].answer(409, { ok: false, closed: true });
    expect(closed()).toBe(1);
    expect(outbox.status).toEqual({ state: "closed", pending: [], offline: false });
    expect(stored()).toEqual([]);
    outbox.enqueue("q3", fields("q3", "c"));
    expect(sent).toHaveLength(2);
  });
});
