// `npm start`: one command from a fresh clone to a running Opora.
//  1. builds when the build is missing or older than the sources;
//  2. uses DATABASE_URL, or starts the embedded PostgreSQL under .data/ (kept across restarts);
//  3. applies migrations, imports courses/ and, on the embedded database or with SEED_DEMO=1,
//     seeds the demo organisations and accounts;
//  4. serves the app on PORT (default 3000) and SCORM content on CONTENT_PORT, in WEB_CONCURRENCY
//     processes (default 1; sessions and jobs live in PostgreSQL, so they share the ports through
//     node:cluster and need nothing else).
// `npm run dev` does the same with Vite's dev server instead of the build.
import { spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../", import.meta.url).pathname;
const dev = process.argv.includes("--dev");
const t0 = performance.now();
const say = (line) => console.log(`[opora] ${line}`);

// The server's memory settings. Node's defaults size the heap for a machine with gigabytes to spare:
// a young generation of 2 × 16 MB, and old-generation garbage kept until the heap has grown fourfold
// (with a limit under 1 GB, V8 lets it grow by about 1.4 instead); glibc keeps blocks freed by large
// allocations, in an arena per thread; V8 keeps four helper threads. scripts/bench/organisations.ts
// (2 cores) measured the server at ~200 MB idle and 350-450 MB after the organisers' pages with the
// defaults, 127-145 MB idle and 151-165 MB after those pages with a 4 MB semi-space alone, and 134 MB
// idle and 138 MB after those pages with all of these: 1 MB semi-spaces (the young generation's
// garbage is mostly one request's), the old generation collected again once it has grown by a
// tenth, a helper thread per core (up to V8's usual four), and two malloc arenas. Page latencies and
// the exam's CPU per request (scripts/bench/exam-steps.ts, bench:exam) were alike. 512 MB is still
// several times the heap the app keeps alive. Operators' own node flags or NODE_OPTIONS win over these.
const SERVER_NODE_FLAGS = ["--max-semi-space-size=1", "--heap-growing-percent=10", `--v8-pool-size=${Math.min(4, availableParallelism())}`, "--max-old-space-size=512"];
const SERVER_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: "65536", MALLOC_TRIM_THRESHOLD_: "65536", MALLOC_ARENA_MAX: "2" };

// Node and glibc read these only as a process starts: `node scripts/start.mjs` runs itself again with
// them and stays as a launcher (about 7 MB of its own) that passes signals on and exits as it exits.
if (!dev && !cluster.isWorker && process.env.OPORA_SERVER_SETTINGS !== "1") await relaunchWithServerSettings();
if (process.env.OPORA_SERVER_SETTINGS === "1" && !cluster.isWorker) {
  // The build, the seed and an embedded PostgreSQL keep glibc's defaults; workers get them again.
  for (const [name, value] of Object.entries(SERVER_MALLOC_ENV)) if (process.env[name] === value) delete process.env[name];
  // A launcher killed outright takes the server with it, as if the server itself had been killed,
  // rather than leaving it on the port.
  process.on("disconnect", () => process.kill(process.pid, "SIGKILL"));
}

const { connectDatabase } = await import("./lib/database.mjs");
const { applyMigrations } = await import("./lib/migrate.mjs");

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`[opora] ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

// Workers of a cluster start straight at serving: the primary prepared everything and passes the
// database URL and demo flag in the environment.
const primary = !cluster.isWorker;
let db = { stop: async () => {} };
let seedDemo = process.env.OPORA_SEEDED_DEMO === "1";
if (primary) {
  if (!existsSync(join(ROOT, "generated/prisma/client.ts")) || newestMtime(join(ROOT, "prisma/schema.prisma")) > newestMtime(join(ROOT, "generated/prisma/client.ts"))) {
    run("node", ["scripts/generate-client.mjs"]);
  }
  if (!dev) {
    const built = newestMtime(join(ROOT, "build/server/index.js"));
    const sources = Math.max(
      ...["app", "generated", "vite.config.ts", "vite.scorm-runtime.config.ts", "react-router.config.ts", "package-lock.json"].map((p) => newestMtime(join(ROOT, p))),
    );
    if (!built || sources > built || !existsSync(join(ROOT, "build/scorm-runtime/runtime.js"))) {
      say(built ? "sources changed since the last build: building" : "no build yet: building");
      run("npm", ["run", "build"]);
    }
  }

  db = await connectDatabase({ log: say });
  process.env.DATABASE_URL = db.url;
  say(db.embedded ? "database: embedded PostgreSQL 17 (data in .data/pg)" : `database: ${redact(db.url)}`);
  const applied = await applyMigrations(db.url);
  if (applied.length) say(`applied migrations: ${applied.join(", ")}`);

  seedDemo = db.embedded || process.env.SEED_DEMO === "1";
  if (db.embedded) process.env.OPORA_DEMO ??= "1";
  run("npx", ["tsx", "scripts/seed.ts"], { SEED_DEMO: seedDemo ? "1" : "0" });
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
process.env.PUBLIC_URL ??= `http://localhost:${port}`;
process.env.NODE_ENV ??= dev ? "development" : "production";

const workers = dev ? 1 : Math.max(1, Math.min(64, Number(process.env.WEB_CONCURRENCY ?? 1) || 1));
if (primary && workers > 1) {
  await runCluster();
} else {
  await serve();
}

