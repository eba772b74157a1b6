// `npm run bench` (third part): organisers' pages on a large organisation. A benchmark, not a test:
// it prints figures next to their targets and fails only when setup fails.
//   dashboard · people list (first page; a name search with a status filter) · a person's page
//   · the CSV and XLSX exports, streamed: rows per second and the app's peak RSS while each downloads
//   (and its RSS once idle after start, before any page).
// Generates --learners learners with `npm run demo:generate` into opora_bench_org (recreated on every
// run) on DATABASE_URL's server, else the embedded PostgreSQL on .data/bench-pg (port 5460), starts
// the production build on 127.0.0.1:3210 and signs in as the largest organisation's organiser.
// Each page is loaded by one client (what an organiser waits for) and by --connections clients at
// once (several organisers, or one clicking fast). Pages that do not exist yet are "not available".
// Options: --learners N (100000) --duration S (10) --connections C (5)
//   --reuse: keep opora_bench_org when an earlier run generated it (to compare changes quickly)
//   --node-flags=F: node flags for the server, e.g. --node-flags=--optimize-for-size (README: Memory)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { benchDatabase, cannon, descendants, listeningPid, rssMb, type Summary, startApp, teardown, waitUntilIdle } from "./lib.ts";


const ROOT = new URL("../../", import.meta.url).pathname;
const { values: opts } = parseArgs({ options: { learners: { type: "string", default: "100000" }, duration: { type: "string", default: "10" }, connections: { type: "string", default: "5" }, reuse: { type: "boolean", default: false }, "node-flags": { type: "string", default: "" } } });
const [LEARNERS, DURATION, CONNECTIONS] = [opts.learners, opts.duration, opts.connections].map(Number);
if (![LEARNERS, DURATION, CONNECTIONS].every((n) => Number.isInteger(n) && n > 0)) throw new Error("--learners, --duration and --connections take whole numbers above 0");
const APP_PORT = 3210;
const BASE = `http://127.0.0.1:${APP_PORT}`;
const DATABASE = "opora_bench_org";
const say = (line: string) => console.log(`[bench] ${line}`);

const { cleanups, finish } = teardown();

type Step = { name: string; target: string; check: (r: Summary) => boolean; path: string };

