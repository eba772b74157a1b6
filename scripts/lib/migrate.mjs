// Applies prisma/migrations/*/migration.sql with plain `pg`, recording them in Prisma's own
// `_prisma_migrations` table, so `prisma migrate status` agrees with it. This keeps the
// WebAssembly schema engine off the start-up path (seconds per start) and lets several app
// processes start at once: an advisory lock serialises them. See docs/decisions/0003.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";

const MIGRATIONS_DIR = new URL("../../prisma/migrations/", import.meta.url).pathname;
const LOCK_ID = 7_240_315_501; // arbitrary, fixed: one migrator at a time per database

export function listMigrations(dir = MIGRATIONS_DIR) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => {
      const sql = readFileSync(join(dir, entry.name, "migration.sql"), "utf8");
      return { name: entry.name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The schema pg-boss keeps its queues in (app/jobs/queue.server.ts uses the same). */
export const JOB_SCHEMA = "pgboss";

/**
 * Creates or upgrades pg-boss's own tables. pg-boss versions its schema itself and serialises
 * concurrent installs with an advisory lock, so this is safe from several processes.
 */
export async function installJobSchema(databaseUrl) {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOB_SCHEMA, max: 1, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
}

/** Applies pending migrations; returns the names applied. Throws when an applied one was edited. */
export async function applyMigrations(databaseUrl, { dir = MIGRATIONS_DIR, jobs = dir === MIGRATIONS_DIR } = {}) {
  const done = await applyPrismaMigrations(databaseUrl, dir);
  if (jobs) await installJobSchema(databaseUrl);
  return done;
}

async function applyPrismaMigrations(databaseUrl, dir) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const done = [];
    for (const migration of listMigrations(dir)) {
      const previous = applied.get(migration.name);
      if (previous) {
        if (previous !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied. Add a new migration instead.`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${error.message}`);
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
