import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-db.mjs";
import { applyMigrations } from "../../scripts/lib/migrate.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
  }
}

// One template per run, so two runs sharing a server (two terminals, a watcher) never collide.
const TEMPLATE = `opora_test_template_${process.pid}`;

/**
 * Once per run: a PostgreSQL server (TEST_PG_SERVER_URL or DATABASE_URL's server, else an embedded
 * one under .data/test-pg) and a template database with every migration applied. Each test file
 * then gets its own copy (tests/setup/per-file-db.ts), so files run in parallel without interfering.
 */
function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  let serverUrl: string | undefined = process.env.TEST_PG_SERVER_URL;
  let stop = async () => {};
  if (!serverUrl && process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "";
    serverUrl = url.toString().replace(/\/$/, "");
  }
  if (!serverUrl) {
    const db = await startEmbeddedPostgres({ dataDir: resolve(".data/test-pg"), port: Number(process.env.TEST_PG_PORT ?? 5457), database: "postgres" });
    serverUrl = db.serverUrl;
    // Several runs may share the embedded server (two terminals, a watcher): each registers itself,
    // and the last one to finish stops it.
    const users = resolve(".data/test-pg.runs");
    mkdirSync(users, { recursive: true });
    writeFileSync(join(users, String(process.pid)), "");
    stop = async () => {
      rmSync(join(users, String(process.pid)), { force: true });
      const others = readdirSync(users).filter((pid) => isAlive(Number(pid)));
      if (!others.length) await db.stop();
    };
  }
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  // Drop databases an interrupted earlier run left behind: every test database name carries the
  // process id that made it, and only those of processes no longer alive are dropped.
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'opora_test_%'`);
  for (const { datname } of rows as Array<{ datname: string }>) {
    const pid = Number(datname.match(/_(\d+)/)?.[1]);
    if (pid && isAlive(pid)) continue;
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
  }
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  await admin.end();
  await applyMigrations(`${serverUrl}/${TEMPLATE}`);
  project.provide("pgServerUrl", serverUrl as string);
  project.provide("templateDatabase", TEMPLATE);
  return async () => {
    const cleanup = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
    await cleanup.end();
    await stop();
  };
}
