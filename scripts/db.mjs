// Database entry points: `migrate` applies pending migrations, `seed` imports the bundled courses
// and the demo data, `create-migration <name>` writes a new migration from the schema diff.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connectDatabase } from "./lib/database.mjs";
import { applyMigrations, listMigrations } from "./lib/migrate.mjs";

const [command, ...args] = process.argv.slice(2);
const db = await connectDatabase({ log: (line) => console.log(line) });
try {
  if (command === "migrate") {
    const applied = await applyMigrations(db.url);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date.");
  } else if (command === "seed") {
    await applyMigrations(db.url);
    const result = spawnSync("npx", ["tsx", "scripts/seed.ts"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url, SEED_DEMO: "1" } });
    process.exitCode = result.status ?? 1;
  } else if (command === "create-migration") {
    const name = args[0];
    if (!/^[a-z0-9_]+$/.test(name ?? "")) throw new Error("Usage: npm run db:migrate:create -- <name_in_snake_case>");
    await applyMigrations(db.url);
    const from = listMigrations().length ? ["--from-migrations", "prisma/migrations"] : ["--from-empty"];
    const diff = spawnSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: db.url, CHECKPOINT_DISABLE: "1" },
    });
    if (diff.status !== 0) throw new Error(diff.stderr);
    if (!diff.stdout.includes("CREATE") && !diff.stdout.includes("ALTER") && !diff.stdout.includes("DROP")) {
      console.log("The schema matches the migrations: nothing to write.");
    } else {
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      const dir = `prisma/migrations/${stamp}_${name}`;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/migration.sql`, diff.stdout);
      console.log(`Wrote ${dir}/migration.sql`);
    }
  } else {
    throw new Error("Usage: node scripts/db.mjs migrate|seed|create-migration <name>");
  }
} finally {
  await db.stop();
}
