// `npm run demo:generate -- --learners 100000`: fills a database with a realistic organisation tree
// for demos and load tests: hospitals and health centres with departments, learners with progress,
// quiz attempts, case runs and certificates over 30 months (valid, expiring, expired, revoked,
// renewed), and an organiser and a trainer per organisation.
// Options: --learners N (100000) --organisations N (4) --seed N (1, same seed → same data on the same
// day) --reset (delete earlier generated data first) --database-url URL (else DATABASE_URL, else the
// embedded database `npm start` uses). Refuses to run twice on one database without --reset.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase } from "./lib/database.mjs";
import { BulkWriter, TABLES } from "./lib/demo-data/bulk-insert.ts";
import { loadCoursePlan } from "./lib/demo-data/course-plan.ts";
import { generateLearners } from "./lib/demo-data/learners.ts";
import { generateOrganisations, organisationNames } from "./lib/demo-data/organisations.ts";
import { type ChunkRows, emptyChunk } from "./lib/demo-data/progress.ts";
import { createIdFactory, createRandom } from "./lib/demo-data/random.ts";
import { deleteGeneratedData, findGeneratedData } from "./lib/demo-data/reset.ts";
import { applyMigrations } from "./lib/migrate.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const COURSE = "recognising-trafficking";
const CHUNK = 1000;
const say = (line: string) => console.log(`[demo] ${line}`);
const number = (n: number) => n.toLocaleString("en");

const { values: opts } = parseArgs({
  options: {
    learners: { type: "string", default: "100000" },
    organisations: { type: "string", default: "4" },
    seed: { type: "string", default: "1" },
    reset: { type: "boolean", default: false },
    "database-url": { type: "string" },
  },
});
const [LEARNERS, ORGANISATIONS, SEED] = [opts.learners, opts.organisations, opts.seed].map(Number);
if (![LEARNERS, ORGANISATIONS].every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(SEED)) {
  console.error("--learners and --organisations take whole numbers above 0, --seed a whole number");
  process.exit(2);
}

