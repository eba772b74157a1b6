import { z } from "zod";
import { isCalendarDay } from "~/cpd/period.ts";
import { addDays, addMonthsClamped, localDate } from "~/certificates/expiry.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { departmentInScope, departmentsInScope, scopeMembershipWhere, scopeUserWhere } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation, assertCanManageWholeOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { endOfLocalDay } from "~/utils/local-time.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { courseTitles } from "./course-title.server.ts";
import { organisationWithDepartments } from "./organisation-courses.server.ts";

// Mandatory training: rules say who must take which course by when; applying them assigns people
// (when a rule is made, when someone joins or changes department, and daily for renewals). Applying
// is idempotent: it only adds what is missing. Due dates are the end of a day in the organisation's
// time zone.

/** A renewal is assigned this many days before it falls due (when renewal opens, see renew.server.ts). */
export const RENEWAL_ASSIGN_DAYS_BEFORE = 60;

export const TrainingRuleSchema = z.object({
  courseId: z.string().min(1, "rules.chooseCourse").max(40),
  departmentId: z.string().max(40).optional(),
  profession: z.enum(PROFESSIONS).optional(),
  dueWithinDays: z.coerce.number().int("rules.days").min(1, "rules.days").max(730, "rules.days"),
  recurEveryMonths: z.coerce.number().int("rules.months").min(1, "rules.months").max(120, "rules.months").optional(),
});
export type TrainingRuleInput = z.infer<typeof TrainingRuleSchema>;

async function assertCourse(courseId: string) {
  if (!(await db.course.count({ where: { id: courseId, versions: { some: { publishedAt: { not: null } } } } }))) throw new DomainError("INVALID", "rules.chooseCourse", "courseId");
}

async function assertDepartment(organisationId: string, departmentId: string | undefined) {
  if (departmentId && !(await db.department.count({ where: { id: departmentId, organisationId } }))) throw new DomainError("INVALID", "org.unknownDepartment", "departmentId");
}

export async function createTrainingRule({ actor, organisationId, input, clock = systemClock }: { actor: Actor; organisationId: string; input: TrainingRuleInput; clock?: Clock }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  await assertCourse(input.courseId);
  await assertDepartment(organisationId, input.departmentId);
  const now = clock.now();
  const rule = await db.$transaction(async (tx) => {
    const created = await tx.trainingRule.create({ data: { organisationId, courseId: input.courseId, departmentId: input.departmentId ?? null, profession: input.profession ?? null, dueWithinDays: input.dueWithinDays, recurEveryMonths: input.recurEveryMonths ?? null, createdById: actor.id, createdAt: now } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "rule.create", subjectType: "TrainingRule", subjectId: created.id, data: input, at: now });
    return created;
  });
  const applied = await applyTrainingRules({ organisationId, clock });
  return { id: rule.id, ...applied };
}

export async function archiveTrainingRule({ actor, organisationId, ruleId, clock = systemClock }: { actor: Actor; organisationId: string; ruleId: string; clock?: Clock }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const archived = await tx.trainingRule.updateMany({ where: { id: ruleId, organisationId, archivedAt: null }, data: { archivedAt: now } });
    if (archived.count !== 1) throw new DomainError("NOT_FOUND", "errors.notFound");
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "rule.archive", subjectType: "TrainingRule", subjectId: ruleId, at: now });
  });
}

/** What an organisation may assign: published courses that are platform-wide or its own. */
function assignableCourses(organisationId: string) {
  return courseTitles(Prisma.sql`(c."ownerOrganisationId" IS NULL OR c."ownerOrganisationId" = ${organisationId}) AND EXISTS (SELECT 1 FROM "CourseVersion" v WHERE v."courseId" = c.id AND v."publishedAt" IS NOT NULL)`);
}

