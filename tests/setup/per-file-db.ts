import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { startTestSmtpServer } from "../support/smtp.ts";

// Runs before each integration test file, before it imports any app module: a fresh database copied
// from the migrated template, a real SMTP server that keeps what it receives, and a temp storage dir.
const serverUrl = inject("pgServerUrl");
const database = `opora_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${inject("templateDatabase")}"`);
await admin.end();

const smtp = await startTestSmtpServer();
process.env.DATABASE_URL = `${serverUrl}/${database}`;
process.env.SMTP_URL = smtp.url;
process.env.PUBLIC_URL = "http://opora.test";
process.env.CONTENT_ORIGIN = "http://content.opora-scorm.test";
process.env.STORAGE_DIR = mkdtempSync(join(tmpdir(), "opora-storage-"));
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { stopJobs } = await import("../../app/jobs/queue.server.ts");
  await stopJobs();
  const { db } = await import("../../app/utils/db.server.ts");
  await db.$disconnect();
  await smtp.close();
  const cleanup = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await cleanup.end();
});
