// `npm run bench` (fourth part): SCORM commits on the production build. A benchmark, not a test.
// A fresh database (opora_bench_scorm on DATABASE_URL's server, else embedded PostgreSQL on
// .data/bench-pg, port 5460) gets the bundled course with a SCORM 1.2 package as its first module
// (npm run scorm:import); --learners learners sign in, enrol and open it, and each then commits
// 64,000 characters of suspend_data over and over to the content origin, as the runtime does,
// one learner at a time and all at once. Afterwards the database must hold, for every learner,
// the last commit acknowledged and its whole suspend_data.
// Options: --learners N (10) --duration S (10) --port P (3220; the content origin takes P + 1)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { buildScormFixtures } from "../build-scorm-fixtures.ts";
import { benchDatabase, cannon, startApp, teardown } from "./lib.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const { values: opts } = parseArgs({ options: { learners: { type: "string", default: "10" }, duration: { type: "string", default: "10" }, port: { type: "string", default: "3220" } } });
const [LEARNERS, DURATION, APP_PORT] = [opts.learners, opts.duration, opts.port].map(Number);
if (![LEARNERS, DURATION, APP_PORT].every((n) => Number.isInteger(n) && n > 0)) throw new Error("--learners, --duration and --port take whole numbers above 0");
const BASE = `http://127.0.0.1:${APP_PORT}`;
const CONTENT = `http://localhost:${APP_PORT + 1}`;
const DATABASE = "opora_bench_scorm";
const COURSE = "recognising-trafficking";
const SUSPEND = Array.from({ length: 64_000 }, (_, i) => (i % 97 === 96 ? "\n" : String.fromCharCode(33 + (i % 90)))).join("");
const say = (line: string) => console.log(`[bench] ${line}`);

const { cleanups, finish } = teardown();

