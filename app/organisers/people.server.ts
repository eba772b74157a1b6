import { z } from "zod";
import { formatCertificateCode } from "~/certificates/code.ts";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import { type Locale, pick, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { csvField } from "~/utils/csv.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { xlsxStream } from "~/utils/xlsx.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { COURSE_TITLE_SELECT, courseTitleOf } from "./course-title.ts";
import { PEOPLE_SORTS, PERSON_STATUSES, type PersonStatus } from "./people.ts";

// The organiser's people list and its export: each current member with where they stand in one
// course (their latest cycle) and their current certificate of it. One SQL query serves both; the
// list pages it, the export streams it in batches so memory stays flat however large the hospital.

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

/** The course a list is about: the one asked for, else the organisation's first course with enrolments. */
async function courseOf(organisationId: string, courseId: string | undefined) {
  const course = courseId
    ? await db.course.findUnique({ where: { id: courseId }, select: COURSE_TITLE_SELECT })
    : await db.course.findFirst({ where: { enrolments: { some: { organisationId } } }, orderBy: { slug: "asc" }, select: COURSE_TITLE_SELECT });
  if (courseId && !course) throw new DomainError("INVALID", "people.unknownCourse", "course");
  return course ? { id: course.id, slug: course.slug, title: courseTitleOf(course) } : null;
}

/** The department, profession and search conditions on members (m) and their accounts (u). */
function memberFilters(query: PeopleQuery) {
  const search = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return Prisma.sql`${query.department ? Prisma.sql`AND m."departmentId" = ${query.department}` : Prisma.empty}
    ${query.profession ? Prisma.sql`AND u.profession = ${query.profession}::"Profession"` : Prisma.empty}
    ${search ? Prisma.sql`AND (u.name ILIKE ${search} OR u.email ILIKE ${search})` : Prisma.empty}`;
}

/** Members with their status in a course; `after` continues an export after the last (name, id). */
function peopleSql(organisationId: string, courseId: string, query: PeopleQuery, today: string, now: Date, page: { limit: number; offset?: number; after?: { name: string; id: string } }) {
  const order = {
    name: Prisma.sql`name, id`,
    status: Prisma.sql`array_position(ARRAY['overdue','expired','expiring','not_started','in_progress','none','exempt','completed','certified'], status), name, id`,
    due: Prisma.sql`"dueAt" ASC NULLS LAST, name, id`,
    expires: Prisma.sql`"expiresOn" ASC NULLS LAST, name, id`,
  }[query.sort];
  return Prisma.sql`
    SELECT * FROM (
      SELECT u.id, u.name, u.email, u.profession::text AS profession, u."licenceNumber", m."departmentId",
        e."createdAt" AS "enrolledAt", e."startedAt", e."completedAt", e."dueAt",
        (SELECT max(qa.score) FROM "QuizAttempt" qa WHERE qa."enrolmentId" = e.id AND qa.passed) AS score,
        c.code, c."expiresOn",
        CASE
          WHEN c.code IS NOT NULL AND c."expiresOn" <= ${today} THEN 'expired'
          WHEN c.code IS NOT NULL AND c."expiresOn" <= ${addDays(today, 30)} THEN 'expiring'
          WHEN c.code IS NOT NULL THEN 'certified'
          WHEN e.id IS NULL THEN 'none'
          WHEN e."completedAt" IS NOT NULL THEN 'completed'
          WHEN e."exemptedAt" IS NOT NULL THEN 'exempt'
          WHEN e."dueAt" < ${now} THEN 'overdue'
          WHEN e."startedAt" IS NOT NULL THEN 'in_progress'
          ELSE 'not_started'
        END AS status
      FROM "Membership" m
        JOIN "User" u ON u.id = m."userId"
        LEFT JOIN LATERAL (
          SELECT * FROM "Enrolment" en WHERE en."userId" = m."userId" AND en."courseId" = ${courseId} AND en."organisationId" = ${organisationId}
          ORDER BY en.cycle DESC LIMIT 1
        ) e ON true
        LEFT JOIN LATERAL (
          SELECT ce.code, ce."expiresOn" FROM "Certificate" ce
          WHERE ce."userId" = m."userId" AND ce."courseId" = ${courseId} AND ce."organisationId" = ${organisationId} AND ce."revokedAt" IS NULL AND ce."supersededAt" IS NULL
          ORDER BY ce."issuedAt" DESC LIMIT 1
        ) c ON true
      WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL
        ${memberFilters(query)}
    ) people
    WHERE true
      ${query.status ? Prisma.sql`AND status = ${query.status}` : Prisma.empty}
      ${page.after ? Prisma.sql`AND (name, id) > (${page.after.name}, ${page.after.id})` : Prisma.empty}
    ORDER BY ${page.after ? Prisma.sql`name, id` : order}
    LIMIT ${page.limit} ${page.offset ? Prisma.sql`OFFSET ${page.offset}` : Prisma.empty}`;
}

async function context(actor: Actor, organisationId: string, query: PeopleQuery, clock: Clock) {
  await assertCanManageOrganisation(actor, organisationId);
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { id: true, name: true, timeZone: true, departments: { select: { id: true, name: true }, orderBy: { name: "asc" } } } });
  if (query.department && !organisation.departments.some((d) => d.id === query.department)) throw new DomainError("INVALID", "org.unknownDepartment", "department");
  const course = await courseOf(organisationId, query.course);
  const now = clock.now();
  return { organisation, course, now, today: localDate(now, organisation.timeZone) };
}

