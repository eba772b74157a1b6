// Shared by the benchmark scripts: latency figures, autocannon runs, the app's process and memory.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/embedded-db.mjs";

type Autocannon = (options: Record<string, unknown>) => PromiseLike<{ errors: number }> & { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export type Summary = ReturnType<typeof summarise>;

export function summarise(latencies: number[], statuses: Record<number, number>, seconds: number, errors: number) {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const bad = Object.entries(statuses).reduce((n, [status, count]) => n + (Number(status) >= 300 ? count : 0), 0);
  return { p50: at(50), p95: at(95), p99: at(99), count: sorted.length, rps: sorted.length / seconds, bad, errors, statuses };
}

/** Runs autocannon and records every latency itself (autocannon reports no p95). */
export async function cannon(url: string, cookie: string, duration: number, connections: number, options: Record<string, unknown> = {}) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const instance = autocannon({ url, duration, connections, headers: { cookie }, ...options });
  instance.on("response", (_client, status, _bytes, ms) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const { errors } = await instance;
  return summarise(latencies, statuses, (performance.now() - started) / 1000, errors);
}

/** Seconds until the process used under 5 % of a core for 3 s in a row (at most 10 minutes). */
export async function waitUntilIdle(pid: number) {
  const cpu = () => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ").slice(11, 13).reduce((sum, ticks) => sum + Number(ticks), 0);
  const started = performance.now();
  let quiet = 0;
  while (quiet < 3 && performance.now() - started < 600_000) {
    const before = cpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    quiet = cpu() - before < 5 ? quiet + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}

export function rssMb(pid: number) {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Every process below `pid` (start.mjs may run its server in itself or in a child). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** The process among `pids` that holds the socket listening on `port`. */
export function listeningPid(port: number, pids: number[]) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hexPort) && cols[3] === "0A") inodes.add(cols[9]);
    }
  }
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith("socket:[") && inodes.has(link.slice(8, -1))) return pid;
      }
    } catch {
      // not ours to read, or gone
    }
  }
  return null;
}

export async function waitForHealth(base: string, child: ReturnType<typeof spawn>, log: () => string) {
  const deadline = Date.now() + 300_000; // start.mjs may build first
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${log()}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer /healthz in time:\n${log()}`);
}

export function stopChild(child: ReturnType<typeof spawn>) {
  if (child.exitCode !== null || child.signalCode) return Promise.resolve();
  const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const exited = new Promise((done) => child.once("exit", done)).then(() => clearTimeout(force));
  child.kill("SIGTERM"); // start.mjs closes the server and exits
  return exited;
}

/**
 * What a bench must undo, run in reverse whatever happened (also on Ctrl-C), so no app or
 * PostgreSQL is left behind by a failed setup. `finish` exits with the code.
 */
export function teardown() {
  const cleanups: Array<() => Promise<unknown>> = [];
  const finish = async (code: number) => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e) => console.error(`[bench] cleanup: ${e.message}`));
    process.exit(code);
  };
  process.on("SIGINT", () => finish(130));
  return { cleanups, finish };
}

/**
 * A database for a bench on DATABASE_URL's server, else on the embedded PostgreSQL of `dataDir`
 * (.data/bench-pg, port 5460 unless given): recreated empty, or kept when `reuse` and it exists.
 */
export async function benchDatabase(root: string, name: string, cleanups: Array<() => Promise<unknown>>, { reuse = false, dataDir = ".data/bench-pg", port = 5460 } = {}) {
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: join(root, dataDir), port, database: "postgres" });
  if (embedded) cleanups.push(() => embedded.stop());
  const urlOf = (database: string) => Object.assign(new URL(embedded?.serverUrl ?? (process.env.DATABASE_URL as string)), { pathname: `/${database}` }).toString();
  const admin = new pg.Client({ connectionString: urlOf("postgres") });
  await admin.connect();
  try {
    const reused = reuse && (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
    if (!reused) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
    return { url: urlOf(name), reused };
  } finally {
    await admin.end();
  }
}

/**
 * The production app as users run it (`node scripts/start.mjs`, which builds when needed, migrates
 * and seeds the demo accounts) on 127.0.0.1:port against `databaseUrl`; stopped by `cleanups`.
 * `extraEnv` adds settings such as WEB_CONCURRENCY or DATABASE_POOL_SIZE; `nodeFlags`, node's own
 * (as an operator would start it: `node --optimize-for-size scripts/start.mjs`).
 */
export async function startApp(root: string, port: number, databaseUrl: string, cleanups: Array<() => Promise<unknown>>, extraEnv: Record<string, string> = {}, nodeFlags: string[] = []) {
  const base = `http://127.0.0.1:${port}`;
  if (await fetch(`${base}/healthz`).then(() => true, () => false)) throw new Error(`port ${port} is taken: is an earlier bench still running?`);
  const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base, DATABASE_URL: databaseUrl, SEED_DEMO: "1", NODE_ENV: "production", ...extraEnv };
  const app = spawn("node", [...nodeFlags, "scripts/start.mjs"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
  let log = "";
  for (const stream of [app.stdout, app.stderr]) stream.on("data", (chunk) => (log = (log + chunk).slice(-8000)));
  cleanups.push(() => stopChild(app));
  app.once("exit", (code, signal) => {
    if (signal !== "SIGTERM" && signal !== "SIGKILL" && code !== 0) console.error(`[bench] the app exited (${code ?? signal}); its last output:\n${log}`);
  });
  await waitForHealth(base, app, () => log);
  return app;
}

/** Every process id on the machine. */
export function allPids() {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** CPU time (user + system, in clock ticks of 1/100 s) and resident memory of a process, or null once it is gone. */
function processUsage(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [utime, stime] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 13).map(Number);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? 0);
    return { ticks: utime + stime, anonKb: kb("RssAnon") + kb("RssFile"), shmemKb: kb("RssShmem") };
  } catch {
    return null;
  }
}