export async function listTrainingRules({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  const [organisation, rules, courses, assigned] = await Promise.all([
    organisationWithDepartments(organisationId),
    db.trainingRule.findMany({ where: { organisationId, archivedAt: null }, orderBy: { createdAt: "asc" } }),
    assignableCourses(organisationId),
    db.enrolment.groupBy({ by: ["ruleId"], where: { organisationId, ruleId: { not: null } }, _count: { _all: true } }),
  ]);
  const counts = new Map(assigned.map((a) => [a.ruleId, a._count._all]));
  return {
    organisation,
    courses: courses.map((c) => ({ id: c.id, title: c.title })),
    rules: rules.map((r) => ({ ...r, assigned: counts.get(r.id) ?? 0 })),
  };
}

type Candidate = { userId: string; memberSince: Date; enrolmentId: string | null; cycle: number | null; completedAt: Date | null; dueAt: Date | null; source: string | null; certificateId: string | null; expiresOn: string | null };

/**
 * Assigns what the organisation's rules require and nobody has yet: the course (due N days after
 * joining or after the rule was made, whichever is later) and, for people who completed it, the
 * next round when their certificate nears its expiry (or M months after completion). With `userId`
 * only that person is looked at (someone joined or changed department).
 */
export async function applyTrainingRules({ organisationId, userId, clock = systemClock }: { organisationId: string; userId?: string; clock?: Clock }) {
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { timeZone: true } });
  const rules = await db.trainingRule.findMany({ where: { organisationId, archivedAt: null }, orderBy: { createdAt: "asc" } });
  const now = clock.now();
  const today = localDate(now, organisation.timeZone);
  let assigned = 0;
  let renewals = 0;
  for (const rule of rules) {
    const version = await db.courseVersion.findFirst({ where: { courseId: rule.courseId, publishedAt: { not: null } }, orderBy: { number: "desc" }, select: { id: true } });
    if (!version) continue;
    const candidates = await db.$queryRaw<Candidate[]>`
      SELECT m."userId", m."createdAt" AS "memberSince", e.id AS "enrolmentId", e.cycle, e."completedAt", e."dueAt", e.source::text AS source, c.id AS "certificateId", c."expiresOn"
      FROM "Membership" m JOIN "User" u ON u.id = m."userId"
        LEFT JOIN LATERAL (SELECT * FROM "Enrolment" en WHERE en."userId" = m."userId" AND en."courseId" = ${rule.courseId} ORDER BY en.cycle DESC LIMIT 1) e ON true
        LEFT JOIN LATERAL (SELECT ce.id, ce."expiresOn" FROM "Certificate" ce WHERE ce."enrolmentId" = e.id AND ce."revokedAt" IS NULL AND ce."supersededAt" IS NULL) c ON true
      WHERE m."organisationId" = ${organisationId} AND m."endedAt" IS NULL AND u."deletedAt" IS NULL
        ${rule.departmentId ? Prisma.sql`AND m."departmentId" = ${rule.departmentId}` : Prisma.empty}
        ${rule.profession ? Prisma.sql`AND u.profession = ${rule.profession}::"Profession"` : Prisma.empty}
        ${userId ? Prisma.sql`AND m."userId" = ${userId}` : Prisma.empty}`;
    const create: Prisma.EnrolmentCreateManyInput[] = [];
    const setDue: Array<{ id: string; dueAt: Date }> = [];
    for (const person of candidates) {
      if (!person.enrolmentId) {
        const start = localDate(person.memberSince > rule.createdAt ? person.memberSince : rule.createdAt, organisation.timeZone);
        create.push({ userId: person.userId, courseId: rule.courseId, cycle: 1, kind: "INITIAL", courseVersionId: version.id, organisationId, source: "RULE", ruleId: rule.id, dueAt: endOfLocalDay(addDays(start, rule.dueWithinDays), organisation.timeZone), createdAt: now });
        continue;
      }
      if (!person.completedAt) {
        // Already taking it of their own accord: the rule gives it a due date.
        if (!person.dueAt) {
          const start = localDate(rule.createdAt > person.memberSince ? rule.createdAt : person.memberSince, organisation.timeZone);
          setDue.push({ id: person.enrolmentId, dueAt: endOfLocalDay(addDays(start, rule.dueWithinDays), organisation.timeZone) });
        }
        continue;
      }
      // Completed: the next round falls due when the certificate expires (valid until the day
      // before) or M months after completion, and is assigned when renewal opens.
      const dueOn = rule.recurEveryMonths ? addMonthsClamped(localDate(person.completedAt, organisation.timeZone), rule.recurEveryMonths) : person.expiresOn ? addDays(person.expiresOn, -1) : null;
      if (!dueOn || addDays(dueOn, -RENEWAL_ASSIGN_DAYS_BEFORE) > today) continue;
      create.push({
        userId: person.userId,
        courseId: rule.courseId,
        cycle: (person.cycle ?? 0) + 1,
        kind: person.certificateId ? "RENEWAL" : "INITIAL",
        renewsCertificateId: person.certificateId,
        courseVersionId: version.id,
        organisationId,
        source: "RULE",
        ruleId: rule.id,
        dueAt: endOfLocalDay(dueOn, organisation.timeZone),
        createdAt: now,
      });
      renewals++;
    }
    // Two processes applying at once: the unique (user, course, cycle) key keeps one of each.
    const result = await db.enrolment.createMany({ data: create, skipDuplicates: true });
    assigned += result.count;
    // One statement for everyone; an enrolment given a due date meanwhile keeps it.
    if (setDue.length) {
      await db.$executeRaw`
        UPDATE "Enrolment" e SET "dueAt" = due.at::timestamptz AT TIME ZONE 'UTC', "ruleId" = ${rule.id}
        FROM unnest(${setDue.map((d) => d.id)}::text[], ${setDue.map((d) => d.dueAt.toISOString())}::text[]) AS due(id, at)
        WHERE e.id = due.id AND e."dueAt" IS NULL`;
    }
  }
  return { assigned, renewals };
}

