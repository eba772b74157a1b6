import pg from "pg";
import { expect, inject, it } from "vitest";
import { applyMigrations, listMigrations } from "../../scripts/lib/migrate.mjs";

it("applies every migration to an empty database in seconds, then finds nothing to do", async () => {
  const serverUrl = inject("pgServerUrl");
  const name = `opora_test_empty_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const started = performance.now();
    const applied = await applyMigrations(`${serverUrl}/${name}`);
    const elapsed = performance.now() - started;
    expect(applied).toEqual(listMigrations().map((m) => m.name));
    expect(elapsed).toBeLessThan(10_000); // the WASM schema engine took 10-60 s; this path must not
    expect(await applyMigrations(`${serverUrl}/${name}`)).toEqual([]);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});
