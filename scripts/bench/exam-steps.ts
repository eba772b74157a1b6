// `npx tsx scripts/bench/exam-steps.ts`: what one learner's exam costs the app, step by step, on an
// otherwise idle app. Not a load test (that is `npm run bench:exam`): learners go one at a time,
// so the figures do not depend on how busy the machine is.
//
// The production build on 127.0.0.1:3530 against opora_bench_exam_steps on an embedded PostgreSQL
// of its own (.data/exam-steps-pg, port 5474), reached through a small proxy that counts the
// statements the app sends (every Parse and simple Query message; pg-boss's connections, named
// "pgboss", are left out). Learners walk the exam as the bench's browsers do (quiz page, start,
// attempt page, every answer saved in the background, submit, result), one step at a time for the
// whole group, so the app's CPU time over a step divided by its requests is that step's cost.
// Options: --learners N (40) --warm-up N (8) --show (print the first learner's statements) --failing (a third of the answers wrong: a failing submit)
//   --node-flags=F: node flags for the server, e.g. --node-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { UNSAFE_decodeViaTurboStream as decodeTurboStream } from "react-router";
import { answerFields } from "./exam-learner.ts";
import { createSessions, findExamQuiz, prepareLearners, resetAssessment } from "./exam-setup.ts";
import { benchDatabase, descendants, listeningPid, startApp, teardown } from "./lib.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const { values: opts } = parseArgs({ options: { learners: { type: "string", default: "40" }, "warm-up": { type: "string", default: "8" }, failing: { type: "boolean", default: false }, show: { type: "boolean", default: false }, "node-flags": { type: "string", default: "" } } });
const LEARNERS = Number(opts.learners);
const WARM_UP = Number(opts["warm-up"]);
/** Learners answer every question right (a passing submit, which completes the course), or with --failing a third wrong. */
const rightAnswer = (index: number) => !opts.failing || index % 3 !== 0;
const APP_PORT = 3530;
const PROXY_PORT = 5475;
const BASE = `http://127.0.0.1:${APP_PORT}`;
const COURSE = "recognising-trafficking";
const say = (line: string) => console.log(`[steps] ${line}`);

