import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { APP_PORT, CONTENT_PORT } from "./support/app-process.ts";
import { createFaultDatabase, startFaultPostgres, stopFaultPostgres } from "./support/postgres.ts";

// Before each fault test file imports any app module: its own database on the fault tests'
// PostgreSQL, shared by the test (which prepares data through the domain functions and checks what
// was stored) and the app processes it starts. The app's addresses are fixed per run.
const serverUrl = await startFaultPostgres();
const database = await createFaultDatabase(serverUrl);
process.env.DATABASE_URL = database.url;
process.env.PUBLIC_URL = `http://127.0.0.1:${APP_PORT}`;
process.env.CONTENT_ORIGIN = `http://localhost:${CONTENT_PORT}`;
process.env.STORAGE_DIR = database.storageDir;
process.env.MAIL_DIR = mkdtempSync(join(tmpdir(), "opora-fault-mail-"));
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { db } = await import("../../app/utils/db.server.ts");
  await db.$disconnect();
  // The server may have been stopped by the test; it is started again to drop the database.
  await startFaultPostgres();
  await database.drop();
  await stopFaultPostgres();
});