try {
  // 1. A fresh database filled by the generator, as anyone would fill one.
  const { url: databaseUrl, reused: reuse } = await benchDatabase(ROOT, DATABASE, cleanups, { reuse: opts.reuse });
  if (reuse) say(`--reuse: measuring the data already in ${DATABASE} (the app applies new migrations as it starts)`);
  else {
    say(`generating ${LEARNERS.toLocaleString("en")} learners into ${DATABASE}`);
    const generated = spawnSync("npx", ["tsx", "scripts/demo-generate.ts", "--learners", String(LEARNERS), "--database-url", databaseUrl], { cwd: ROOT, stdio: "inherit", env: { ...process.env, DATABASE_URL: "" } });
    if (generated.status !== 0) throw new Error("npm run demo:generate failed");
  }

  // 2. Who to look at: the largest organisation (generated first) and a person with a renewal history.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const { rows: organisations } = await db.query(
    `SELECT o.id, o.slug, o.name, (SELECT count(*)::int FROM "Membership" m WHERE m."organisationId" = o.id) AS members
     FROM "Organisation" o WHERE EXISTS (SELECT 1 FROM "User" u WHERE u.email = 'organiser@' || o.slug || '.demo.opora.test') ORDER BY o."createdAt" LIMIT 1`,
  );
  const organisation = organisations[0];
  if (!organisation) throw new Error("the generator made no organisation");
  const { rows: holders } = await db.query(
    `SELECT c."userId" FROM "Certificate" c JOIN "Membership" m ON m."userId" = c."userId" AND m."organisationId" = c."organisationId" AND m."endedAt" IS NULL
     WHERE c."organisationId" = $1 ORDER BY (c."supersededAt" IS NULL), c."issuedAt" LIMIT 1`,
    [organisation.id],
  );
  if (!holders[0]) throw new Error(`nobody in ${organisation.name} holds a certificate`);
  const personId = holders[0].userId as string;

  // 3. The app exactly as users run it (start.mjs also rebuilds when sources are newer).
  if (!existsSync(join(ROOT, "build/server/index.js"))) {
    say("no build yet: npm run build");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("build failed");
  }
  const nodeFlags = opts["node-flags"].split(/\s+/).filter(Boolean);
  if (nodeFlags.length) say(`server started with node ${nodeFlags.join(" ")}`);
  const app = await startApp(ROOT, APP_PORT, databaseUrl, cleanups, {}, nodeFlags);
  const serverPid = listeningPid(APP_PORT, [app.pid as number, ...descendants(app.pid as number)]) ?? (app.pid as number);
  say(`app ready (server pid ${serverPid}); ${organisation.name}: ${organisation.members.toLocaleString("en")} members`);
  // The first start on generated data sends the reminders that are due (thousands): measure pages
  // once that catch-up is over, as an organiser would meet them on any other day.
  const settled = await waitUntilIdle(serverPid);
  const idleRss = serverRss(serverPid);
  say(`background catch-up after start: ${settled.toFixed(0)} s until the app was idle (RSS ${idleRss} MB)`);

  // 4. Signed in as the organiser, with the session cookie a browser would hold.
  const login = await fetch(`${BASE}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: `organiser@${organisation.slug}.demo.opora.test`, password: "opora-demo-2026", redirectTo: "/" }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("opora_session=") || c.startsWith("__Host-opora_session="))?.split(";")[0];
  if (login.status !== 302 || !cookie) throw new Error(`organiser log-in failed: ${login.status}`);

  // 5. Each page for DURATION seconds, one request at a time and CONNECTIONS at once, after a warm-up.
  const org = `/org/${organisation.id}`;
  const steps: Step[] = [
    { name: "dashboard", path: `${org}/dashboard`, target: "p95 < 150 ms", check: (r) => r.p95 < 150 },
    { name: "people, page 1", path: `${org}/people?page=1`, target: "p95 < 100 ms", check: (r) => r.p95 < 100 },
    { name: "people, q=nov expired p2", path: `${org}/people?q=nov&status=expired&page=2`, target: "p95 < 100 ms", check: (r) => r.p95 < 100 },
    { name: "person with certificate", path: `${org}/people/${personId}`, target: "—", check: () => true },
  ];
  const levels = [...new Set([1, CONNECTIONS])];
  const results: Array<[Step, number | null, Summary | string]> = [];
  for (const step of steps) {
    try {
      const preflight = await fetch(BASE + step.path, { headers: { cookie }, redirect: "manual" });
      await preflight.arrayBuffer();
      if (preflight.status !== 200) {
        results.push([step, null, preflight.status === 404 ? "not available (404)" : `skipped: status ${preflight.status}`]);
        say(`${step.name}: ${results[results.length - 1][2]}`);
        continue;
      }
      await cannon(BASE + step.path, cookie, 2, CONNECTIONS);
      for (const connections of levels) {
        say(`${step.name}: ${DURATION} s, ${connections} at a time`);
        results.push([step, connections, await cannon(BASE + step.path, cookie, DURATION, connections)]);
      }
    } catch (error) {
      results.push([step, null, `failed: ${error instanceof Error ? error.message : error}`]);
    }
  }

  // 6. The exports, each streamed once, with the server's memory sampled every 100 ms while it runs.
  const csv = await measureExport(`${BASE}${org}/export.csv`, cookie, serverPid).catch((error: Error) => ({ text: `failed: ${error.message}`, rows: 0 }));
  const xlsx = await measureExport(`${BASE}${org}/export.xlsx`, cookie, serverPid, csv.rows).catch((error: Error) => ({ text: `failed: ${error.message}`, rows: 0 }));

  // 7. Figures.
  const cols = ["step", "at once", "p50 ms", "p95 ms", "p99 ms", "req/s", "requests", "non-2xx", "target", ""];
  const table = results.map(([step, connections, r]) =>
    typeof r === "string"
      ? [step.name, "", r, "", "", "", "", "", step.target, ""]
      : [step.name, String(connections), ...[r.p50, r.p95, r.p99].map((v) => v.toFixed(1)), r.rps.toFixed(1), String(r.count), String(r.bad + r.errors), step.target, step.check(r) ? "met" : "MISSED"],
  );
  const widths = cols.map((c, i) => Math.max(c.length, ...table.map((row) => row[i].length)));
  const row = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  console.log(`\n${organisation.name}, ${organisation.members.toLocaleString("en")} members; ${DURATION} s per page and level\n${[cols, ...table].map(row).join("\n")}`);
  console.log(`\napp RSS once idle after start: ${idleRss} MB`);
  console.log(`export.csv: ${csv.text}  (target ≥ 50,000 rows/s under 150 MB RSS)`);
  console.log(`export.xlsx: ${xlsx.text}  (target: under 150 MB RSS)`);
  await finish(0);
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  await finish(1);
}

/** The server's RSS in MB: with WEB_CONCURRENCY > 1 the largest of its workers (one of them serves a download). */
function serverRss(pid: number) {
  return Math.max(rssMb(pid), ...descendants(pid).map(rssMb));
}

/** Downloads an export, counting CSV rows by line (an XLSX is zipped: `rows` says how many it holds). */
async function measureExport(url: string, cookie: string, pid: number, rows?: number) {
  const before = serverRss(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, serverRss(pid));
  }, 100);
  try {
    const started = performance.now();
    const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
    if (res.status !== 200 || !res.body) {
      await res.arrayBuffer().catch(() => {});
      return { text: res.status === 404 ? "not available (404)" : `skipped: status ${res.status}`, rows: 0 };
    }
    let lines = 0;
    let bytes = 0;
    let firstByteMs = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstByteMs) firstByteMs = performance.now() - started;
      bytes += value.byteLength;
      // Counted natively: a byte-by-byte loop here would take CPU from the app it measures.
      if (rows === undefined) for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    const count = rows ?? Math.max(0, lines - 1); // the header line
    const rate = count / seconds;
    peak = Math.max(peak, serverRss(pid));
    // The rows/s target is the CSV's; the XLSX (zipped as it is written) is held to the memory one.
    const met = (rows !== undefined || rate >= 50_000) && peak < 150 ? "met" : "MISSED";
    return {
      text: `${count.toLocaleString("en")} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${seconds.toFixed(2)} s (first byte ${firstByteMs.toFixed(0)} ms): ${Math.round(rate).toLocaleString("en")} rows/s; app RSS ${before} MB before, peak ${peak} MB: ${met}`,
      rows: count,
    };
  } finally {
    clearInterval(sampler);
  }
}