/** Forwards PostgreSQL connections to `target`, counting the statements clients other than pg-boss send. */
function countingProxy(target: URL) {
  let statements = 0;
  let showing = false;
  const shown: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    let buffer = Buffer.alloc(0);
    let startup = true;
    let counted = true;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (startup) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          if (code !== 80877103 && code !== 80877104) {
            const params = buffer.subarray(8, length).toString("utf8").split("\0");
            const name = params[params.indexOf("application_name") + 1];
            counted = params.indexOf("application_name") < 0 || name !== "pgboss";
            startup = false;
          }
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]);
        if (counted && (type === "P" || type === "Q")) {
          statements++;
          if (showing) shown.push(buffer.subarray(5, length + 1).toString("utf8").replace(/\0/g, " ").trim().slice(0, 160));
        }
        buffer = buffer.subarray(length + 1);
      }
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return {
    listen: () => new Promise<void>((resolve) => server.listen(PROXY_PORT, "127.0.0.1", resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
    count: () => statements,
    /** With --show: the statements sent while `work` runs. */
    async show(work: () => Promise<void>) {
      showing = true;
      try {
        await work();
      } finally {
        showing = false;
      }
      return shown.splice(0);
    },
  };
}

/** User and system CPU of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 13).map(Number).reduce((a, b) => a + b, 0);
}

/** A single-fetch answer's payload (an action's redirect is the whole payload). */
async function decode(body: string) {
  const { value } = await decodeTurboStream(new Response(body).body!, globalThis);
  return value as Record<string | symbol, unknown>;
}

type Learner = { cookie: string; attemptPath?: string; questions?: Array<{ id: string; kind: string; options?: Array<{ id: string }> }> };

async function request(method: "GET" | "POST", path: string, cookie: string, form?: URLSearchParams, accept = "*/*") {
  const headers: Record<string, string> = { cookie, accept, "sec-fetch-site": "same-origin" };
  if (form) Object.assign(headers, { origin: BASE, "content-type": "application/x-www-form-urlencoded;charset=UTF-8" });
  const response = await fetch(`${BASE}${path}`, { method, headers, body: form?.toString(), redirect: "manual" });
  const body = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return { status: response.status, body };
}

const { cleanups, finish } = teardown();
try {
  if (!existsSync(join(ROOT, "build/server/index.js"))) throw new Error("no build: npm run build first");
  const { url: databaseUrl } = await benchDatabase(ROOT, "opora_bench_exam_steps", cleanups, { dataDir: ".data/exam-steps-pg", port: 5474 });
  const target = new URL(databaseUrl);
  const proxy = countingProxy(target);
  await proxy.listen();
  cleanups.push(() => proxy.close());
  const proxiedUrl = Object.assign(new URL(databaseUrl), { host: `127.0.0.1:${PROXY_PORT}` }).toString();
  const app = await startApp(ROOT, APP_PORT, proxiedUrl, cleanups, {}, opts["node-flags"].split(/\s+/).filter(Boolean));
  const serverPid = listeningPid(APP_PORT, [app.pid!, ...descendants(app.pid!)]);
  if (!serverPid) throw new Error("cannot find the app's server process");

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const quiz = await findExamQuiz(db, COURSE, "final-assessment");
  await prepareLearners(db, quiz, WARM_UP + LEARNERS);
  await resetAssessment(db, quiz);
  const cookies = await createSessions(db, WARM_UP + LEARNERS);
  const learn = `/learn/${COURSE}`;

  type StepFigures = { statements: number[]; ticks: number; requests: number };
  const figures = new Map<string, StepFigures>();
  /** Runs `each` for every learner in turn, counting statements per request and the app's CPU over the step. */
  async function step(name: string, learners: Learner[], each: (learner: Learner) => Promise<void>, record: boolean) {
    const entry = figures.get(name) ?? { statements: [], ticks: 0, requests: 0 };
    const before = cpuTicks(serverPid!);
    for (const [index, learner] of learners.entries()) {
      const counted = proxy.count();
      if (record && opts.show && index === 0) say(`${name}:\n  ${(await proxy.show(() => each(learner))).join("\n  ")}`);
      else await each(learner);
      if (record) entry.statements.push(proxy.count() - counted);
    }
    if (record) {
      entry.ticks += cpuTicks(serverPid!) - before;
      entry.requests += learners.length;
      figures.set(name, entry);
    }
  }

  async function exam(learners: Learner[], record: boolean) {
    await step("quiz page", learners, async ({ cookie }) => void (await request("GET", `${learn}/quiz/${quiz.quizKey}`, cookie)), record);
    await step("start attempt", learners, async (learner) => {
      const started = await request("POST", `${learn}/quiz/${quiz.quizKey}.data`, learner.cookie, new URLSearchParams());
      const value = (await decode(started.body)) as { redirect?: string };
      if (!value.redirect) throw new Error(`start: no redirect (${started.status})`);
      learner.attemptPath = value.redirect;
    }, record);
    await step("attempt page", learners, async (learner) => {
      const page = await request("GET", `${learner.attemptPath}.data`, learner.cookie);
      const value = (await decode(page.body)) as Record<string, { data?: { questions: Learner["questions"] } }>;
      learner.questions = value["routes/learn/attempt"]?.data?.questions;
      if (!learner.questions?.length) throw new Error("attempt page: no questions");
    }, record);
    const count = learners[0].questions!.length;
    for (let index = 0; index < count; index++) {
      await step("save answer", learners, async (learner) => {
        const shown = learner.questions![index];
        const form = answerFields(quiz.questions.get(shown.id)!, shown as never, rightAnswer(index), Math.random);
        const saved = await request("POST", `${learner.attemptPath}/answer`, learner.cookie, form, "application/json");
        if (!JSON.parse(saved.body).ok) throw new Error(`save: ${saved.body}`);
      }, record);
    }
    await step("submit", learners, async (learner) => {
      const submitted = await request("POST", `${learner.attemptPath}.data`, learner.cookie, new URLSearchParams({ intent: "submit" }));
      const value = (await decode(submitted.body)) as { redirect?: string };
      if (!value.redirect?.endsWith("/result")) throw new Error(`submit: ${submitted.status}`);
    }, record);
    await step("result page", learners, async (learner) => void (await request("GET", `${learner.attemptPath}/result.data`, learner.cookie)), record);
  }

  const everyone: Learner[] = cookies.map((cookie) => ({ cookie }));
  say(`warming up with ${WARM_UP} learners`);
  await exam(everyone.slice(0, WARM_UP), false);
  say(`measuring ${LEARNERS} learners, one request at a time`);
  await exam(everyone.slice(WARM_UP), true);
  const ticksPerSecond = 100;
  for (const [name, entry] of figures) {
    const sorted = [...entry.statements].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const cpuMs = ((entry.ticks / ticksPerSecond) * 1000) / entry.requests;
    say(`${name.padEnd(14)} statements median ${median} (min ${sorted[0]}, max ${sorted[sorted.length - 1]}); app CPU ${cpuMs.toFixed(1)} ms/request over ${entry.requests}`);
  }
  await finish(0);
} catch (error) {
  console.error(error);
  await finish(1);
}
