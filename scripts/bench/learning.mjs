// `npm run bench`: how the production build holds up under learners' load. A benchmark, not a
// test: it prints figures and fails only when setup fails. Never part of `npm test` or CI.
//   lesson page (GET) · answer save (POST, 302) · quiz submit (POST, once per attempt)
//   · a bare node:http server sending the lesson's bytes: the ceiling of this machine and client.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL on .data/bench-pg (port 5460);
// the database opora_bench is recreated on every run. The app listens on 127.0.0.1:3200.
// Options: --learners N (200) --duration S (15) --connections C (50)
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/embedded-db.mjs";
import { applyMigrations } from "../lib/migrate.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const options = { learners: { type: "string", default: "200" }, duration: { type: "string", default: "15" }, connections: { type: "string", default: "50" } };
const { values: opts } = parseArgs({ options });
const [LEARNERS, DURATION, CONNECTIONS] = [opts.learners, opts.duration, opts.connections].map(Number);
if (![LEARNERS, DURATION, CONNECTIONS].every((n) => Number.isInteger(n) && n > 0)) throw new Error("--learners, --duration and --connections take whole numbers above 0");
const APP_PORT = 3200, BARE_PORT = 3201, BASE = `http://127.0.0.1:${APP_PORT}`;
const SLUG = "recognising-trafficking", QUIZ = "understanding-quiz";
const LESSON_URL = `${BASE}/learn/${SLUG}/lesson/what-is-trafficking`;
const say = (line) => console.log(`[bench] ${line}`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

// Teardown runs whatever happened, so no app or PostgreSQL is left behind by a failed setup.
const cleanups = [];
async function finish(code) {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e) => console.error(`[bench] cleanup: ${e.message}`));
  process.exit(code);
}
process.on("SIGINT", () => finish(130));