/** The daily job: every organisation that has rules. */
export async function applyAllTrainingRules({ clock = systemClock }: { clock?: Clock }) {
  const organisations = await db.trainingRule.findMany({ where: { archivedAt: null }, distinct: ["organisationId"], select: { organisationId: true } });
  const total = { assigned: 0, renewals: 0 };
  for (const { organisationId } of organisations) {
    const result = await applyTrainingRules({ organisationId, clock });
    total.assigned += result.assigned;
    total.renewals += result.renewals;
  }
  return total;
}

const AssignSchema = z.object({ courseId: z.string().min(1, "rules.chooseCourse"), departmentId: z.string().max(40).optional(), dueOn: z.iso.date({ error: "rules.dueDate" }) });

/**
 * What the assignment form offers an organiser: the courses and the departments they may assign to
 * (a department organiser's own). Rules themselves are the whole organisation's (listTrainingRules).
 */
export async function getAssignmentOptions({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const [organisation, courses] = await Promise.all([
    organisationWithDepartments(organisationId),
    assignableCourses(organisationId),
  ]);
  const departments = departmentsInScope(scope, organisation.departments);
  return { organisation: { ...organisation, departments }, courses: courses.map((c) => ({ id: c.id, title: c.title })), scopeDepartments: scope.departmentIds ? departments : null };
}

/**
 * An organiser assigns a course to a department (or everyone they see: a department organiser's
 * departments) by a date; people already on it keep theirs.
 */
export async function assignCourse({ actor, organisationId, input, clock = systemClock }: { actor: Actor; organisationId: string; input: z.infer<typeof AssignSchema>; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const parsed = AssignSchema.safeParse(input);
  if (!parsed.success) throw new DomainError("INVALID", parsed.error.issues[0].message, String(parsed.error.issues[0].path[0]));
  await assertCourse(parsed.data.courseId);
  await assertDepartment(organisationId, parsed.data.departmentId);
  if (parsed.data.departmentId && !departmentInScope(scope, parsed.data.departmentId)) throw new DomainError("INVALID", "org.unknownDepartment", "departmentId");
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { timeZone: true } });
  const now = clock.now();
  if (parsed.data.dueOn < localDate(now, organisation.timeZone)) throw new DomainError("INVALID", "rules.dueDate", "dueOn");
  const version = await db.courseVersion.findFirstOrThrow({ where: { courseId: parsed.data.courseId, publishedAt: { not: null } }, orderBy: { number: "desc" }, select: { id: true } });
  const members = await db.membership.findMany({ where: { organisationId, endedAt: null, user: { deletedAt: null }, ...scopeMembershipWhere(scope), ...(parsed.data.departmentId ? { departmentId: parsed.data.departmentId } : {}) }, select: { userId: true } });
  const taking = new Set((await db.enrolment.findMany({ where: { courseId: parsed.data.courseId, userId: { in: members.map((m) => m.userId) } }, select: { userId: true } })).map((e) => e.userId));
  const dueAt = endOfLocalDay(parsed.data.dueOn, organisation.timeZone);
  const result = await db.$transaction(async (tx) => {
    const created = await tx.enrolment.createMany({
      data: members.filter((m) => !taking.has(m.userId)).map((m) => ({ userId: m.userId, courseId: parsed.data.courseId, cycle: 1, courseVersionId: version.id, organisationId, source: "ASSIGNED" as const, assignedById: actor.id, dueAt, createdAt: now })),
      skipDuplicates: true,
    });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "course.assign", subjectType: "Course", subjectId: parsed.data.courseId, data: { ...parsed.data, assigned: created.count }, at: now });
    return created;
  });
  return { assigned: result.count };
}

