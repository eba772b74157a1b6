// `npm run courses:import [-- --force]`: import courses/ into DATABASE_URL (or the embedded database).
import { spawnSync } from "node:child_process";
import { connectDatabase } from "./lib/database.mjs";
import { applyMigrations } from "./lib/migrate.mjs";

const db = await connectDatabase();
try {
  await applyMigrations(db.url);
  const result = spawnSync("npx", ["tsx", "scripts/seed.ts", ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url, SEED_DEMO: "0" } });
  process.exitCode = result.status ?? 1;
} finally {
  await db.stop();
}
