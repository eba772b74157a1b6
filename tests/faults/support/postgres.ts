import { mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../../scripts/lib/embedded-db.mjs";
import { applyMigrations } from "../../../scripts/lib/migrate.mjs";

// The fault tests' own PostgreSQL (never the one other tests or `npm start` use): they stop it and
// start it again. It is stopped and started by the pid in its data directory, whoever started it.

const DATA_DIR = resolve(".data/fault-pg");
export const FAULT_PG_PORT = Number(process.env.FAULT_PG_PORT ?? 5480);

function postmasterPid(): number | null {
  const pidFile = join(realpathSync(DATA_DIR), "postmaster.pid");
  let pid: number;
  try {
    // Read, not checked first: a stopping server removes the file at any moment.
    pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

/** Starts the server (or finds it running) and returns its URL without a database name. */
export async function startFaultPostgres() {
  const server = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: FAULT_PG_PORT, database: "postgres" });
  return server.serverUrl;
}

/**
 * Stops the server as an operator or a failover does (fast shutdown: every session is terminated,
 * open transactions roll back) and returns once it is gone.
 */
export async function stopFaultPostgres() {
  const pid = postmasterPid();
  if (!pid) return;
  process.kill(pid, "SIGINT");
  await waitUntil(() => postmasterPid() === null, "PostgreSQL has stopped");
}

/** A new database with every migration applied, and a temporary directory for files. */
export async function createFaultDatabase(serverUrl: string) {
  const name = `opora_fault_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await applyMigrations(`${serverUrl}/${name}`);
  return {
    url: `${serverUrl}/${name}`,
    storageDir: mkdtempSync(join(tmpdir(), "opora-fault-storage-")),
    async drop() {
      const cleanup = new pg.Client({ connectionString: `${serverUrl}/postgres` });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