/** An open assignment of a current member of the organisation the organiser sees (of `userId`, when the page is that person's). */
async function assignmentOf(actor: Actor, organisationId: string, enrolmentId: string, userId?: string) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const enrolment = await db.enrolment.findFirst({
    where: { id: enrolmentId, organisationId, ...(userId ? { userId } : {}), user: { memberships: { some: { organisationId, endedAt: null } } }, AND: [{ user: scopeUserWhere(scope, organisationId) }] },
    select: { id: true, userId: true, dueAt: true, completedAt: true, exemptedAt: true },
  });
  if (!enrolment) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (enrolment.completedAt) throw new DomainError("CONFLICT", "rules.alreadyCompleted");
  if (enrolment.exemptedAt) throw new DomainError("CONFLICT", "rules.alreadyExempt");
  return enrolment;
}

function reasonOf(reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < 5 || trimmed.length > 500) throw new DomainError("INVALID", "rules.reasonRequired", "reason");
  return trimmed;
}

/** A later due date for one person's assignment, with the reason; earlier extensions stay listed. */
export async function extendDueDate({ actor, organisationId, enrolmentId, userId, dueOn, reason, clock = systemClock }: { actor: Actor; organisationId: string; enrolmentId: string; userId?: string; dueOn: string; reason: string; clock?: Clock }) {
  const enrolment = await assignmentOf(actor, organisationId, enrolmentId, userId);
  const why = reasonOf(reason);
  if (!isCalendarDay(dueOn)) throw new DomainError("INVALID", "rules.dueDate", "dueOn");
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { timeZone: true } });
  const dueAt = endOfLocalDay(dueOn, organisation.timeZone);
  if (enrolment.dueAt && dueAt <= enrolment.dueAt) throw new DomainError("INVALID", "rules.laterDate", "dueOn");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    await tx.enrolment.update({ where: { id: enrolment.id }, data: { dueAt } });
    await tx.dueDateExtension.create({ data: { enrolmentId: enrolment.id, previousDueAt: enrolment.dueAt, dueAt, reason: why, createdById: actor.id, createdAt: now } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "assignment.extend", subjectType: "Enrolment", subjectId: enrolment.id, subjectUserId: enrolment.userId, data: { dueOn, reason: why }, at: now });
  });
}

/** Exempts one person from an assignment (e.g. trained elsewhere), with the reason; never overdue after that. */
export async function exemptFromAssignment({ actor, organisationId, enrolmentId, userId, reason, clock = systemClock }: { actor: Actor; organisationId: string; enrolmentId: string; userId?: string; reason: string; clock?: Clock }) {
  const enrolment = await assignmentOf(actor, organisationId, enrolmentId, userId);
  const why = reasonOf(reason);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    await tx.enrolment.update({ where: { id: enrolment.id }, data: { exemptedAt: now, exemptionReason: why } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "assignment.exempt", subjectType: "Enrolment", subjectId: enrolment.id, subjectUserId: enrolment.userId, data: { reason: why }, at: now });
  });
}
