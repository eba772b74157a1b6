// Finding and deleting what the demo data generator made, and nothing else. Generated people have
// addresses at demo.opora.test; a generated organisation is one whose organiser is
// organiser@<its slug>.demo.opora.test. Everything recorded in such an organisation goes with it
// (also what people did there after generation, e.g. a bench's sessions or an organiser's audit trail).
import type pg from "pg";
import { DEMO_DOMAIN } from "./learners.ts";

const GENERATED_ORGANISATIONS = `SELECT o.id FROM "Organisation" o WHERE EXISTS (SELECT 1 FROM "User" u WHERE u.email = 'organiser@' || o.slug || '.${DEMO_DOMAIN}')`;
const GENERATED_USERS = `SELECT id FROM "User" WHERE email LIKE '%@${DEMO_DOMAIN}' OR email LIKE '%.${DEMO_DOMAIN}'`;

type Queryable = { query: (sql: string, values?: unknown[]) => Promise<pg.QueryResult> };

export async function findGeneratedData(db: Queryable) {
  const organisations = await db.query(`SELECT name FROM "Organisation" WHERE id IN (${GENERATED_ORGANISATIONS}) ORDER BY "createdAt"`);
  const users = await db.query(`SELECT count(*)::int AS n FROM (${GENERATED_USERS}) u`);
  return { organisations: organisations.rows.map((row) => row.name as string), users: users.rows[0].n as number };
}

/**
 * Deletes the generated organisations and people with everything that refers to them, in one
 * transaction. Besides the tables named here, any table with an "enrolmentId", "organisationId" or
 * "userId" column loses its rows for them too, so tables added later (rules, referrals, …) are
 * covered without a change here; a deeper reference stops the reset with the database's message.
 */
export async function deleteGeneratedData(client: pg.PoolClient) {
  const deleted = new Map<string, number>();
  const run = async (table: string, where: string) => {
    const result = await client.query(`DELETE FROM "${table}" WHERE ${where}`);
    deleted.set(table, (deleted.get(table) ?? 0) + (result.rowCount ?? 0));
  };
  await client.query("BEGIN");
  try {
    await client.query(`CREATE TEMP TABLE demo_organisations ON COMMIT DROP AS ${GENERATED_ORGANISATIONS}`);
    await client.query(`CREATE TEMP TABLE demo_users ON COMMIT DROP AS ${GENERATED_USERS}`);
    const owned = await client.query(`SELECT slug FROM "Course" WHERE "ownerOrganisationId" IN (SELECT id FROM demo_organisations)`);
    if (owned.rowCount) throw new Error(`generated organisations own courses (${owned.rows.map((r) => r.slug).join(", ")}): delete or move them first`);
    await client.query(`CREATE TEMP TABLE demo_enrolments ON COMMIT DROP AS SELECT id FROM "Enrolment" WHERE "organisationId" IN (SELECT id FROM demo_organisations) OR "userId" IN (SELECT id FROM demo_users)`);
    await client.query("ANALYZE demo_organisations, demo_users, demo_enrolments");
    const { rows } = await client.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name IN ('enrolmentId', 'organisationId', 'userId') ORDER BY table_name`,
    );
    const tablesWith = (column: string, except: string[]) => rows.filter((r) => r.column === column && !except.includes(r.table)).map((r) => r.table);
    const inDemo = (column: string, set: string) => `"${column}" IN (SELECT id FROM ${set})`;

    await run("QuizAnswer", `"attemptId" IN (SELECT id FROM "QuizAttempt" WHERE ${inDemo("enrolmentId", "demo_enrolments")})`);
    for (const table of ["QuizAttempt", ...tablesWith("enrolmentId", ["QuizAttempt"])]) await run(table, inDemo("enrolmentId", "demo_enrolments"));
    await run("Enrolment", `id IN (SELECT id FROM demo_enrolments)`);
    await run("AuditEvent", `${inDemo("organisationId", "demo_organisations")} OR ${inDemo("actorId", "demo_users")} OR ${inDemo("subjectUserId", "demo_users")}`);
    const last = ["Organisation", "User", "Enrolment", "AuditEvent", "Department"];
    for (const table of tablesWith("organisationId", last)) await run(table, inDemo("organisationId", "demo_organisations"));
    for (const table of tablesWith("userId", last)) await run(table, inDemo("userId", "demo_users"));
    await run("Department", inDemo("organisationId", "demo_organisations"));
    await run("Organisation", `id IN (SELECT id FROM demo_organisations)`);
    await run("User", `id IN (SELECT id FROM demo_users)`); // sessions and tokens go with them (ON DELETE CASCADE)
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return deleted;
}
