import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUSY_HEADER as SERVER_BUSY_HEADER } from "../../server/admission.mjs";
import { BUSY_HEADER, createBusyWaits, withBusyRetry } from "./busy-retry.ts";

// A real server that answers "busy" the first `busyFor` times, then echoes what it received.
let server: Server;
let base: string;
let busyFor: number;
let plain503 = false;
let received: string[];

beforeEach(async () => {
  busyFor = 0;
  plain503 = false;
  received = [];
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push(`${req.method} ${req.url} ${body}`);
      if (plain503) return res.writeHead(503, { "Retry-After": "5" }).end("database unavailable");
      if (busyFor-- > 0) return res.writeHead(503, { "Retry-After": "3", [SERVER_BUSY_HEADER]: "1" }).end('{"error":"busy"}');
      res.writeHead(200, { "Content-Type": "text/plain" }).end(`got ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  server.closeAllConnections();
  server.close();
});

/** No real waiting: the clock moves by each delay the retry asks for. */
function harness(options: { giveUpAfterMs?: number } = {}) {
  let clock = 0;
  const delays: number[] = [];
  const waits = createBusyWaits();
  const shown: Array<number | null> = [];
  waits.subscribe(() => shown.push(waits.getSnapshot()?.retryInSeconds ?? null));
  const fetchWithRetry = withBusyRetry(fetch, {
    ...options,
    now: () => clock,
    random: () => 0.5,
    waits,
    sleep: async (ms, signal) => {
      delays.push(ms);
      clock += ms;
      signal?.throwIfAborted();
    },
  });
  return { fetchWithRetry, delays, shown };
}

describe("withBusyRetry", () => {
  it("uses the server's header name", () => {
    expect(BUSY_HEADER).toBe(SERVER_BUSY_HEADER);
  });

  it("sends a form post again, the same, after each busy answer, and the page shows the wait until it is through", async () => {
    busyFor = 2;
    const { fetchWithRetry, delays, shown } = harness();
    const response = await fetchWithRetry(`${base}/learn/c/quiz/final.data`, { method: "POST", body: new URLSearchParams({ intent: "start" }) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("got intent=start");
    expect(received).toEqual(Array(3).fill("POST /learn/c/quiz/final.data intent=start"));
    // Retry-After 3 s, plus up to a quarter more (here an eighth) so the crowd spreads.
    expect(delays).toEqual([3375, 3375]);
    expect(shown).toEqual([3, null, 3, null]);
  });

  it("sends a Request object's body again", async () => {
    busyFor = 1;
    const { fetchWithRetry } = harness();
    const response = await fetchWithRetry(new Request(`${base}/answer`, { method: "POST", body: '{"questionKey":"q1"}', headers: { "Content-Type": "application/json" } }));
    expect(await response.text()).toBe('got {"questionKey":"q1"}');
    expect(received).toEqual(Array(2).fill('POST /answer {"questionKey":"q1"}'));
  });

  it("passes any other 503 straight to the page: the request may have run", async () => {
    plain503 = true;
    const { fetchWithRetry, delays } = harness();
    const response = await fetchWithRetry(`${base}/learn/c/attempt/a1.data`, { method: "POST", body: "intent=submit" });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("database unavailable");
    expect(received).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("gives up, handing the busy answer to the page, when the next try would pass the give-up time", async () => {
    busyFor = 100;
    const { fetchWithRetry, delays, shown } = harness({ giveUpAfterMs: 10_000 });
    const response = await fetchWithRetry(`${base}/learn/c/quiz/final.data`);
    expect(response.status).toBe(503);
    expect(response.headers.get(BUSY_HEADER)).toBe("1");
    expect(delays).toEqual([3375, 3375]);
    expect(received).toHaveLength(3);
    expect(shown.at(-1)).toBeNull();
  });

  it("stops waiting when the page no longer wants the answer (navigation aborted)", async () => {
    busyFor = 100;
    const controller = new AbortController();
    const { fetchWithRetry, shown } = harness();
    const pending = fetchWithRetry(`${base}/learn/c/lesson/one.data`, { signal: controller.signal });
    controller.abort(new Error("navigated away"));
    await expect(pending).rejects.toThrow(/navigated away|aborted/);
    expect(received.length).toBeLessThanOrEqual(1);
    expect(shown.at(-1) ?? null).toBeNull();
  });
});