try {
  say(`load average at start: ${load()}`);
  // 1. A fresh database on its own server, so the figures never mix with dev or test data.
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: join(ROOT, ".data/bench-pg"), port: 5460, database: "postgres" });
  if (embedded) cleanups.push(() => embedded.stop());
  const urlOf = (database) => Object.assign(new URL(embedded?.serverUrl ?? process.env.DATABASE_URL), { pathname: `/${database}` }).toString();
  const admin = new pg.Client({ connectionString: urlOf("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "opora_bench" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "opora_bench"`);
  await admin.end();
  const databaseUrl = urlOf("opora_bench");
  await applyMigrations(databaseUrl);

  // 2. The app exactly as users run it (start.mjs also rebuilds when sources are newer).
  if (!existsSync(join(ROOT, "build/server/index.js"))) {
    say("no build yet: npm run build");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("build failed");
  }
  if (await fetch(`${BASE}/healthz`).then(() => true, () => false)) throw new Error(`port ${APP_PORT} is taken: is an earlier bench still running?`);
  const env = { ...process.env, PORT: String(APP_PORT), HOST: "127.0.0.1", PUBLIC_URL: BASE, DATABASE_URL: databaseUrl, SEED_DEMO: "1", NODE_ENV: "production" };
  const app = spawn("node", ["scripts/start.mjs"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
  let appLog = "";
  const appErrors = []; // the app logs every 5xx response: kept to show why a step failed
  for (const stream of [app.stdout, app.stderr]) {
    stream.on("data", (chunk) => {
      appLog = (appLog + chunk).slice(-8000);
      for (const line of String(chunk).split("\n")) {
        if (/ 5\d\d \d+ms$|error/i.test(line) && !/^\s/.test(line)) appErrors.push(line.replace(/\/attempt\/\w+/, "/attempt/<id>").replace(/\d+ ?ms\b/g, "N ms").slice(0, 160));
      }
    });
  }
  cleanups.push(() => stopChild(app));
  await waitForHealth(app, () => appLog);
  say(`app ready (pid ${app.pid})`);

  // 3. Learners in the demo learner's department, inserted by SQL (fast); sessions come from real
  //    log-ins, so the cookies are exactly what browsers hold. Set A browses and answers, B submits.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  await db.query(
    `WITH demo AS (SELECT u."passwordHash", m."organisationId", m."departmentId" FROM "User" u JOIN "Membership" m ON m."userId" = u.id WHERE u.email = 'learner@opora.test'),
     users AS (INSERT INTO "User" (id, email, name, profession, "passwordHash", "emailVerifiedAt", "updatedAt")
       SELECT 'bench-' || i, 'bench-' || i || '@opora.test', 'Bench Learner ' || i, 'NURSE', demo."passwordHash", now(), now() FROM demo, generate_series(1, $1) i RETURNING id)
     INSERT INTO "Membership" (id, "userId", "organisationId", "departmentId", roles) SELECT 'm-' || users.id, users.id, demo."organisationId", demo."departmentId", ARRAY['LEARNER'] FROM users, demo`,
    [2 * LEARNERS],
  );
  let t = performance.now();
  const learners = await pool(Array.from({ length: 2 * LEARNERS }, (_, i) => `bench-${i + 1}`), 8, async (userId) => {
    const res = await post("/login", { email: `${userId}@opora.test`, password: "opora-demo-2026", redirectTo: "/" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("opora_session="))?.split(";")[0];
    if (res.status !== 302 || !cookie) throw new Error(`log-in of ${userId} failed: ${res.status}`);
    return { userId, cookie };
  });
  say(`${learners.length} learners logged in (${Math.round(performance.now() - t)} ms)`);

  // 4. Enrol and start the module-1 quiz, as the buttons do.
  t = performance.now();
  await pool(learners, 8, async (learner) => {
    const enrolled = await post(`/courses/${SLUG}`, {}, learner.cookie);
    const started = enrolled.status === 302 ? await post(`/learn/${SLUG}/quiz/${QUIZ}`, {}, learner.cookie) : enrolled;
    learner.attemptId = started.headers.get("location")?.match(/\/attempt\/([^/?]+)$/)?.[1];
    if (!learner.attemptId) throw new Error(`enrolment or quiz start of ${learner.userId} failed: ${started.status}`);
  });
  say(`enrolled and started ${learners.length} quiz attempts (${Math.round(performance.now() - t)} ms)`);

  // The drawn questions and the quiz as stored, to build valid answers.
  const { rows } = await db.query(
    `SELECT a.id, a.questions, c.content FROM "QuizAttempt" a JOIN "Enrolment" e ON e.id = a."enrolmentId"
     JOIN "ContentItem" c ON c."courseVersionId" = e."courseVersionId" AND c.key = a."itemKey" WHERE a."userId" LIKE 'bench-%'`,
  );
  const drawnOf = new Map(rows.map((r) => [r.id, r.questions.map((d) => r.content.questions.find((q) => q.id === d.id))]));
  const setA = learners.slice(0, LEARNERS), setB = learners.slice(LEARNERS);
  // Answer saves: one single-choice or true/false question per attempt (plain form fields). A
  // learner who drew neither kind only reads lessons.
  const answers = setA.flatMap((learner) => {
    const question = drawnOf.get(learner.attemptId).find((q) => q.kind === "single" || q.kind === "true_false");
    const field = question?.kind === "single" ? { optionId: question.options[0].id } : { value: "true" };
    return question ? [{ path: `/learn/${SLUG}/attempt/${learner.attemptId}`, cookie: learner.cookie, body: form({ questionKey: question.id, ...field, goto: "next" }) }] : [];
  });
  // A submit grades what was saved: set B has every drawn question answered correctly, so each
  // submit takes the full path (grade every answer, pass, mark the quiz done).
  for (const { attemptId } of setB) {
    for (const q of drawnOf.get(attemptId)) {
      await db.query(`INSERT INTO "QuizAnswer" (id, "attemptId", "questionKey", response, "answeredAt") VALUES ($1, $2, $3, $4, now())`, [randomUUID(), attemptId, q.id, correctResponse(q)]);
    }
  }

  // Preflight: each request must get what a browser gets (not a log-in page), or the figures lie.
  const lessonRes = await fetch(LESSON_URL, { headers: { cookie: setA[0].cookie } });
  const lessonHtml = Buffer.from(await lessonRes.arrayBuffer());
  if (lessonRes.status !== 200 || !lessonHtml.includes("<article")) throw new Error(`lesson page: ${lessonRes.status}`);
  const check = await post(answers[0].path, answers[0].body, answers[0].cookie);
  if (check.status !== 302 || !/\?(q=|review)/.test(check.headers.get("location") ?? "")) throw new Error(`answer save: ${check.status} ${check.headers.get("location")}`);
  const rssBefore = rss(app.pid);

  // 5. Load, rotating over the learners' cookies. A short unrecorded run first, so that JIT warm-up
  //    does not count against the first step.
  const rotate = (list) => {
    let next = 0;
    return (request) => {
      const item = list[next++ % list.length];
      return { ...request, path: item.path ?? request.path, headers: { ...request.headers, cookie: item.cookie }, ...(item.body ? { body: item.body } : {}) };
    };
  };
  await cannon({ url: LESSON_URL, duration: 3, setupRequest: rotate(setA) }, 200);
  const results = [];
  say(`lesson page: ${DURATION} s, ${CONNECTIONS} connections, ${setA.length} learners`);
  results.push(["lesson page (GET)", await cannon({ url: LESSON_URL, setupRequest: rotate(setA) }, 200)]);

  const bare = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(lessonHtml));
  await new Promise((done) => bare.listen(BARE_PORT, "127.0.0.1", done));
  cleanups.push(() => new Promise((done) => bare.close(done)));
  say(`bare node:http server: ${DURATION} s`);
  results.push(["bare node:http, same bytes", await cannon({ url: `http://127.0.0.1:${BARE_PORT}/` }, 200)]);
  bare.closeAllConnections();

  say(`answer save: ${DURATION} s over ${answers.length} attempts`);
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  results.push(["answer save (POST)", await cannon({ url: BASE, method: "POST", headers, setupRequest: rotate(answers) }, 302)]);

  say(`quiz submit: ${setB.length} fresh attempts, each submitted once, ${CONNECTIONS} at a time`);
  results.push([`quiz submit (POST, ${setB.length}x)`, await submitAll(setB)]);
  const passed = (await db.query(`SELECT count(*)::int AS n FROM "QuizAttempt" WHERE id = ANY($1) AND passed`, [setB.map((l) => l.attemptId)])).rows[0].n;

  // 6. Figures.
  const cols = ["step", "p50 ms", "p95 ms", "p99 ms", "req/s", "requests", "non-2xx/3xx", "unexpected", "errors"];
  const table = results.map(([name, r]) => [name, ...[r.p50, r.p95, r.p99].map((v) => v.toFixed(1)), r.rps.toFixed(1), r.count, r.bad, r.unexpected, r.errors]);
  const widths = cols.map((c, i) => Math.max(c.length, ...table.map((row) => String(row[i]).length)));
  console.log(`\n${[cols, ...table].map((row) => row.map((v, i) => String(v)[i ? "padStart" : "padEnd"](widths[i])).join("  ")).join("\n")}\n`);
  console.log(`status codes: ${results.map(([name, r]) => `${name.split(" (")[0]} ${JSON.stringify(r.statuses)}`).join(" · ")}`);
  console.log(`unexpected = not what a browser gets (lesson 200; answer 302 to the next question; submit 302 to /result)`);
  console.log(`lesson page vs bare server: ${((results[0][1].rps / results[1][1].rps) * 100).toFixed(2)}% of the requests/s (${results[0][1].rps.toFixed(1)} / ${results[1][1].rps.toFixed(1)}); page ${lessonHtml.length} bytes`);
  console.log(`submitted attempts recorded as passed: ${passed}/${setB.length} (all answers were correct)`);
  const counts = appErrors.reduce((map, line) => map.set(line, (map.get(line) ?? 0) + 1), new Map());
  const distinct = [...counts].map(([line, n]) => `${String(n).padStart(5)}x ${line}`);
  if (distinct.length) console.log(`app error log (5xx responses and errors, stack frames left out):\n${distinct.slice(0, 10).join("\n")}`);
  console.log(`app RSS (VmRSS of pid ${app.pid}): ${rssBefore} before the load, ${rss(app.pid)} after`);
  say(`load average at end: ${load()}`);
  await finish(0);
} catch (error) {
  console.error(`[bench] failed: ${error.stack ?? error}`);
  await finish(1);
}

/** Latencies and status counts of one step; `ok` says whether a response is what a browser gets. */
function tally() {
  const t = { latencies: [], statuses: {}, bad: 0, unexpected: 0, errors: 0, started: performance.now() };
  t.record = (status, ms, ok) => {
    t.latencies.push(ms);
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 400) t.bad++;
    if (!ok) t.unexpected++;
  };
  t.summary = () => {
    const sorted = t.latencies.sort((a, b) => a - b);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
    return { ...t, p50: at(50), p95: at(95), p99: at(99), count: sorted.length, rps: sorted.length / ((performance.now() - t.started) / 1000) };
  };
  return t;
}

/** Runs autocannon with the shared settings, recording every latency itself (it reports no p95). */
async function cannon({ setupRequest, ...rest }, expected) {
  const t = tally();
  const instance = autocannon({ duration: DURATION, connections: CONNECTIONS, ...rest, ...(setupRequest ? { requests: [{ setupRequest }] } : {}) });
  instance.on("response", (_client, status, _bytes, ms) => t.record(status, ms, status === expected));
  t.errors = (await instance).errors;
  return t.summary();
}

/** Each attempt submitted exactly once: a repeat submit is a cheap no-op and would flatter the figure. */
async function submitAll(list) {
  const t = tally();
  await pool(list, CONNECTIONS, async ({ attemptId, cookie }) => {
    const t0 = performance.now();
    const res = await post(`/learn/${SLUG}/attempt/${attemptId}`, { intent: "submit" }, cookie).catch(() => null);
    if (!res) return t.errors++;
    t.record(res.status, performance.now() - t0, res.status === 302 && res.headers.get("location")?.endsWith("/result"));
  });
  return t.summary();
}

function form(fields) {
  return new URLSearchParams(fields).toString();
}

async function post(path, fields, cookie) {
  const headers = { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) };
  const res = await fetch(BASE + path, { method: "POST", redirect: "manual", headers, body: typeof fields === "string" ? fields : form(fields) });
  await res.arrayBuffer();
  return res;
}

/** Runs `fn` over `items` with at most `limit` at once; results keep the input order. */
async function pool(items, limit, fn) {
  const out = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

/** The right answer in its stored form (see gradeResponse in app/learning/quiz-logic.ts). */
function correctResponse(q) {
  if (q.kind === "single") return { optionId: q.options.find((o) => o.correct).id };
  if (q.kind === "multiple") return { optionIds: q.options.filter((o) => o.correct).map((o) => o.id) };
  if (q.kind === "true_false") return { value: q.answer };
  if (q.kind === "matching") return { pairs: Object.fromEntries(q.pairs.map((p) => [p.id, p.id])) };
  if (q.kind === "ordering") return { order: q.items.map((i) => i.id) };
  return { text: Object.values(q.accept).flat()[0] };
}

async function waitForHealth(child, log) {
  const deadline = Date.now() + 300_000; // start.mjs may build first
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${log()}`);
    if (await fetch(`${BASE}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer /healthz in time:\n${log()}`);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode) return Promise.resolve();
  const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const exited = new Promise((done) => child.once("exit", done)).then(() => clearTimeout(force));
  child.kill("SIGTERM"); // start.mjs closes the server and exits
  return exited;
}

function rss(pid) {
  const kb = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)?.[1];
  return kb ? `${Math.round(kb / 1024)} MB` : "unknown";
}
