// `npm run bench:exam`: a whole cohort sitting the final assessment at once. A benchmark, not a test:
// it prints figures next to their targets, then checks the database against what learners were told.
//
//  1. The production build (`npm run build` when missing) on 127.0.0.1:3500 (SCORM content on 3501),
//     against opora_bench_exam on DATABASE_URL's server, else an embedded PostgreSQL of its own
//     (.data/exam-pg, port 5470), so other benches and servers on the machine are not disturbed.
//  2. --learners learners in one organisation, enrolled in recognising-trafficking with modules 1–5
//     done (the course is sequential) and signed in: all written to the database directly, so the
//     burst measures the quiz alone.
//  3. The burst: learners start within 10 s (uniformly), each as a browser would: quiz page, start,
//     every question answered after thinking --think-ms, submit, result. Per step p50/p95/p99,
//     errors, CPU and memory of the app's processes and of PostgreSQL (sampled every second).
//  4. The database must hold exactly the answers and submissions learners saw acknowledged, and
//     no attempt half graded.
//  5. With one process: the lesson page's req/s as a share of a bare node:http server sending the
//     same bytes. Then SCORM commits of 64,000 characters of suspend_data (scripts/bench/scorm.ts).
// Options: --learners N (3000) --processes N (default: 1, then 2) --think-ms min,max (1000,3000)
//   --pool N (DATABASE_POOL_SIZE per process; default the app's) --max-in-flight N, --max-wait-ms N
//   (MAX_IN_FLIGHT, MAX_QUEUE_WAIT_MS: admission per process, server/admission.mjs; default the app's)
//   --seed N (1) --no-lesson --no-scorm
//   --max-seconds S (120): learners start no new step after S seconds of burst, so an overloaded
//   app ends the run in minutes rather than hours (the report counts who was stopped)
//   --reuse: keep the prepared database from an earlier run (only the assessment is reset)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { checkDatabase } from "./exam-check.ts";
import { Observations, STEPS, sitExam } from "./exam-learner.ts";
import { createSessions, findExamQuiz, prepareLearners, resetAssessment } from "./exam-setup.ts";
import { measureLessonThroughput } from "./lesson-throughput.ts";
import { allPids, benchDatabase, descendants, listeningPid, sampleUsage, startApp, stopChild, summarise, teardown, type UsageFigures, waitUntilIdle } from "./lib.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    learners: { type: "string", default: "3000" },
    processes: { type: "string" },
    "think-ms": { type: "string", default: "1000,3000" },
    pool: { type: "string" },
    "max-in-flight": { type: "string" },
    "max-wait-ms": { type: "string" },
    "max-seconds": { type: "string", default: "120" },
    seed: { type: "string", default: "1" },
    reuse: { type: "boolean", default: false },
    "no-scorm": { type: "boolean", default: false },
    "no-lesson": { type: "boolean", default: false },
  },
});
const LEARNERS = Number(opts.learners);
const LEVELS = opts.processes ? [Number(opts.processes)] : [1, 2];
const THINK = opts["think-ms"].split(",").map(Number) as [number, number];
const SEED = Number(opts.seed);
const MAX_SECONDS = Number(opts["max-seconds"]);
if (!Number.isInteger(LEARNERS) || LEARNERS < 1 || !LEVELS.every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(SEED)) throw new Error("--learners, --processes and --seed take whole numbers above 0");
if (THINK.length !== 2 || !THINK.every((n) => Number.isFinite(n) && n >= 0) || THINK[0] > THINK[1]) throw new Error("--think-ms takes min,max in milliseconds, e.g. 1000,3000");
if (opts.pool && !(Number(opts.pool) >= 1)) throw new Error("--pool takes a whole number above 0");
if (!(MAX_SECONDS > 0)) throw new Error("--max-seconds takes a number of seconds above 0");

const APP_PORT = 3500;
const BARE_PORT = 3502;
const SCORM_PORT = 3520;
const BASE = `http://127.0.0.1:${APP_PORT}`;
const DATABASE = "opora_bench_exam";
const COURSE = "recognising-trafficking";
const FINAL_MODULE = "final-assessment";
const SPREAD_MS = 10_000;
const TARGET_P95_MS = 1000;
const say = (line: string) => console.log(`[bench] ${line}`);