const started = performance.now();
if (opts["database-url"]) process.env.DATABASE_URL = opts["database-url"];
const database = await connectDatabase();
process.env.DATABASE_URL = database.url;
let writer: BulkWriter | null = null;
let disconnect = async () => {};
try {
  await applyMigrations(database.url);
  // App modules read the environment when loaded, so only now.
  const { loadCourseTree } = await import("../app/content/load-course.server.ts");
  const { importCourse } = await import("../app/content/import-course.server.ts");
  const { DEMO_PASSWORD } = await import("../app/domain/seed-demo.server.ts");
  const { RENEWAL_OPENS_DAYS_BEFORE } = await import("../app/domain/renew.server.ts");
  const { EXPIRY_MILESTONES } = await import("../app/certificates/notices.server.ts");
  const { hashPassword } = await import("../app/utils/password.server.ts");
  const { env } = await import("../app/utils/env.server.ts");
  const { db } = await import("../app/utils/db.server.ts");
  disconnect = () => db.$disconnect();

  // 1. The bundled courses, as `npm start` imports them.
  const tree = await loadCourseTree(join(ROOT, "courses"));
  if (tree.problems.length) throw new Error(`courses/ has problems (npm run courses:check):\n${tree.problems.slice(0, 10).map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n")}`);
  for (const course of tree.courses) say(`course ${course.slug}: ${(await importCourse(course)).status}`);
  const plan = await loadCoursePlan(db, COURSE);

  // 2. Generated data already there: refuse, or delete it with --reset.
  writer = new BulkWriter(database.url);
  const existing = await findGeneratedData(writer);
  if (existing.organisations.length || existing.users) {
    const what = `${existing.organisations.length} generated organisations (${existing.organisations.join(", ")}) and ${number(existing.users)} generated people`;
    if (!opts.reset) throw new Error(`the database already holds ${what}. Run again with --reset to delete them first.`);
    const t0 = performance.now();
    const client = await writer.connect();
    try {
      const deleted = await deleteGeneratedData(client);
      say(`--reset: deleted ${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${[...deleted].filter(([, n]) => n).map(([table, n]) => `${table} ${number(n)}`).join(", ")})`);
    } finally {
      client.release();
    }
  }
  const slugs = organisationNames(ORGANISATIONS).map((o) => o.slug);
  const taken = await writer.query(`SELECT slug FROM "Organisation" WHERE slug = ANY($1)`, [slugs]);
  if (taken.rowCount) throw new Error(`organisations with the slugs ${taken.rows.map((r) => r.slug).join(", ")} exist and were not generated: use another database`);

  // 3. Organisations, then learners in chunks of 1,000: the next chunk is generated while earlier ones are written.
  const random = createRandom(SEED);
  const newId = createIdFactory(SEED);
  const today = new Date();
  const nowMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const head = emptyChunk();
  const { organisations, staff } = generateOrganisations({ random, newId, nowMs, count: ORGANISATIONS, passwordHash, out: head });
  await insertChunk(writer, head);
  const retentionCutoff = new Date(nowMs);
  retentionCutoff.setUTCMonth(retentionCutoff.getUTCMonth() - env.RETENTION_QUIZ_ANSWERS_MONTHS);
  const context = { random, newId, nowMs, plan, organisations, passwordHash, retentionCutoffMs: retentionCutoff.getTime(), expiryMilestones: EXPIRY_MILESTONES, renewalOpensDaysBefore: RENEWAL_OPENS_DAYS_BEFORE };
  const generating = performance.now();
  const inFlight: Promise<void>[] = [];
  let reported = 0;
  for (let from = 1; from <= LEARNERS; from += CHUNK) {
    const rows = emptyChunk();
    const count = Math.min(CHUNK, LEARNERS - from + 1);
    // Generated in slices, letting the event loop send the next batches between them.
    for (let slice = 0; slice < count; slice += 250) {
      generateLearners(context, from + slice, Math.min(250, count - slice), rows);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Chunks do not refer to each other: two are written at once, so the connections never wait
    // for the slowest table of one chunk.
    if (inFlight.length >= 2) await inFlight.shift();
    const writing = insertChunk(writer, rows);
    writing.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
    inFlight.push(writing);
    const done = from + count - 1;
    if (done - reported >= LEARNERS / 10 && done < LEARNERS) {
      reported = done;
      say(`${number(done)} / ${number(LEARNERS)} learners (${((performance.now() - generating) / 1000).toFixed(0)} s), RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
    }
  }
  await Promise.all(inFlight);
  // Fresh statistics, so the planner sees the real sizes at once rather than after autovacuum.
  await writer.query(`ANALYZE ${TABLES.map((t) => `"${t}"`).join(", ")}`);

  // 4. What was made.
  const seconds = (performance.now() - started) / 1000;
  const total = [...writer.counts.values()].reduce((a, b) => a + b, 0);
  const width = Math.max(...TABLES.map((t) => t.length));
  console.log(`\n${TABLES.map((t) => `  ${t.padEnd(width)} ${number(writer!.counts.get(t) ?? 0).padStart(11)}`).join("\n")}\n  ${"total".padEnd(width)} ${number(total).padStart(11)}`);
  console.log(`\n${await mixSummary(writer, organisations.map((o) => o.id))}`);
  console.log(`\n[demo] ${number(LEARNERS)} learners, ${number(total)} rows in ${seconds.toFixed(1)} s (${number(Math.round(total / seconds))} rows/s), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  console.log(`[demo] sign in with password ${DEMO_PASSWORD} (every generated person has it):`);
  for (const person of staff) console.log(`  ${person.role.padEnd(9)} ${person.email.padEnd(60)} ${person.organisation}`);
} catch (error) {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await writer?.end();
  await disconnect();
  await database.stop();
}

/** Rows in foreign-key order; tables of one step go in parallel. */
async function insertChunk(writer: BulkWriter, rows: ChunkRows) {
  await writer.insert("Organisation", rows.Organisation);
  await writer.insert("Department", rows.Department);
  await writer.insert("User", rows.User);
  await Promise.all([writer.insert("Membership", rows.Membership), writer.insert("Enrolment", rows.Enrolment)]);
  await Promise.all([writer.insert("ItemProgress", rows.ItemProgress), writer.insert("QuizAttempt", rows.QuizAttempt), writer.insert("CaseRun", rows.CaseRun), writer.insert("Certificate", rows.Certificate)]);
  await Promise.all([writer.insert("QuizAnswer", rows.QuizAnswer), writer.insert("Notification", rows.Notification), writer.insert("AuditEvent", rows.AuditEvent)]);
}

/** Enrolment states and certificate states as generated, to check the mix at a glance. */
async function mixSummary(writer: BulkWriter, organisationIds: string[]) {
  const enrolments = await writer.query(
    `SELECT count(*) FILTER (WHERE kind = 'INITIAL' AND "startedAt" IS NULL) AS "not started",
            count(*) FILTER (WHERE kind = 'INITIAL' AND "startedAt" IS NOT NULL AND "completedAt" IS NULL) AS "in progress",
            count(*) FILTER (WHERE kind = 'INITIAL' AND "completedAt" IS NOT NULL) AS completed,
            count(*) FILTER (WHERE kind = 'INITIAL' AND "completedAt" IS NULL AND "dueAt" < now()) AS overdue,
            count(*) FILTER (WHERE kind = 'RENEWAL') AS renewals
     FROM "Enrolment" WHERE "organisationId" = ANY($1)`,
    [organisationIds],
  );
  const certificates = await writer.query(
    `WITH c AS (SELECT *, "revokedAt" IS NULL AND "supersededAt" IS NULL AS current, (now() AT TIME ZONE "timeZone")::date AS today FROM "Certificate" WHERE "organisationId" = ANY($1))
     SELECT count(*) FILTER (WHERE current AND "expiresOn"::date > today + 90) AS "valid > 90 days",
            count(*) FILTER (WHERE current AND "expiresOn"::date > today + 60 AND "expiresOn"::date <= today + 90) AS "expiring 61-90 days",
            count(*) FILTER (WHERE current AND "expiresOn"::date > today + 30 AND "expiresOn"::date <= today + 60) AS "expiring 31-60 days",
            count(*) FILTER (WHERE current AND "expiresOn"::date > today AND "expiresOn"::date <= today + 30) AS "expiring <= 30 days",
            count(*) FILTER (WHERE current AND "expiresOn"::date <= today) AS expired,
            count(*) FILTER (WHERE "supersededAt" IS NOT NULL) AS superseded,
            count(*) FILTER (WHERE "revokedAt" IS NOT NULL) AS revoked
     FROM c`,
    [organisationIds],
  );
  const line = (row: Record<string, string>) => Object.entries(row).map(([name, n]) => `${name} ${number(Number(n))}`).join(" · ");
  return `  enrolments: ${line(enrolments.rows[0])}\n  certificates: ${line(certificates.rows[0])}`;
}
