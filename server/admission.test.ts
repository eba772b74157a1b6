import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { admissionFromEnv, createAdmission } from "./admission.mjs";
import { requestKind } from "./index.mjs";

/** A stand-in for the app's busy page: what admission handed it, as JSON. */
const pageFor = (headers: { cookie?: string; "accept-language"?: string }, seconds: number, reload: boolean) => JSON.stringify({ headers, seconds, reload });

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/**
 * A server whose requests each wait until the test lets them finish (`finish(path)`), behind the
 * given admission; `ran` lists the paths the app started on, in order.
 */
async function serve(admission: ReturnType<typeof createAdmission>) {
  const ran: string[] = [];
  const open = new Map<string, ServerResponse>();
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    admission.admit(
      req,
      res,
      () => {
        ran.push(path);
        open.set(path, res);
      },
      requestKind(req) ?? {},
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const send = (path: string, { method = "GET", headers = {} as Record<string, string>, body = "" } = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  const finish = (path: string) => {
    const res = open.get(path);
    if (!res) throw new Error(`${path} has not started`);
    res.writeHead(200, { "Content-Type": "text/plain" }).end(`done ${path}`);
  };
  return { ran, send, until, finish };
}

describe("admission", () => {
  it("works on at most maxInFlight requests, and starts those in line as places free up, first come first served", async () => {
    const admission = createAdmission({ maxInFlight: 2, maxWaitMs: 60_000 });
    const { ran, send, until, finish } = await serve(admission);
    const replies = [send("/a"), send("/b")];
    await until(() => ran.length === 2);
    replies.push(send("/c"));
    await until(() => admission.stats().inLine === 1);
    replies.push(send("/learn/course/attempt/x1.data"));
    await until(() => admission.stats().inLine === 2);
    expect(ran).toEqual(["/a", "/b"]);

    finish("/a");
    await until(() => ran.length === 3);
    expect(ran[2]).toBe("/c");
    finish("/b");
    await until(() => ran.length === 4);
    expect(ran[3]).toBe("/learn/course/attempt/x1.data");
    finish("/c");
    finish("/learn/course/attempt/x1.data");
    const bodies = (await Promise.all(replies)).map((r) => `${r.status} ${r.body}`);
    expect(bodies).toEqual(["200 done /a", "200 done /b", "200 done /c", "200 done /learn/course/attempt/x1.data"]);
    expect(admission.stats()).toMatchObject({ inFlight: 0, inLine: 0, started: 4, queued: 2, turnedAway: 0 });
  });

  it("turns a new request away at once, untouched, when the line holds more than maxWaitMs of work", async () => {
    let clock = 0;
    // Requests take 20 ms each at first (the running estimate's start): two places, so the line
    // may hold 3 requests within 30 ms of work, and a fourth would wait 40 ms.
    const admission = createAdmission({ maxInFlight: 2, maxWaitMs: 30, now: () => clock, random: () => 0, page: pageFor });
    const { ran, send, until, finish } = await serve(admission);
    const held = [send("/a"), send("/b"), send("/c"), send("/d"), send("/e")];
    await until(() => ran.length === 2 && admission.stats().inLine === 3);

    const api = await send("/org/export.csv", { headers: { cookie: "opora_session=one" } });
    expect(api.status).toBe(503);
    expect(api.headers["opora-busy"]).toBe("1");
    expect(api.headers["retry-after"]).toBe("2");
    expect(api.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(api.body)).toEqual({ error: "busy", retryAfterSeconds: 2 });
    expect(ran).not.toContain("/org/export.csv");

    // A browser's page: the app's busy page (app/utils/busy-page.server.ts; here a stand-in that
    // shows what it was given), with the same headers.
    const page = await send("/learn/course/quiz/final", { headers: { accept: "text/html,*/*", "accept-language": "en-GB,en;q=0.9", cookie: "opora_lang=x" } });
    expect(page.status).toBe(503);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect([page.headers["retry-after"], page.headers["opora-busy"]]).toEqual(["2", "1"]);
    expect(JSON.parse(page.body)).toEqual({ headers: { cookie: "opora_lang=x", "accept-language": "en-GB,en;q=0.9" }, seconds: 2, reload: true });
    // A form posted without JavaScript would not be sent again by a reload: the page is told.
    const form = await send("/login", { method: "POST", headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" }, body: "email=a%40b.test" });
    expect(form.status).toBe(503);
    expect(JSON.parse(form.body)).toMatchObject({ reload: false });
    // React Router's data requests get the JSON answer, whatever they accept.
    expect((await send("/learn/course.data", { headers: { accept: "text/html" } })).headers["content-type"]).toBe("application/json");
    const head = await send("/", { method: "HEAD", headers: { accept: "text/html" } });
    expect([head.status, head.body]).toEqual([503, ""]);
    expect(ran).toEqual(["/a", "/b"]);

    // Work in progress still gets in line, and everything in line is served in the end, in order.
    const answer = send("/learn/course/attempt/x1/answer", { method: "POST", body: "questionKey=q1" });
    await until(() => admission.stats().inLine === 4);
    for (const path of ["/a", "/b"]) finish(path);
    await until(() => ran.length === 4);
    expect(ran.slice(2)).toEqual(["/c", "/d"]);
    for (const path of ["/c", "/d"]) finish(path);
    await until(() => ran.length === 6);
    expect(ran.slice(4)).toEqual(["/e", "/learn/course/attempt/x1/answer"]);
    for (const path of ["/e", "/learn/course/attempt/x1/answer"]) finish(path);
    expect((await Promise.all([...held, answer])).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(admission.stats()).toMatchObject({ inFlight: 0, inLine: 0, turnedAway: 5 });
  });

  it("spreads the crowd it turns away over the time the crowd needs, and skips clients that left the line", async () => {
    const clock = 0;
    const admission = createAdmission({ maxInFlight: 1, maxWaitMs: 0, now: () => clock, random: () => 1, maxRetrySeconds: 60 });
    const { ran, send, until, finish } = await serve(admission);
    const first = send("/first");
    await until(() => ran.length === 1);
    // 20 ms a request, one place: 100 distinct clients waiting need 2 s beyond the first retry.
    const retryAfter: number[] = [];
    for (let i = 0; i < 100; i++) retryAfter.push(Number((await send("/", { headers: { cookie: `opora_session=${i}` } })).headers["retry-after"]));
    expect(retryAfter[0]).toBe(2);
    expect(retryAfter[99]).toBe(4);
    expect(retryAfter).toEqual([...retryAfter].sort((a, b) => a - b));
    // The same client coming back does not grow the crowd.
    expect((await send("/", { headers: { cookie: "opora_session=5" } })).headers["retry-after"]).toBe("4");
    expect(admission.stats().crowd).toBe(100);
    // Without the app's page (none given here), a browser too gets the short JSON answer.
    const browser = await send("/", { headers: { accept: "text/html", cookie: "opora_session=5" } });
    expect([browser.status, browser.headers["content-type"], JSON.parse(browser.body).error]).toEqual([503, "application/json", "busy"]);

    // Work in progress waits in line; a client that closes its connection there is never started.
    const req = request({ host: "127.0.0.1", port: (server!.address() as AddressInfo).port, path: "/learn/c/attempt/gone.data", agent: false });
    req.on("error", () => {});
    req.end();
    await until(() => admission.stats().inLine === 1);
    req.destroy();
    await new Promise((r) => setTimeout(r, 20));
    finish("/first");
    expect((await first).status).toBe(200);
    await until(() => admission.stats().inFlight === 0 && admission.stats().inLine === 0);
    expect(ran).toEqual(["/first"]);
  });

  it("counts a client let in no longer in the crowd waiting outside", async () => {
    const admission = createAdmission({ maxInFlight: 1, maxWaitMs: 0 });
    const { ran, send, until, finish } = await serve(admission);
    const first = send("/first", { headers: { cookie: "opora_session=a" } });
    await until(() => ran.length === 1);
    for (const who of ["b", "c"]) expect((await send("/learn/c/quiz/final", { headers: { cookie: `opora_session=${who}` } })).status).toBe(503);
    expect(admission.stats().crowd).toBe(2);
    finish("/first");
    expect((await first).status).toBe(200);
    await until(() => admission.stats().inFlight === 0);
    const inside = send("/learn/c/quiz/final", { headers: { cookie: "opora_session=b" } });
    await until(() => ran.length === 2);
    expect(admission.stats().crowd).toBe(1);
    finish("/learn/c/quiz/final");
    expect((await inside).status).toBe(200);
  });

  it("turns work in progress away only when the line holds maxInProgressInLine requests", async () => {
    const admission = createAdmission({ maxInFlight: 1, maxWaitMs: 0, maxInProgressInLine: 2 });
    const { ran, send, until, finish } = await serve(admission);
    const first = send("/first");
    await until(() => ran.length === 1);
    expect((await send("/learn/c/lesson/one.data")).status).toBe(503);
    const answers = [send("/learn/c/attempt/a/answer", { method: "POST" }), send("/learn/c/attempt/b/answer", { method: "POST" })];
    await until(() => admission.stats().inLine === 2);
    const third = await send("/learn/c/attempt/c/answer", { method: "POST" });
    expect(third.status).toBe(503);
    expect(third.headers["opora-busy"]).toBe("1");
    finish("/first");
    await until(() => ran.length === 2);
    finish("/learn/c/attempt/a/answer");
    await until(() => ran.length === 3);
    finish("/learn/c/attempt/b/answer");
    expect([(await first).status, ...(await Promise.all(answers)).map((r) => r.status)]).toEqual([200, 200, 200]);
    expect(ran).toEqual(["/first", "/learn/c/attempt/a/answer", "/learn/c/attempt/b/answer"]);
  });

  it("stops counting a response still going after holdCapMs (a download to a slow phone)", async () => {
    const admission = createAdmission({ maxInFlight: 1, maxWaitMs: 60_000, holdCapMs: 30 });
    const { ran, send, until, finish } = await serve(admission);
    const slow = send("/org/export.csv");
    await until(() => ran.length === 1);
    const next = send("/next");
    await until(() => ran.length === 2);
    finish("/next");
    expect((await next).status).toBe(200);
    finish("/org/export.csv");
    expect((await slow).status).toBe(200);
  });

  it("reads its settings from the environment, and refuses nonsense", () => {
    expect(admissionFromEnv({}).stats()).toMatchObject({ maxInFlight: 8, maxWaitMs: 1000 });
    expect(admissionFromEnv({ MAX_IN_FLIGHT: "16", MAX_QUEUE_WAIT_MS: "250" }).stats()).toMatchObject({ maxInFlight: 16, maxWaitMs: 250 });
    expect(() => admissionFromEnv({ MAX_IN_FLIGHT: "eight" })).toThrow(/MAX_IN_FLIGHT must be a whole number/);
    expect(() => admissionFromEnv({ MAX_QUEUE_WAIT_MS: "-1" })).toThrow(/MAX_QUEUE_WAIT_MS must be a whole number/);
  });

  it("without a limit (MAX_IN_FLIGHT=0) starts everything at once", async () => {
    const admission = admissionFromEnv({ MAX_IN_FLIGHT: "0" });
    const { ran, send, until, finish } = await serve(admission);
    const replies = Array.from({ length: 20 }, (_, i) => send(`/p${i}`));
    await until(() => ran.length === 20);
    for (let i = 0; i < 20; i++) finish(`/p${i}`);
    expect((await Promise.all(replies)).every((r) => r.status === 200)).toBe(true);
  });
});

describe("requestKind", () => {
  const kind = (method: string, url: string) => requestKind({ method, url } as IncomingMessage);
  it("never turns away a learner's open attempt or the start of one, and answers the health check outside admission", () => {
    expect(kind("GET", "/learn/recognising-trafficking/attempt/abc")).toEqual({ inProgress: true });
    expect(kind("GET", "/learn/recognising-trafficking/attempt/abc.data?_routes=x")).toEqual({ inProgress: true });
    expect(kind("POST", "/learn/recognising-trafficking/attempt/abc/answer")).toEqual({ inProgress: true });
    expect(kind("GET", "/learn/recognising-trafficking/attempt/abc/result.data")).toEqual({ inProgress: true });
    expect(kind("POST", "/learn/recognising-trafficking/quiz/final.data")).toEqual({ inProgress: true });
    expect(kind("GET", "/learn/recognising-trafficking/quiz/final")).toEqual({ inProgress: false });
    expect(kind("GET", "/learn/recognising-trafficking/lesson/one")).toEqual({ inProgress: false });
    expect(kind("POST", "/login")).toEqual({ inProgress: false });
    expect(kind("GET", "/healthz")).toBeNull();
  });
});