export type UsageFigures = { processes: number; peakRssMb: number; avgCpu: number; peakCpu: number };

/**
 * Samples groups of processes every `intervalMs` (each group's pids are asked for afresh, so a
 * worker or a database backend that starts later counts) until `stop()`, which returns per group:
 * the peak of the summed RSS (shared memory such as PostgreSQL's buffers counted once), and the
 * average and peak CPU in per cent of one core.
 */
export function sampleUsage(groups: Record<string, () => number[]>, intervalMs = 1000) {
  const started = performance.now();
  const state = Object.fromEntries(Object.keys(groups).map((name) => [name, { first: new Map<number, number>(), last: new Map<number, number>(), peakKb: 0, peakCpu: 0, seen: new Set<number>() }]));
  let previous = performance.now();
  let firstSample = true;
  const sample = () => {
    const now = performance.now();
    for (const [name, pidsOf] of Object.entries(groups)) {
      const group = state[name];
      let anonKb = 0;
      let shmemKb = 0;
      let deltaTicks = 0;
      for (const pid of pidsOf()) {
        const usage = processUsage(pid);
        if (!usage) continue;
        // A process first seen after the start began during the run: all of its CPU time counts.
        if (!group.first.has(pid)) group.first.set(pid, firstSample ? usage.ticks : 0);
        deltaTicks += usage.ticks - (group.last.get(pid) ?? group.first.get(pid)!);
        group.last.set(pid, usage.ticks);
        group.seen.add(pid);
        anonKb += usage.anonKb;
        shmemKb = Math.max(shmemKb, usage.shmemKb);
      }
      group.peakKb = Math.max(group.peakKb, anonKb + shmemKb);
      if (!firstSample) group.peakCpu = Math.max(group.peakCpu, deltaTicks / ((now - previous) / 1000));
    }
    previous = now;
    firstSample = false;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): Record<string, UsageFigures> {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      return Object.fromEntries(
        Object.entries(state).map(([name, group]) => {
          let ticks = 0;
          for (const [pid, last] of group.last) ticks += last - (group.first.get(pid) ?? 0);
          return [name, { processes: group.seen.size, peakRssMb: Math.round(group.peakKb / 1024), avgCpu: ticks / seconds, peakCpu: group.peakCpu }];
        }),
      );
    },
  };
}