/** A small seeded generator (mulberry32), so runs with the same --seed think and answer alike. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const { cleanups, finish } = teardown();
const verdicts: string[] = [];

try {
  if (!existsSync(join(ROOT, "build/server/index.js"))) {
    say("no build yet: npm run build");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("build failed");
  }
  const { url: databaseUrl, reused } = await benchDatabase(ROOT, DATABASE, cleanups, { reuse: opts.reuse, dataDir: ".data/exam-pg", port: 5470 });
  if (reused) say(`--reuse: keeping the learners already in ${DATABASE}`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const pgPort = Number(new URL(databaseUrl).port);
  const mailDir = mkdtempSync(join(tmpdir(), "opora-bench-exam-mail-"));
  cleanups.push(async () => rmSync(mailDir, { recursive: true, force: true }));

  for (const [levelIndex, processes] of LEVELS.entries()) {
    // 1. The app as users run it, in `processes` processes; emails (certificates) go to a temporary folder.
    const extraEnv: Record<string, string> = { WEB_CONCURRENCY: String(processes), MAIL_DIR: mailDir };
    if (opts.pool) extraEnv.DATABASE_POOL_SIZE = opts.pool;
    if (opts["max-in-flight"]) extraEnv.MAX_IN_FLIGHT = opts["max-in-flight"];
    if (opts["max-wait-ms"]) extraEnv.MAX_QUEUE_WAIT_MS = opts["max-wait-ms"];
    const app = await startApp(ROOT, APP_PORT, databaseUrl, cleanups, extraEnv);
    const appPid = app.pid as number;
    // start.mjs may run as a launcher with the server (and its workers) below it: wait until the
    // tree has all of them and stopped growing.
    for (let waited = 0, before = -1; waited < 60; waited++) {
      const count = descendants(appPid).length;
      if (count >= processes && count === before) break;
      before = count;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const pgPid = listeningPid(pgPort, allPids());
    say(`app ready in ${processes} process(es) (pids ${[appPid, ...descendants(appPid)].join(", ")}); PostgreSQL pid ${pgPid ?? "not on this machine"}`);

    // 2. Learners, their progress and sessions; the assessment as if nobody had sat it yet.
    const quiz = await findExamQuiz(db, COURSE, FINAL_MODULE);
    if (levelIndex === 0) {
      const t0 = performance.now();
      await prepareLearners(db, quiz, LEARNERS);
      say(`${LEARNERS} learners enrolled with modules 1–5 done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    await resetAssessment(db, quiz);
    const cookies = await createSessions(db, LEARNERS);
    await db.query("VACUUM ANALYZE");
    const probe = await fetch(`${BASE}/learn/${COURSE}/quiz/${quiz.quizKey}`, { headers: { cookie: cookies[0] }, redirect: "manual" });
    await probe.arrayBuffer();
    if (probe.status !== 200) throw new Error(`a bench learner cannot open the quiz: ${probe.status} ${probe.headers.get("location") ?? ""}`);
    const draw = (await db.query(`SELECT content->'draw' AS draw FROM "ContentItem" WHERE "courseVersionId" = $1 AND key = $2`, [quiz.versionId, quiz.quizKey])).rows[0].draw;

    // 3. The burst, with the app's and PostgreSQL's processes sampled every second.
    say(`burst: ${LEARNERS} learners start within ${SPREAD_MS / 1000} s, ${draw} questions each, think ${THINK[0]}–${THINK[1]} ms`);
    // The idle app's own CPU (job queue polling, timers), taken off the per-request figure below.
    const idleSample = sampleUsage({ "app (Node)": () => [appPid, ...descendants(appPid)], PostgreSQL: () => (pgPid ? [pgPid, ...descendants(pgPid)] : []) });
    await new Promise((r) => setTimeout(r, 5000));
    const idle = idleSample.stop();
    const seen = new Observations();
    const usage = sampleUsage({
      "app (Node)": () => [appPid, ...descendants(appPid)],
      PostgreSQL: () => (pgPid ? [pgPid, ...descendants(pgPid)] : []),
      "bench client": () => [process.pid],
    });
    const connections = sampleConnections(db);
    const progress = setInterval(() => say(`  ${seen.requests} requests, ${seen.finished} learners done, ${seen.failed} errors`), 10_000);
    const started = performance.now();
    const crowd = seeded(SEED);
    await Promise.all(
      cookies.map((cookie, i) =>
        sitExam(
          { base: BASE, cookie, slug: COURSE, quizKey: quiz.quizKey, answerKey: quiz.questions, startAfterMs: crowd() * SPREAD_MS, thinkMs: THINK, skill: 0.85, random: seeded(SEED * 100_003 + i), stopAt: started + MAX_SECONDS * 1000 },
          seen,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);
    const used = usage.stop();
    const pool = await connections.stop();

    // 4. Figures, then the database against what learners saw.
    const check = await checkDatabase(db, quiz.quizKey, seen);
    report(processes, Number(draw), seconds, seen, used, idle, pool, check);
    verdicts.push(`${processes} process(es): ${stepsMet(seen) && seen.failed === 0 ? "targets met" : "targets MISSED"}, database check ${check.passed ? "PASS" : "FAIL"}`);

    // 5. With one process, the lesson page against a bare server sending the same bytes.
    if (processes === 1 && !opts["no-lesson"]) {
      const lesson = (
        await db.query(
          `SELECT i.key FROM "ContentItem" i JOIN "Module" m ON m.id = i."moduleId" WHERE i."courseVersionId" = $1 AND i.kind = 'LESSON' ORDER BY m.position, i.position LIMIT 1`,
          [quiz.versionId],
        )
      ).rows[0].key;
      const path = `/learn/${COURSE}/lesson/${lesson}`;
      const serverPid = listeningPid(APP_PORT, [appPid, ...descendants(appPid)]) ?? appPid;
      const settled = await waitUntilIdle(serverPid); // certificate emails queued by the burst go out first
      say(`app idle after ${settled.toFixed(0)} s`);
      say(`lesson page ${path}: 10 s each, 32 connections, Opora then bare node:http`);
      const figures = await measureLessonThroughput({ base: BASE, path, cookie: cookies[0], barePort: BARE_PORT, duration: 10, connections: 32 });
      const line = (name: string, r: typeof figures.app) => `  ${name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   non-2xx ${r.bad + r.errors}`;
      console.log(`\nLesson page throughput (${(figures.bytes / 1024).toFixed(1)} KiB of HTML, 32 connections, 10 s each, 1 app process)`);
      console.log(line("Opora lesson page", figures.app));
      console.log(line("bare node:http", figures.bare));
      console.log(`  ratio                ${figures.ratio.toFixed(3)} (Opora / bare)\n`);
      verdicts.push(`lesson page: ${figures.app.rps.toFixed(0)} req/s = ${(figures.ratio * 100).toFixed(1)} % of a bare node:http server`);
    }
    await stopChild(app);
  }

  // 6. SCORM commits with 64,000 characters of suspend_data, on this bench's PostgreSQL and ports.
  if (!opts["no-scorm"]) {
    say("SCORM commits: scripts/bench/scorm.ts");
    const server = Object.assign(new URL(databaseUrl), { pathname: "/postgres" }).toString();
    const scorm = spawnSync("npx", ["tsx", "scripts/bench/scorm.ts", "--port", String(SCORM_PORT)], { cwd: ROOT, stdio: "inherit", env: { ...process.env, DATABASE_URL: server } });
    verdicts.push(`SCORM bench ${scorm.status === 0 ? "ran (figures above)" : "FAILED"}`);
  }
  console.log(`\nSummary (target: p95 < ${TARGET_P95_MS} ms for every step, 0 errors):\n${verdicts.map((v) => `  ${v}`).join("\n")}`);
  await finish(0);
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  await finish(1);
}

function stepsMet(seen: Observations) {
  return STEPS.every((step) => {
    const values = seen.latencies.get(step)!;
    return values.length > 0 && summarise([...values], {}, 1, 0).p95 < TARGET_P95_MS;
  });
}

/**
 * The app's connections to PostgreSQL (its pool and the job queue's), sampled every second: how
 * many ran a query at once, sat in a transaction, or waited for a lock. A pool that is the limit
 * shows every connection active while requests queue in the app.
 */
