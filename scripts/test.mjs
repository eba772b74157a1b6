// `npm test`: the whole suite on a fresh machine, as CI runs it.
//   course files check → Vitest (unit + integration on real PostgreSQL) → production build →
//   fault tests against the built app (tests/faults) → Playwright in Chromium against the built app
//   with a fresh database and a real SMTP server.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL under .data/test-pg.
// Options: --unit (checks + Vitest only), --e2e (build + fault tests + Playwright only), --no-faults
// (skip the fault tests, e.g. when running one spec). Extra args go to Playwright. E2E_DATABASE names
// Playwright's database (opora_e2e), so two checkouts can run end-to-end tests on one server at once.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";
import { startEmbeddedPostgres } from "./lib/embedded-db.mjs";

const args = process.argv.slice(2);
const only = args.includes("--unit") ? "unit" : args.includes("--e2e") ? "e2e" : null;
const skipFaults = args.includes("--no-faults");
const passThrough = args.filter((a) => a !== "--unit" && a !== "--e2e" && a !== "--no-faults");
const e2eDatabase = process.env.E2E_DATABASE ?? "opora_e2e";
if (!/^[a-z0-9_]+$/.test(e2eDatabase)) throw new Error("E2E_DATABASE takes lower-case letters, digits and _");
const timings = [];
const say = (line) => console.log(`\n[test] ${line}`);

function stage(name, command, commandArgs, env = {}) {
  say(`${name}: ${command} ${commandArgs.join(" ")}`);
  const started = performance.now();
  const result = spawnSync(command, commandArgs, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  timings.push(`${name.padEnd(22)} ${seconds.toFixed(1).padStart(6)} s ${result.status === 0 ? "ok" : "FAILED"}`);
  return result.status === 0;
}

/** A Chromium for Playwright: CHROMIUM_PATH, a system one, or Debian's package installed now. */
function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    say("no Chromium found: installing Debian's chromium package with apt-get");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  throw new Error("The end-to-end suite needs Chromium and none was found. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.");
}

if (!existsSync("generated/prisma/client.ts")) stage("prisma client", "node", ["scripts/generate-client.mjs"]);

let serverUrl;
let stopDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = "";
  serverUrl = url.toString().replace(/\/$/, "");
  say(`using the PostgreSQL server of DATABASE_URL for tests (databases opora_test_* and opora_e2e)`);
} else {
  const db = await startEmbeddedPostgres({ dataDir: ".data/test-pg", port: Number(process.env.TEST_PG_PORT ?? 5457), database: "postgres" });
  serverUrl = db.serverUrl;
  stopDatabase = db.stop;
  say("using an embedded PostgreSQL 17 for tests (.data/test-pg)");
}

let ok = true;
try {
  if (only !== "e2e") {
    ok = stage("course files", "npx", ["tsx", "scripts/courses-check.ts"]) && ok;
    ok = stage("typecheck", "npx", ["react-router", "typegen"]) && stage("tsc", "npx", ["tsc", "--noEmit"]) && ok;
    ok = stage("vitest", "npx", ["vitest", "run"], { TEST_PG_SERVER_URL: serverUrl, DATABASE_URL: "" }) && ok;
    // A small run of `npm run demo:generate` on a fresh database keeps the generator in step with the schema.
    const demo = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await demo.connect();
    await demo.query(`DROP DATABASE IF EXISTS "opora_demo" WITH (FORCE)`);
    await demo.query(`CREATE DATABASE "opora_demo"`);
    await demo.end();
    ok = stage("demo data (1,000)", "npx", ["tsx", "scripts/demo-generate.ts", "--learners", "1000", "--database-url", `${serverUrl}/opora_demo`], { DATABASE_URL: "" }) && ok;
  }
  if (only !== "unit") {
    const chromium = findChromium();
    say(`Chromium: ${chromium}`);
    ok = stage("build", "npm", ["run", "build"]) && ok;
    // The built app as a child process under faults: PostgreSQL stopped and started, SIGKILL mid-write
    // (tests/faults; their own embedded PostgreSQL and ports, so nothing here is shared with Playwright).
    if (!skipFaults) ok = stage("faults", "npx", ["vitest", "run", "-c", "vitest.faults.config.ts"], { DATABASE_URL: "" }) && ok;
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${e2eDatabase}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${e2eDatabase}"`);
    await admin.end();
    ok = stage("playwright", "npx", ["playwright", "test", ...passThrough], { CHROMIUM_PATH: chromium, E2E_DATABASE_URL: `${serverUrl}/${e2eDatabase}`, DATABASE_URL: "" }) && ok;
  }
} finally {
  await stopDatabase();
}
console.log(`\n[test] timings\n${timings.map((t) => `  ${t}`).join("\n")}`);
process.exit(ok ? 0 : 1);