try {
  const { url: databaseUrl } = await benchDatabase(ROOT, DATABASE, cleanups);

  // 1. The app as users run it: migrations, the bundled course and the demo accounts on start.
  await startApp(ROOT, APP_PORT, databaseUrl, cleanups);

  // 2. A SCORM 1.2 package as the course's first module, and learners enrolled in it.
  const zips = mkdtempSync(join(tmpdir(), "opora-bench-scorm-"));
  cleanups.push(async () => rmSync(zips, { recursive: true, force: true }));
  await buildScormFixtures(zips);
  const imported = spawnSync("npx", ["tsx", "scripts/scorm-import.ts", join(zips, "large-suspend-12.zip"), "--course", COURSE, "--module", "understanding"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
  if (imported.status !== 0) throw new Error(`scorm:import failed: ${imported.stderr}`);
  say(imported.stdout.trim());
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  await db.query(
    `INSERT INTO "User" (id, email, name, profession, locale, "passwordHash", "emailVerifiedAt", "createdAt", "updatedAt")
     SELECT 'bench-scorm-' || g, 'bench-scorm-' || g || '@opora.test', 'Bench Learner ' || g, profession, locale, "passwordHash", now(), now(), now()
     FROM "User", generate_series(1, $1::int) g WHERE email = 'learner@opora.test'`,
    [LEARNERS],
  );
  const tokens: string[] = [];
  for (let n = 1; n <= LEARNERS; n++) {
    const login = await fetch(`${BASE}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email: `bench-scorm-${n}@opora.test`, password: "opora-demo-2026", redirectTo: "/" }).toString() });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.includes("opora_session="));
    if (!cookie) throw new Error(`learner ${n} could not sign in: ${login.status}`);
    const enrolled = await fetch(`${BASE}/courses/${COURSE}`, { method: "POST", redirect: "manual", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: "intent=enrol" });
    if (enrolled.status !== 302) throw new Error(`learner ${n} could not enrol: ${enrolled.status}`);
    const player = await (await fetch(`${BASE}/learn/${COURSE}/scorm/understanding-package`, { headers: { cookie } })).text();
    const token = /\/scorm-content\/run\/([A-Za-z0-9_-]{43})/.exec(player)?.[1];
    if (!token) throw new Error(`learner ${n}: no launch in the player page`);
    tokens.push(token);
  }
  say(`${LEARNERS} learners signed in, enrolled and launched the package`);

  // 3. Commits as the runtime sends them: the whole CMI with 64,000 characters of suspend_data,
  // each learner's sequence numbers rising. Each connection is one learner.
  const lastSeq = new Map<string, number>(tokens.map((t) => [t, 0]));
  const acknowledged = new Map<string, number>(tokens.map((t) => [t, 0]));
  let nextToken = 0;
  const body = (seq: number) => JSON.stringify({ seq, cmi: { core: { lesson_status: "incomplete", lesson_location: `page-${seq}`, exit: "suspend", session_time: "00:00:10" }, suspend_data: SUSPEND }, terminated: false });
  say(`commit payload: ${(body(1).length / 1024).toFixed(1)} KiB`);
  const results: Array<[number, Awaited<ReturnType<typeof cannon>>]> = [];
  for (const connections of [...new Set([1, LEARNERS])]) {
    nextToken = 0;
    const run = cannon(`${CONTENT}/scorm-content/run/${tokens[0]}/commit`, "", DURATION, connections, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      requests: [
        {
          setupRequest: (request: Record<string, unknown>, context: { token?: string; seq?: number }) => {
            context.token ??= tokens[nextToken++ % tokens.length];
            const seq = (lastSeq.get(context.token) ?? 0) + 1;
            lastSeq.set(context.token, seq);
            context.seq = seq;
            return { ...request, path: `/scorm-content/run/${context.token}/commit`, body: body(seq) };
          },
          onResponse: (status: number, _body: string, context: { token?: string; seq?: number }) => {
            if (status === 200 && context.token && context.seq) acknowledged.set(context.token, Math.max(acknowledged.get(context.token) ?? 0, context.seq));
          },
        },
      ],
    });
    say(`commits: ${DURATION} s, ${connections} learner(s) at once`);
    results.push([connections, await run]);
  }

  // 4. What the database holds: every learner's last acknowledged commit, suspend_data whole.
  const { rows } = await db.query(`SELECT "launchTokenHash", seq, location, length(cmi->'cmi'->>'suspend_data') AS suspend FROM "ScormAttempt"`);
  const { createHash } = await import("node:crypto");
  let intact = 0;
  for (const token of tokens) {
    const row = rows.find((r) => r.launchTokenHash === createHash("sha256").update(token).digest("hex"));
    // Commits in flight when a run stops may be stored without their answer arriving: the stored
    // one is at least the last acknowledged and at most the last sent.
    if (row && row.seq >= (acknowledged.get(token) ?? 0) && row.seq <= (lastSeq.get(token) ?? 0) && Number(row.suspend) === SUSPEND.length && row.location === `page-${row.seq}`) intact++;
  }

  console.log(`\nSCORM commits of ${(body(1).length / 1024).toFixed(1)} KiB (64,000 characters of suspend_data) to the content origin; ${DURATION} s per level`);
  console.log(["learners at once", "commits/s", "p50 ms", "p95 ms", "p99 ms", "commits", "non-2xx"].join("  "));
  for (const [connections, r] of results) console.log([String(connections).padStart(16), r.rps.toFixed(1).padStart(9), ...[r.p50, r.p95, r.p99].map((v) => v.toFixed(1).padStart(6)), String(r.count).padStart(7), String(r.bad + r.errors).padStart(7)].join("  "));
  console.log(`\ndatabase check: ${intact} of ${tokens.length} learners hold their last acknowledged commit (or a later one sent) with all 64,000 characters: ${intact === tokens.length ? "ok" : "MISMATCH"}`);
  await finish(intact === tokens.length ? 0 : 1);
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  await finish(1);
}