/** The primary of a cluster: forks the workers, replaces one that dies, stops them all on a signal. */
async function runCluster() {
  // cluster.fork adds this to the primary's environment (which already holds DATABASE_URL).
  const env = { OPORA_SEEDED_DEMO: seedDemo ? "1" : "0", ...(process.env.OPORA_SERVER_SETTINGS === "1" ? SERVER_MALLOC_ENV : {}) };
  let stopping = false;
  let ready = 0;
  const fork = () => cluster.fork(env);
  cluster.on("message", (_worker, message) => {
    if (message === "opora:listening" && ++ready === workers) say(`Opora is running at ${process.env.PUBLIC_URL} in ${workers} processes (ready in ${Math.round(performance.now() - t0)} ms)`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    say(`process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    fork();
  });
  for (let n = 0; n < workers; n++) fork();
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping");
    const exited = Object.values(cluster.workers ?? {}).map((worker) => new Promise((resolve) => (worker?.isDead() ? resolve(null) : worker?.once("exit", resolve))));
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await db.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

async function serve() {
const { createContentServer, createOporaServer } = await import("../server/index.mjs");
const { contentPort, resolveContentOrigin } = await import("../server/content-origin.mjs");
// One admission line per process for both listeners, with the app's busy page (MAX_IN_FLIGHT,
// MAX_QUEUE_WAIT_MS; docs/decisions/0018), made below once the build is loaded.
const { admissionFromEnv } = await import("../server/admission.mjs");
process.env.CONTENT_ORIGIN = resolveContentOrigin(process.env.PUBLIC_URL, process.env.CONTENT_ORIGIN || undefined);
const runtimeDir = join(ROOT, "build/scorm-runtime");
if (dev && !existsSync(join(runtimeDir, "runtime.js"))) run("npx", ["vite", "build", "-c", "vite.scorm-runtime.config.ts"]);
let server;
let contentServer;
let stopBackgroundWork = async () => {};
if (dev) {
  const vite = await import("vite");
  const viteServer = await vite.createServer({ root: ROOT, server: { middlewareMode: true } });
  const devBuild = await viteServer.ssrLoadModule("virtual:react-router/server-build");
  stopBackgroundWork = devBuild.entry.module.startBackgroundWork?.() ?? stopBackgroundWork;
  const admission = admissionFromEnv(process.env, { page: devBuild.entry.module.busyPage });
  const devServerBuild = () => viteServer.ssrLoadModule("virtual:react-router/server-build");
  server = createOporaServer({
    build: devServerBuild,
    publicUrl: process.env.PUBLIC_URL,
    contentOrigin: process.env.CONTENT_ORIGIN,
    viteMiddleware: viteServer.middlewares,
    trustProxy: Number(process.env.TRUST_PROXY ?? 0),
    log: say,
    admission,
  });
  contentServer = createContentServer({ build: devServerBuild, contentOrigin: process.env.CONTENT_ORIGIN, appOrigin: new URL(process.env.PUBLIC_URL).origin, runtimeDir, log: say, admission });
} else {
  const build = await import(join(ROOT, "build/server/index.js"));
  stopBackgroundWork = build.entry.module.startBackgroundWork?.() ?? stopBackgroundWork;
  const admission = admissionFromEnv(process.env, { page: build.entry.module.busyPage });
  server = createOporaServer({
    build,
    clientDir: join(ROOT, "build/client"),
    publicUrl: process.env.PUBLIC_URL,
    contentOrigin: process.env.CONTENT_ORIGIN,
    trustProxy: Number(process.env.TRUST_PROXY ?? 0),
    log: say,
    admission,
  });
  contentServer = createContentServer({ build, contentOrigin: process.env.CONTENT_ORIGIN, appOrigin: new URL(process.env.PUBLIC_URL).origin, runtimeDir, trustProxy: Number(process.env.TRUST_PROXY ?? 0), log: say, admission });
}

const contentListenPort = contentPort(process.env.CONTENT_ORIGIN, port, process.env.CONTENT_PORT);
contentServer.listen(contentListenPort, host, () => {
  if (primary) say(`SCORM content is served at ${process.env.CONTENT_ORIGIN} (port ${contentListenPort})`);
});

// A crowd arriving at once (a ward starting an exam) connects faster than a busy process accepts:
// connections beyond the listen queue are dropped and their browsers wait seconds to try again.
// Node's default queue is 511; the kernel caps this at net.core.somaxconn (4096 on current Linux).
server.listen({ port, host, backlog: 4096 }, () => {
  if (!primary) {
    process.send?.("opora:listening");
    return;
  }
  say(`Opora is running at ${process.env.PUBLIC_URL} (ready in ${Math.round(performance.now() - t0)} ms)`);
  if (seedDemo) {
    say("demo accounts (password: opora-demo-2026):");
    for (const email of ["admin", "trainer", "organiser", "learner", "organiser-b", "learner-b"]) say(`  ${email}@opora.test`);
    if (!process.env.SMTP_URL) say(`emails are written to .data/mail/ and listed at ${process.env.PUBLIC_URL}/dev/mail`);
  }
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  say("stopping");
  server.close();
  server.closeAllConnections?.();
  contentServer.close();
  contentServer.closeAllConnections?.();
  await Promise.race([stopBackgroundWork(), new Promise((resolve) => setTimeout(resolve, 5000))]);
  await db.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
}

/** Runs this script again with SERVER_NODE_FLAGS and SERVER_MALLOC_ENV, and exits as that process exits. */
async function relaunchWithServerSettings() {
  const given = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
  const flags = SERVER_NODE_FLAGS.filter((flag) => !given.includes(flag.split("=")[0]));
  const child = spawn(process.execPath, [...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...SERVER_MALLOC_ENV, ...process.env, OPORA_SERVER_SETTINGS: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  process.exit(code);
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}