/** One page of the people list, with the total for paging. */
export async function listPeople({ actor, organisationId, query, clock = systemClock }: { actor: Actor; organisationId: string; query: PeopleQuery; clock?: Clock }) {
  const { organisation, course, now, today } = await context(actor, organisationId, query, clock);
  const courses = await db.course.findMany({ where: { enrolments: { some: { organisationId } } }, orderBy: { slug: "asc" }, select: COURSE_TITLE_SELECT });
  const courseOptions = courses.map((c) => ({ id: c.id, title: courseTitleOf(c) }));
  if (!course) return { organisation, course: null, courses: courseOptions, rows: [] as Row[], total: 0, page: 1, pages: 1 };
  const [rows, total] = await Promise.all([
    db.$queryRaw<Row[]>(peopleSql(organisationId, course.id, query, today, now, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE })),
    // Without a status filter the total is just the matching members (no per-person status needed).
    query.status
      ? db.$queryRaw<Array<{ n: bigint }>>(Prisma.sql`SELECT count(*) AS n FROM (${peopleSql(organisationId, course.id, { ...query, sort: "name" }, today, now, { limit: 1_000_000 })}) counted`)
      : db.$queryRaw<Array<{ n: bigint }>>(Prisma.sql`SELECT count(*) AS n FROM "Membership" m JOIN "User" u ON u.id = m."userId"
          WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL ${memberFilters(query)}`),
  ]);
  const count = Number(total[0].n);
  return { organisation, course, courses: courseOptions, rows, total: count, page: query.page, pages: Math.max(1, Math.ceil(count / PAGE_SIZE)) };
}

const EXPORT_BATCH = 2_000;

/**
 * The people × course table for download, as CSV for Slovene Excel (UTF-8 with BOM, `;`,
 * formula-safe) or as an XLSX workbook. Rows are read in batches of 2,000 by (name, id) while the
 * file is being sent, so a 100,000-person export holds one batch in memory at a time.
 */
export async function exportPeople({ actor, organisationId, query, locale, format, clock = systemClock }: { actor: Actor; organisationId: string; query: PeopleQuery; locale: Locale; format: "csv" | "xlsx"; clock?: Clock }) {
  const { organisation, course, now, today } = await context(actor, organisationId, query, clock);
  if (!course) throw new DomainError("NOT_FOUND", "people.noCourse");
  await recordAudit(db, { actorId: actor.id, organisationId, action: "people.export", subjectType: "Course", subjectId: course.id, data: { query, format }, at: now });
  const t = translator(locale);
  const departments = new Map(organisation.departments.map((d) => [d.id, d.name]));
  const title = pick(course.title, locale);
  const date = (value: Date | null) => (value ? localDate(value, organisation.timeZone) : "");
  const header = [t("field.name"), t("field.email"), t("field.profession"), t("field.department"), t("cpd.licence"), t("people.course"), t("people.status"), t("people.enrolled"), t("people.started"), t("people.completed"), t("people.due"), t("people.score"), t("certificate.code"), t("certificate.validUntil")];
  const toCells = (r: Row) => [r.name, r.email, t(`profession.${r.profession}` as never), r.departmentId ? (departments.get(r.departmentId) ?? "") : "", r.licenceNumber, title, t(`people.status.${r.status}` as never), date(r.enrolledAt), date(r.startedAt), date(r.completedAt), date(r.dueAt), r.score, r.code ? formatCertificateCode(r.code) : "", r.expiresOn ?? ""];
  async function* batches() {
    let after: { name: string; id: string } | undefined;
    for (;;) {
      const rows = await db.$queryRaw<Row[]>(peopleSql(organisationId, course!.id, query, today, now, { limit: EXPORT_BATCH, after }));
      if (rows.length) yield rows.map(toCells);
      if (rows.length < EXPORT_BATCH) return;
      after = { name: rows[rows.length - 1].name, id: rows[rows.length - 1].id };
    }
  }
  const filename = `opora-${course.slug}-${today}.${format}`;
  if (format === "xlsx") return { stream: xlsxStream(title, header, batches()), filename, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
  const encoder = new TextEncoder();
  const line = (cells: Array<string | number | null>) => `${cells.map(csvField).join(";")}\r\n`;
  const source = batches();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${line(header)}`));
    },
    async pull(controller) {
      const next = await source.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map(line).join("")));
    },
  });
  return { stream, filename, contentType: "text/csv; charset=utf-8" };
}
