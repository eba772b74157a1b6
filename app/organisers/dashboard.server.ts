import { z } from "zod";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { COURSE_TITLE_SELECT, courseTitleOf } from "./course-title.ts";

// What an education coordinator asks first: how many of our people are where with a course, and
// whose certificate runs out when. Counted in PostgreSQL (one pass each over enrolments and
// certificates of the organisation), so the answer stays quick at 100,000 people.
//
// Counting rules (shown on the page):
// - People are the organisation's current members; a person's latest cycle of a course counts.
// - Assigned: enrolled by an organiser or a training rule, not by themselves.
// - Overdue: not completed and the due date has passed.
// - Certified: a current certificate (not revoked, not replaced by a renewal) issued by this
//   organisation; "expiring in N days" is part of it; expired ones are counted separately.

const DateSchema = z.iso.date({ error: "dashboard.badDate" });
export const DashboardFilterSchema = z
  .object({
    course: z.string().max(40).optional(),
    department: z.string().max(40).optional(),
    profession: z.enum(PROFESSIONS).optional(),
    from: DateSchema.optional(),
    to: DateSchema.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { error: "dashboard.badPeriod", path: ["to"] });
export type DashboardFilter = z.infer<typeof DashboardFilterSchema>;

/** Reads the filter from a query string; empty values mean "any". */
export function dashboardFilterFrom(params: URLSearchParams) {
  const raw = Object.fromEntries([...params].filter(([, value]) => value !== ""));
  const parsed = DashboardFilterSchema.safeParse(raw);
  if (!parsed.success) throw new DomainError("INVALID", parsed.error.issues[0]?.message ?? "dashboard.badDate", String(parsed.error.issues[0]?.path[0] ?? ""));
  return parsed.data;
}

/** The joins and conditions every dashboard query shares: current members of the organisation, with the filter. */
function memberScope(organisationId: string, filter: DashboardFilter, alias: Prisma.Sql) {
  // The account is joined only to filter by profession: at 100,000 people that join is most of the cost.
  return Prisma.sql`JOIN "Membership" m ON m."userId" = ${alias}."userId" AND m."organisationId" = ${organisationId} AND m."endedAt" IS NULL
    ${filter.profession ? Prisma.sql`JOIN "User" u ON u.id = ${alias}."userId"` : Prisma.empty}
    WHERE ${alias}."organisationId" = ${organisationId}
    ${filter.course ? Prisma.sql`AND ${alias}."courseId" = ${filter.course}` : Prisma.empty}
    ${filter.department ? Prisma.sql`AND m."departmentId" = ${filter.department}` : Prisma.empty}
    ${filter.profession ? Prisma.sql`AND u.profession = ${filter.profession}::"Profession"` : Prisma.empty}`;
}

export type DashboardCounts = {
  people: number;
  enrolled: number;
  assigned: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  overdue: number;
  certified: number;
  expiring30: number;
  expiring60: number;
  expiring90: number;
  expired: number;
};

export async function getDashboard({ actor, organisationId, filter, clock = systemClock }: { actor: Actor; organisationId: string; filter: DashboardFilter; clock?: Clock }) {
  await assertCanManageOrganisation(actor, organisationId);
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { id: true, name: true, timeZone: true, departments: { select: { id: true, name: true }, orderBy: { name: "asc" } } } });
  if (filter.department && !organisation.departments.some((d) => d.id === filter.department)) throw new DomainError("INVALID", "org.unknownDepartment", "department");
  const now = clock.now();
  const today = localDate(now, organisation.timeZone);
  const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : null;
  const to = filter.to ? new Date(`${addDays(filter.to, 1)}T00:00:00Z`) : null;
  const enrolmentPeriod = Prisma.sql`${from ? Prisma.sql`AND e."createdAt" >= ${from}` : Prisma.empty} ${to ? Prisma.sql`AND e."createdAt" < ${to}` : Prisma.empty}`;
  const certificatePeriod = Prisma.sql`${from ? Prisma.sql`AND c."issuedAt" >= ${from}` : Prisma.empty} ${to ? Prisma.sql`AND c."issuedAt" < ${to}` : Prisma.empty}`;

  const [enrolments, certificates, people, byDepartment, courses] = await Promise.all([
    db.$queryRaw<Array<Record<string, bigint>>>`
      SELECT count(*) AS enrolled,
        count(*) FILTER (WHERE e.source <> 'SELF') AS assigned,
        count(*) FILTER (WHERE e."startedAt" IS NULL AND e."completedAt" IS NULL) AS "notStarted",
        count(*) FILTER (WHERE e."startedAt" IS NOT NULL AND e."completedAt" IS NULL) AS "inProgress",
        count(*) FILTER (WHERE e."completedAt" IS NOT NULL) AS completed,
        count(*) FILTER (WHERE e."completedAt" IS NULL AND e."exemptedAt" IS NULL AND e."dueAt" < ${now}) AS overdue
      FROM "Enrolment" e ${memberScope(organisationId, filter, Prisma.raw("e"))}
        AND NOT EXISTS (SELECT 1 FROM "Enrolment" later WHERE later."userId" = e."userId" AND later."courseId" = e."courseId" AND later.cycle > e.cycle)
        ${enrolmentPeriod}`,
    db.$queryRaw<Array<Record<string, bigint>>>`
      SELECT count(*) FILTER (WHERE c."expiresOn" > ${today}) AS certified,
        count(*) FILTER (WHERE c."expiresOn" > ${today} AND c."expiresOn" <= ${addDays(today, 30)}) AS "expiring30",
        count(*) FILTER (WHERE c."expiresOn" > ${today} AND c."expiresOn" <= ${addDays(today, 60)}) AS "expiring60",
        count(*) FILTER (WHERE c."expiresOn" > ${today} AND c."expiresOn" <= ${addDays(today, 90)}) AS "expiring90",
        count(*) FILTER (WHERE c."expiresOn" <= ${today}) AS expired
      FROM "Certificate" c ${memberScope(organisationId, filter, Prisma.raw("c"))}
        AND c."revokedAt" IS NULL AND c."supersededAt" IS NULL ${certificatePeriod}`,
    db.$queryRaw<Array<{ people: bigint }>>`
      SELECT count(*) AS people FROM "Membership" m ${filter.profession ? Prisma.sql`JOIN "User" u ON u.id = m."userId"` : Prisma.empty}
      WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL
        ${filter.department ? Prisma.sql`AND m."departmentId" = ${filter.department}` : Prisma.empty}
        ${filter.profession ? Prisma.sql`AND u.profession = ${filter.profession}::"Profession"` : Prisma.empty}`,
    db.$queryRaw<Array<{ departmentId: string | null; people: bigint; completed: bigint; certified: bigint; overdue: bigint }>>`
      SELECT m."departmentId",
        count(DISTINCT m."userId") AS people,
        count(DISTINCT e."userId") FILTER (WHERE e."completedAt" IS NOT NULL) AS completed,
        count(DISTINCT c."userId") FILTER (WHERE c."expiresOn" > ${today}) AS certified,
        count(DISTINCT e."userId") FILTER (WHERE e."completedAt" IS NULL AND e."exemptedAt" IS NULL AND e."dueAt" < ${now}) AS overdue
      FROM "Membership" m
        JOIN "User" u ON u.id = m."userId"
        LEFT JOIN "Enrolment" e ON e."userId" = m."userId" AND e."organisationId" = ${organisationId}
          ${filter.course ? Prisma.sql`AND e."courseId" = ${filter.course}` : Prisma.empty}
        LEFT JOIN "Certificate" c ON c."enrolmentId" = e.id AND c."revokedAt" IS NULL AND c."supersededAt" IS NULL
      WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL
        ${filter.profession ? Prisma.sql`AND u.profession = ${filter.profession}::"Profession"` : Prisma.empty}
      GROUP BY m."departmentId"`,
    db.course.findMany({ where: { enrolments: { some: { organisationId } } }, select: COURSE_TITLE_SELECT, orderBy: { slug: "asc" } }),
  ]);
  const counts = Object.fromEntries(Object.entries({ ...enrolments[0], ...certificates[0], people: people[0].people }).map(([k, v]) => [k, Number(v)])) as DashboardCounts;
  const departmentNames = new Map(organisation.departments.map((d) => [d.id, d.name]));
  return {
    organisation: { id: organisation.id, name: organisation.name, timeZone: organisation.timeZone, departments: organisation.departments },
    courses: courses.map((c) => ({ id: c.id, slug: c.slug, title: courseTitleOf(c) })),
    today,
    counts,
    byDepartment: byDepartment
      .map((row) => ({ departmentId: row.departmentId, name: row.departmentId ? (departmentNames.get(row.departmentId) ?? "") : null, people: Number(row.people), completed: Number(row.completed), certified: Number(row.certified), overdue: Number(row.overdue) }))
      .filter((row) => !filter.department || row.departmentId === filter.department)
      .sort((a, b) => (a.name ?? "~").localeCompare(b.name ?? "~", "sl")),
  };
}