function sampleConnections(db: pg.Client) {
  const peak = { open: 0, active: 0, inTransaction: 0, waitingForLock: 0 };
  let activeSum = 0;
  let samples = 0;
  let pending = Promise.resolve();
  const timer = setInterval(() => {
    pending = db
      .query(
        `SELECT count(*)::int AS open, count(*) FILTER (WHERE state = 'active')::int AS active,
           count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS "inTransaction",
           count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS "waitingForLock"
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
      .then(({ rows: [row] }) => {
        for (const key of Object.keys(peak) as Array<keyof typeof peak>) peak[key] = Math.max(peak[key], row[key]);
        activeSum += row.active;
        samples++;
      });
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return { ...peak, averageActive: samples ? activeSum / samples : 0 };
    },
  };
}

function report(processes: number, draw: number, seconds: number, seen: Observations, used: Record<string, UsageFigures>, idle: Record<string, UsageFigures>, pool: Awaited<ReturnType<ReturnType<typeof sampleConnections>["stop"]>>, check: { passed: boolean; lines: string[] }) {
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "–");
  console.log(`\nExam burst: ${LEARNERS} learners, ${processes} app process(es), ${draw} questions, think ${THINK[0]}–${THINK[1]} ms, starts within ${SPREAD_MS / 1000} s`);
  console.log(
    `${seconds.toFixed(1)} s, ${seen.requests} requests (${(seen.requests / seconds).toFixed(0)} req/s on average), ${seen.finished} of ${LEARNERS} learners saw their result${seen.stopped ? `, ${seen.stopped} stopped by --max-seconds ${MAX_SECONDS}` : ""}`,
  );
  const header = ["step", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "busy", "errors", `target p95 < ${TARGET_P95_MS} ms`];
  const rows = STEPS.map((step) => {
    const values = [...seen.latencies.get(step)!];
    const s = summarise(values, {}, 1, 0);
    const errors = [...seen.failures].filter(([key]) => key.startsWith(`${step}:`)).reduce((n, [, count]) => n + count, 0);
    return [step, String(s.count), fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(values[values.length - 1] ?? Number.NaN), String(seen.turnedAway.get(step)), String(errors), s.count && s.p95 < TARGET_P95_MS ? "met" : "MISSED"];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  "));
  const byPosition = [...seen.saveByPosition.entries()].sort(([a], [b]) => a - b).map(([n, values]) => `${n}: ${fmt(summarise([...values], {}, 1, 0).p95)}`);
  console.log(`save answer p95 ms by question: ${byPosition.join("  ")}`);
  console.log("busy: answers \"busy, send again after Retry-After\" (server/admission.mjs); a step's latency runs from its first try to its answer, waits included");
  console.log(`errors: ${seen.failed} (target 0)${[...seen.failures].map(([key, count]) => `\n  ${count} × ${key}`).join("")}`);
  console.log("resources during the burst (CPU in % of one core; the machine has 2 cores)");
  for (const [name, u] of Object.entries(used)) console.log(`  ${name.padEnd(13)} ${String(u.processes).padStart(3)} processes   peak RSS ${String(u.peakRssMb).padStart(5)} MB   CPU avg ${u.avgCpu.toFixed(0).padStart(3)} %, peak ${u.peakCpu.toFixed(0).padStart(3)} %`);
  // What the scenario asks for once every learner is in the quiz, and what that costs at the CPU
  // each request took here: the figure to size a machine by. An overloaded app also spends CPU on
  // requests whose learner gave up, so the figure is only printed for a run that kept up.
  const perLearner = draw + 5; // quiz page, start, attempt page, one save per question, submit, result
  const offered = (LEARNERS * perLearner) / Math.max(SPREAD_MS / 1000, ((draw + 1) * (THINK[0] + THINK[1])) / 2 / 1000);
  if (seen.failed <= seen.requests / 100) {
    const cpuMs = (name: string) => ((Math.max(0, (used[name]?.avgCpu ?? 0) - (idle[name]?.avgCpu ?? 0)) / 100) * seconds * 1000) / Math.max(1, seen.answered);
    console.log(
      `CPU per answered request (beyond the idle app's): app ${cpuMs("app (Node)").toFixed(1)} ms, PostgreSQL ${cpuMs("PostgreSQL").toFixed(1)} ms. The scenario offers about ${offered.toFixed(0)} req/s while everyone is answering: ≈ ${((offered * cpuMs("app (Node)")) / 1000).toFixed(1)} cores for the app and ${((offered * cpuMs("PostgreSQL")) / 1000).toFixed(1)} for PostgreSQL`,
    );
  } else {
    console.log(`CPU per request: not measured, the app was overloaded (the scenario offers about ${offered.toFixed(0)} req/s); a run with fewer learners that keeps up gives it`);
  }
  console.log(
    `PostgreSQL connections (app pool of ${opts.pool ?? process.env.DATABASE_POOL_SIZE ?? "10"} per process, plus the job queue's): up to ${pool.open} open, ${pool.active} running a query at once (${pool.averageActive.toFixed(1)} on average), ${pool.inTransaction} idle in a transaction, ${pool.waitingForLock} waiting for a lock`,
  );
  console.log(`database check: ${check.passed ? "PASS" : "FAIL"}\n${check.lines.map((l) => `  ${l}`).join("\n")}\n`);
}
