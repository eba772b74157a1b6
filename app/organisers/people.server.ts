import { z } from "zod";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { departmentInScope, departmentsInScope, type OrganiserScope, scopeSql } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import { type Locale, pick, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { csvBytesStream, formulaSafe, formulaSafeSql } from "~/utils/csv.ts";
import { db } from "~/utils/db.server.ts";
import { copyCsvLines, cursorBatches } from "~/utils/db-cursor.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { sqlRows } from "~/utils/sql.server.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { type Cell, xlsxStream } from "~/utils/xlsx.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { organisationCourses, organisationWithDepartments } from "./organisation-courses.server.ts";
import { PEOPLE_SORTS, PERSON_STATUSES, type PersonStatus } from "./people.ts";

// The organiser's people list and its export: each current member with where they stand in one
// course (their latest cycle in the organisation and their current certificate of it, from the
// trigger-kept TrainingStatus table: ADR 0010). One SQL query serves both; the list pages it, the
// export streams it in batches so memory stays flat however large the hospital.

export const PAGE_SIZE = 50;

export const PeopleQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(PERSON_STATUSES).optional(),
  department: z.string().max(40).optional(),
  profession: z.enum(PROFESSIONS).optional(),
  course: z.string().max(40).optional(),
  sort: z.enum(PEOPLE_SORTS).default("name"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type PeopleQuery = z.infer<typeof PeopleQuerySchema>;

export function peopleQueryFrom(params: URLSearchParams): PeopleQuery {
  const parsed = PeopleQuerySchema.safeParse(Object.fromEntries([...params].filter(([, value]) => value !== "")));
  if (!parsed.success) throw new DomainError("INVALID", "people.badQuery", String(parsed.error.issues[0]?.path[0] ?? ""));
  return parsed.data;
}

type Row = {
  id: string;
  name: string;
  email: string;
  profession: string;
  licenceNumber: string | null;
  departmentId: string | null;
  enrolledAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  dueAt: Date | null;
  score: number | null;
  code: string | null;
  expiresOn: string | null;
  status: PersonStatus;
};

/** The course a list is about: the one asked for (one of the organisation's), else its first. */
function courseOf(courses: Awaited<ReturnType<typeof organisationCourses>>, courseId: string | undefined) {
  const course = courseId ? courses.find((c) => c.id === courseId) : courses[0];
  if (courseId && !course) throw new DomainError("INVALID", "people.unknownCourse", "course");
  return course ?? null;
}

/**
 * The organiser's departments and the department, profession and search conditions on members (m,
 * or `department` given) and their accounts (u): every query of the list and export goes through it.
 */
function memberFilters(query: PeopleQuery, scope: OrganiserScope, department = Prisma.sql`m."departmentId"`) {
  const search = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return Prisma.sql`${scopeSql(scope, department)} ${query.department ? Prisma.sql`AND ${department} = ${query.department}` : Prisma.empty}
    ${query.profession ? Prisma.sql`AND u.profession = ${query.profession}::"Profession"` : Prisma.empty}
    ${search ? Prisma.sql`AND (u.name ILIKE ${search} OR u.email ILIKE ${search})` : Prisma.empty}`;
}

/** A person's status in the course from their TrainingStatus row (all NULL when there is none). */
function statusSql(today: string, now: Date) {
  return Prisma.sql`CASE
    WHEN ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" <= ${today} THEN 'expired'
    WHEN ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" <= ${addDays(today, 30)} THEN 'expiring'
    WHEN ts."certificateCode" IS NOT NULL THEN 'certified'
    WHEN ts."enrolmentId" IS NULL THEN 'none'
    WHEN ts."completedAt" IS NOT NULL THEN 'completed'
    WHEN ts."exemptedAt" IS NOT NULL THEN 'exempt'
    WHEN ts."dueAt" < ${now} THEN 'overdue'
    WHEN ts."startedAt" IS NOT NULL THEN 'in_progress'
    ELSE 'not_started'
  END`;
}

/**
 * Members with their status in a course, a page of them or (without a limit) all, in the list's order.
 * Unfiltered, it walks the members (by name, through the User(name, id) index) and looks up each
 * one's TrainingStatus row; filtered by a status other than "none", it starts from the course's
 * TrainingStatus rows instead, which is where that status can be found without reading everyone.
 */
function peopleSql(
  organisationId: string,
  scope: OrganiserScope,
  courseId: string,
  query: PeopleQuery,
  today: string,
  now: Date,
  page: { limit?: number; offset?: number },
  { output = Prisma.sql`people.*`, joins = Prisma.empty }: { output?: Prisma.Sql; joins?: Prisma.Sql } = {},
) {
  const order = {
    name: Prisma.sql`people.name, people.id`,
    status: Prisma.sql`array_position(ARRAY['overdue','expired','expiring','not_started','in_progress','none','exempt','completed','certified'], people.status), people.name, people.id`,
    due: Prisma.sql`people."dueAt" ASC NULLS LAST, people.name, people.id`,
    expires: Prisma.sql`people."expiresOn" ASC NULLS LAST, people.name, people.id`,
  }[query.sort];
  const status = statusSql(today, now);
  const columns = (department: Prisma.Sql) => Prisma.sql`u.id, u.name, u.email, u.profession::text AS profession, u."licenceNumber", ${department} AS "departmentId",
    ts."enrolledAt", ts."startedAt", ts."completedAt", ts."dueAt", ts.score, ts."certificateCode" AS code, ts."certificateExpiresOn" AS "expiresOn", ${status} AS status`;
  // The certificate statuses are date ranges: said plainly too, the expiry index finds them.
  const certificateRange = {
    expired: Prisma.sql`AND ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" <= ${today}`,
    expiring: Prisma.sql`AND ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" > ${today} AND ts."certificateExpiresOn" <= ${addDays(today, 30)}`,
    certified: Prisma.sql`AND ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" > ${addDays(today, 30)}`,
  }[query.status as string];
  const select =
    query.status && query.status !== "none"
      ? // TrainingStatus rows of current members already carry their department.
        Prisma.sql`SELECT ${columns(Prisma.sql`ts."departmentId"`)} FROM "TrainingStatus" ts
          JOIN "User" u ON u.id = ts."userId"
        WHERE ts."organisationId" = ${organisationId} AND ts."courseId" = ${courseId} AND ts."member" AND ${status} = ${query.status} ${certificateRange ?? Prisma.empty}
          ${memberFilters(query, scope, Prisma.sql`ts."departmentId"`)}`
      : Prisma.sql`SELECT ${columns(Prisma.sql`m."departmentId"`)} FROM "Membership" m
          JOIN "User" u ON u.id = m."userId"
          LEFT JOIN "TrainingStatus" ts ON ts."organisationId" = ${organisationId} AND ts."courseId" = ${courseId} AND ts."userId" = m."userId"
        WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL
          ${query.status === "none" ? Prisma.sql`AND ts."userId" IS NULL` : Prisma.empty} ${memberFilters(query, scope)}`;
  return Prisma.sql`
    SELECT ${output} FROM (${select}) people ${joins}
    ORDER BY ${order}
    ${page.limit ? Prisma.sql`LIMIT ${page.limit}` : Prisma.empty} ${page.offset ? Prisma.sql`OFFSET ${page.offset}` : Prisma.empty}`;
}

async function context(actor: Actor, organisationId: string, query: PeopleQuery, clock: Clock) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const all = await organisationWithDepartments(organisationId);
  // A department organiser filters by their own departments only; any other is unknown to them.
  if (query.department && (!all.departments.some((d) => d.id === query.department) || !departmentInScope(scope, query.department))) throw new DomainError("INVALID", "org.unknownDepartment", "department");
  const organisation = { ...all, departments: departmentsInScope(scope, all.departments) };
  const courses = await organisationCourses(organisationId);
  const course = courseOf(courses, query.course);
  const now = clock.now();
  return { organisation, scope, scopeDepartments: scope.departmentIds ? organisation.departments : null, courses, course, now, today: localDate(now, organisation.timeZone) };
}

/** One page of the people list, with the total for paging. */
export async function listPeople({ actor, organisationId, query, clock = systemClock }: { actor: Actor; organisationId: string; query: PeopleQuery; clock?: Clock }) {
  const { organisation, scope, scopeDepartments, courses, course, now, today } = await context(actor, organisationId, query, clock);
  const courseOptions = courses.map((c) => ({ id: c.id, title: c.title }));
  if (!course) return { organisation, scopeDepartments, course: null, courses: courseOptions, rows: [] as Row[], total: 0, page: 1, pages: 1 };
  const page = { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE };
  const countAll = () => sqlRows<{ n: number }>(db.pool, Prisma.sql`SELECT count(*)::int AS n FROM (${peopleSql(organisationId, scope, course.id, { ...query, sort: "name" }, today, now, {})}) counted`);
  let rows: Row[];
  let total: Array<{ n: number }>;
  if (query.status) {
    // Filtered by status, every matching person's status is worked out to find the page anyway: the
    // same query counts them (a window over all rows before the limit), rather than a second query
    // doing it all again. Past the last page there is no row to carry the count.
    const counted = await sqlRows<Row & { matching: number }>(db.pool, peopleSql(organisationId, scope, course.id, query, today, now, page, { output: Prisma.sql`people.*, count(*) OVER ()::int AS matching` }));
    rows = counted.map(({ matching: _, ...row }) => row);
    total = counted.length ? [{ n: counted[0].matching }] : query.page > 1 ? await countAll() : [{ n: 0 }];
  } else {
    // Without a status filter the total is just the matching members (no per-person status needed),
    // counted from the membership index alone unless a search or profession needs the accounts.
    [rows, total] = await Promise.all([
      sqlRows<Row>(db.pool, peopleSql(organisationId, scope, course.id, query, today, now, page)),
      sqlRows<{ n: number }>(db.pool, Prisma.sql`SELECT count(*)::int AS n FROM "Membership" m
          ${query.q || query.profession ? Prisma.sql`JOIN "User" u ON u.id = m."userId"` : Prisma.empty}
          WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL ${memberFilters(query, scope)}`),
    ]);
  }
  const count = Number(total[0].n);
  return { organisation, scopeDepartments, course, courses: courseOptions, rows, total: count, page: query.page, pages: Math.max(1, Math.ceil(count / PAGE_SIZE)) };
}

const EXPORT_BATCH = 2_000;

// Instants as calendar days in the time zone the query runs in (the organisation's, set by
// db-cursor): Prisma's timestamps hold UTC.
const EXPORT_DATES = Prisma.sql`(people."enrolledAt" AT TIME ZONE 'UTC')::date::text, (people."startedAt" AT TIME ZONE 'UTC')::date::text,
  (people."completedAt" AT TIME ZONE 'UTC')::date::text, (people."dueAt" AT TIME ZONE 'UTC')::date::text`;

/** A CASE turning a column's values into words (or the value itself when it has none). */
function wordsSql(column: Prisma.Sql, words: ReadonlyMap<string, string>) {
  return Prisma.sql`CASE ${column} ${Prisma.join([...words].map(([value, word]) => Prisma.sql`WHEN ${value} THEN ${word}`), " ")} ELSE ${column} END`;
}

/**
 * The export's cells, in the order of its header, all worked out by PostgreSQL for both formats:
 * words in the reader's language, department names (`EXPORT_JOINS`), certificate codes in groups of
 * four as `formatCertificateCode` writes them (codes have 16 characters; string functions, since a
 * regular expression with a lookahead cost 16 µs a row) and the organisation's calendar days. For
 * CSV, text a spreadsheet would run as a formula gets its apostrophe (`formulaSafeSql`; our own
 * words and the course title here); an XLSX keeps text in text cells, which are never run.
 */
function exportCellsSql({ professions, statuses, title, csv }: { professions: ReadonlyMap<string, string>; statuses: ReadonlyMap<string, string>; title: string; csv: boolean }) {
  const text = (expression: string) => Prisma.raw(csv ? formulaSafeSql(expression) : expression);
  const words = (map: ReadonlyMap<string, string>) => (csv ? new Map([...map].map(([key, word]) => [key, formulaSafe(word)])) : map);
  return Prisma.sql`${text("people.name")}, ${text("people.email")}, ${wordsSql(Prisma.sql`people.profession`, words(professions))},
    ${text("department.name")}, ${text(`people."licenceNumber"`)}, ${csv ? formulaSafe(title) : title}::text,
    ${wordsSql(Prisma.sql`people.status`, words(statuses))}, ${EXPORT_DATES}, people.score,
    left(people.code, 4) || '-' || substr(people.code, 5, 4) || '-' || substr(people.code, 9, 4) || '-' || substr(people.code, 13), people."expiresOn"`;
}

const EXPORT_JOINS = Prisma.sql`LEFT JOIN "Department" department ON department.id = people."departmentId"`;

/**
 * The people × course table for download, as CSV for Slovene Excel (UTF-8 with BOM, `;`,
 * formula-safe) or as an XLSX workbook, in the list's order, read while the file is being sent so
 * that memory stays flat however large the hospital. PostgreSQL writes the CSV's rows itself (COPY),
 * which the app passes on as bytes; the XLSX's rows come from a cursor in batches of 2,000.
 */
export async function exportPeople({ actor, organisationId, query, locale, format, clock = systemClock }: { actor: Actor; organisationId: string; query: PeopleQuery; locale: Locale; format: "csv" | "xlsx"; clock?: Clock }) {
  const { organisation, scope, course, now, today } = await context(actor, organisationId, query, clock);
  if (!course) throw new DomainError("NOT_FOUND", "people.noCourse");
  await recordAudit(db, { actorId: actor.id, organisationId, action: "people.export", subjectType: "Course", subjectId: course.id, data: { query, format }, at: now });
  const t = translator(locale);
  const professions = new Map<string, string>(PROFESSIONS.map((p) => [p, t(`profession.${p}`)]));
  const statuses = new Map<string, string>(PERSON_STATUSES.map((s) => [s, t(`people.status.${s}`)]));
  const title = pick(course.title, locale);
  const header = [t("field.name"), t("field.email"), t("field.profession"), t("field.department"), t("cpd.licence"), t("people.course"), t("people.status"), t("people.enrolled"), t("people.started"), t("people.completed"), t("people.due"), t("people.score"), t("certificate.code"), t("certificate.validUntil")];
  const filename = `opora-${course.slug}-${today}.${format}`;
  const sql = peopleSql(organisationId, scope, course.id, query, today, now, {}, { output: exportCellsSql({ professions, statuses, title, csv: format === "csv" }), joins: EXPORT_JOINS });
  const read = { timeZone: organisation.timeZone };
  if (format === "csv") return { stream: csvBytesStream(header, copyCsvLines(sql, read)), filename, contentType: "text/csv; charset=utf-8" };
  return { stream: xlsxStream(title, header, cursorBatches<Cell[]>(sql, { ...read, batchSize: EXPORT_BATCH })), filename, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
}
