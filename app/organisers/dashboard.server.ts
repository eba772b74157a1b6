import { z } from "zod";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { departmentInScope, departmentsInScope, type OrganiserScope, scopeSql } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { organisationCourses, organisationWithDepartments } from "./organisation-courses.server.ts";
import { sqlRows } from "~/utils/sql.server.ts";

// What an education coordinator asks first: how many of our people are where with a course, and
// whose certificate runs out when. Counted in PostgreSQL over TrainingStatus, one row per person and
// course that triggers keep up to date (ADR 0010), so the answer stays quick at 100,000 people.
//
// Counting rules (shown on the page):
// - People are the organisation's current members; a person's latest cycle of a course in this
//   organisation counts.
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

/** The rows every dashboard query counts: current members' standing in the organisation's courses, within the organiser's departments, with the filter. */
function statusScope(organisationId: string, scope: OrganiserScope, filter: DashboardFilter) {
  return Prisma.sql`WHERE ts."organisationId" = ${organisationId} AND ts."member" ${scopeSql(scope, Prisma.sql`ts."departmentId"`)}
    ${filter.course ? Prisma.sql`AND ts."courseId" = ${filter.course}` : Prisma.empty}
    ${filter.department ? Prisma.sql`AND ts."departmentId" = ${filter.department}` : Prisma.empty}
    ${filter.profession ? Prisma.sql`AND ts."profession" = ${filter.profession}::"Profession"` : Prisma.empty}`;
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

const EMPTY_COUNTS: DashboardCounts = { people: 0, enrolled: 0, assigned: 0, notStarted: 0, inProgress: 0, completed: 0, overdue: 0, certified: 0, expiring30: 0, expiring60: 0, expiring90: 0, expired: 0 };

export async function getDashboard({ actor, organisationId, filter, clock = systemClock }: { actor: Actor; organisationId: string; filter: DashboardFilter; clock?: Clock }) {
  const organiserScope = await assertCanManageOrganisation(actor, organisationId);
  const organisation = await organisationWithDepartments(organisationId);
  // A department organiser's filter offers their departments only; any other is unknown to them.
  if (filter.department && (!organisation.departments.some((d) => d.id === filter.department) || !departmentInScope(organiserScope, filter.department))) throw new DomainError("INVALID", "org.unknownDepartment", "department");
  const now = clock.now();
  const today = localDate(now, organisation.timeZone);
  const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : null;
  const to = filter.to ? new Date(`${addDays(filter.to, 1)}T00:00:00Z`) : null;
  const enrolled = Prisma.sql`ts."enrolmentId" IS NOT NULL ${from ? Prisma.sql`AND ts."enrolledAt" >= ${from}` : Prisma.empty} ${to ? Prisma.sql`AND ts."enrolledAt" < ${to}` : Prisma.empty}`;
  const certified = Prisma.sql`ts."certificateCode" IS NOT NULL ${from ? Prisma.sql`AND ts."certificateIssuedAt" >= ${from}` : Prisma.empty} ${to ? Prisma.sql`AND ts."certificateIssuedAt" < ${to}` : Prisma.empty}`;
  const overdue = Prisma.sql`ts."completedAt" IS NULL AND ts."exemptedAt" IS NULL AND ts."dueAt" < ${now}`;
  const valid = Prisma.sql`ts."certificateExpiresOn" > ${today}`;

  const courses = await organisationCourses(organisationId);
  const scope = statusScope(organisationId, organiserScope, filter);
  // With one course in view a person has at most one row, so counting rows counts people; with
  // several, the departments' figures first fold each person's rows into one.
  const oneCourse = Boolean(filter.course) || courses.length <= 1;

  // The organisation's TrainingStatus rows (kept by triggers: ADR 0010) read once for the totals
  // and each department; the member counts come from the membership index alone.
  const [grouped, members, people] = await Promise.all([
    sqlRows<Record<string, string> & { departmentId: string | null; whole: number }>(
      db.pool,
      Prisma.sql`
      SELECT GROUPING(ts."departmentId") AS whole, ts."departmentId",
        count(*) FILTER (WHERE ${enrolled}) AS enrolled,
        count(*) FILTER (WHERE ${enrolled} AND ts.source <> 'SELF') AS assigned,
        count(*) FILTER (WHERE ${enrolled} AND ts."startedAt" IS NULL AND ts."completedAt" IS NULL) AS "notStarted",
        count(*) FILTER (WHERE ${enrolled} AND ts."startedAt" IS NOT NULL AND ts."completedAt" IS NULL) AS "inProgress",
        count(*) FILTER (WHERE ${enrolled} AND ts."completedAt" IS NOT NULL) AS completed,
        count(*) FILTER (WHERE ${enrolled} AND ${overdue}) AS overdue,
        count(*) FILTER (WHERE ${certified} AND ${valid}) AS certified,
        count(*) FILTER (WHERE ${certified} AND ${valid} AND ts."certificateExpiresOn" <= ${addDays(today, 30)}) AS "expiring30",
        count(*) FILTER (WHERE ${certified} AND ${valid} AND ts."certificateExpiresOn" <= ${addDays(today, 60)}) AS "expiring60",
        count(*) FILTER (WHERE ${certified} AND ${valid} AND ts."certificateExpiresOn" <= ${addDays(today, 90)}) AS "expiring90",
        count(*) FILTER (WHERE ${certified} AND ts."certificateExpiresOn" <= ${today}) AS expired
      FROM "TrainingStatus" ts ${scope}
      GROUP BY GROUPING SETS ((), (ts."departmentId"))`,
    ),
    sqlRows<{ departmentId: string | null; people: string }>(
      db.pool,
      Prisma.sql`
      SELECT m."departmentId", count(*) AS people FROM "Membership" m ${filter.profession ? Prisma.sql`JOIN "User" u ON u.id = m."userId"` : Prisma.empty}
      WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL ${scopeSql(organiserScope, Prisma.sql`m."departmentId"`)}
        ${filter.department ? Prisma.sql`AND m."departmentId" = ${filter.department}` : Prisma.empty}
        ${filter.profession ? Prisma.sql`AND u.profession = ${filter.profession}::"Profession"` : Prisma.empty}
      GROUP BY m."departmentId"`,
    ),
    // People, not enrolments: someone who completed two courses counts once in their department.
    oneCourse
      ? null
      : sqlRows<{ departmentId: string | null; completed: string; certified: string; overdue: string }>(
          db.pool,
          Prisma.sql`
          SELECT "departmentId", count(*) FILTER (WHERE completed) AS completed, count(*) FILTER (WHERE certified) AS certified, count(*) FILTER (WHERE overdue) AS overdue
          FROM (
            SELECT ts."departmentId", ts."userId", bool_or(${enrolled} AND ts."completedAt" IS NOT NULL) AS completed,
              bool_or(${certified} AND ${valid}) AS certified, bool_or(${enrolled} AND ${overdue}) AS overdue
            FROM "TrainingStatus" ts ${scope} GROUP BY 1, 2
          ) person
          GROUP BY "departmentId"`,
        ),
  ]);
  const totals = grouped.find((row) => Number(row.whole) === 1);
  const byPerson = people ?? grouped.filter((row) => Number(row.whole) === 0);
  const figures: Record<string, unknown> = totals ?? {};
  const counts = Object.fromEntries(Object.keys(EMPTY_COUNTS).map((key) => [key, Number(figures[key] ?? 0)])) as DashboardCounts;
  counts.people = members.reduce((sum, row) => sum + Number(row.people), 0);
  const departmentNames = new Map(organisation.departments.map((d) => [d.id, d.name]));
  const standing = new Map(byPerson.map((row) => [row.departmentId, row]));
  return {
    organisation: { id: organisation.id, name: organisation.name, timeZone: organisation.timeZone, departments: departmentsInScope(organiserScope, organisation.departments) },
    /** the departments a department organiser sees (null: the whole organisation) */
    scopeDepartments: organiserScope.departmentIds ? departmentsInScope(organiserScope, organisation.departments) : null,
    courses,
    today,
    counts,
    byDepartment: members
      .map(({ departmentId, people }) => {
        const row = standing.get(departmentId);
        return { departmentId, name: departmentId ? (departmentNames.get(departmentId) ?? "") : null, people: Number(people), completed: Number(row?.completed ?? 0), certified: Number(row?.certified ?? 0), overdue: Number(row?.overdue ?? 0) };
      })
      .filter((row) => !filter.department || row.departmentId === filter.department)
      // Departments by name; people without a department last.
      .sort((a, b) => (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || (a.name ?? "").localeCompare(b.name ?? "", "sl")),
  };
}
