import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { recordAudit } from "./audit.server.ts";
import { recordRecordAccess } from "~/privacy/record-access.server.ts";
import { assertPersonInScope, assertWholeOrganisation, departmentsInScope, isWholeOrganisation, type OrganiserScope, scopeMembershipWhere, scopeOfMembership, WHOLE_ORGANISATION } from "./organiser-scope.server.ts";

/**
 * Ensures the actor is a platform admin or an organiser of this organisation, and returns whose
 * people they may see (ADR 0014): the whole organisation, or the departments their organiser role
 * is limited to. Every use case that reads or acts on people narrows by the scope it returns.
 */
export async function assertCanManageOrganisation(actor: Actor, organisationId: string): Promise<OrganiserScope> {
  if (actor.isAdmin) {
    if (!(await db.organisation.count({ where: { id: organisationId } }))) throw new DomainError("NOT_FOUND", "errors.notFound");
    return WHOLE_ORGANISATION;
  }
  const membership = await db.membership.findUnique({ where: { userId_organisationId: { userId: actor.id, organisationId } }, select: { roles: true, endedAt: true, organiserDepartmentIds: true } });
  if (!membership || membership.endedAt) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (!membership.roles.includes("ORGANISER")) throw new DomainError("FORBIDDEN", "errors.forbidden");
  return scopeOfMembership(membership);
}

/** Organisation-wide settings: admins and organisers of the whole organisation only (a department organiser is refused). */
export async function assertCanManageWholeOrganisation(actor: Actor, organisationId: string) {
  assertWholeOrganisation(await assertCanManageOrganisation(actor, organisationId));
}

/** The departments an organiser sees, by name, for the line on their pages; null for the whole organisation. */
export async function getOrganiserScope({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  if (!scope.departmentIds) return { departments: null };
  const departments = await db.department.findMany({ where: { organisationId, id: { in: scope.departmentIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  return { departments };
}

/**
 * Whether the actor may act for an organisation on what it issued (a certificate's PDF, credential
 * or revocation): an admin, or a current organiser of it whose scope holds the holder (a department
 * organiser acts only for their departments' people). Nothing may be done for no organisation.
 */
export async function actsForOrganisation(actor: Actor, organisationId: string | null, holderUserId: string) {
  if (actor.isAdmin) return true;
  if (!organisationId) return false;
  const membership = await db.membership.findFirst({ where: { userId: actor.id, organisationId, endedAt: null, roles: { has: "ORGANISER" } }, select: { organiserDepartmentIds: true } });
  if (!membership) return false;
  const scope = scopeOfMembership(membership);
  return isWholeOrganisation(scope) || (await db.membership.count({ where: { userId: holderUserId, organisationId, ...scopeMembershipWhere(scope) } })) > 0;
}

function slugify(name: string) {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "organisation"
  );
}

/** Admin only: a new organisation with its departments. */
export async function createOrganisation({ actor, name, timeZone, departments, clock = systemClock }: { actor: Actor; name: string; timeZone: string; departments: string[]; clock?: Clock }) {
  if (!actor.isAdmin) throw new DomainError("FORBIDDEN", "errors.forbidden");
  const base = slugify(name);
  const taken = await db.organisation.count({ where: { slug: { startsWith: base } } });
  const slug = taken ? `${base}-${taken + 1}` : base;
  const unique = [...new Set(departments.map((d) => d.trim()).filter(Boolean))];
  return db.$transaction(async (tx) => {
    const organisation = await tx.organisation.create({
      data: { name, slug, timeZone, createdAt: clock.now(), departments: { create: unique.map((department) => ({ name: department })) } },
      select: { id: true },
    });
    await recordAudit(tx, { actorId: actor.id, organisationId: organisation.id, action: "organisation.create", subjectType: "Organisation", subjectId: organisation.id, data: { name }, at: clock.now() });
    return organisation;
  });
}

export async function addDepartment({ actor, organisationId, name, clock = systemClock }: { actor: Actor; organisationId: string; name: string; clock?: Clock }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  const exists = await db.department.count({ where: { organisationId, name } });
  if (exists) throw new DomainError("CONFLICT", "org.departmentExists", "name");
  return db.$transaction(async (tx) => {
    const department = await tx.department.create({ data: { organisationId, name }, select: { id: true } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "department.create", subjectType: "Department", subjectId: department.id, data: { name }, at: clock.now() });
    return department;
  });
}

/** A department id from a form must belong to the organisation it is used in. */
export async function assertDepartmentInOrganisation(departmentId: string | undefined | null, organisationId: string) {
  if (!departmentId) return null;
  const department = await db.department.findFirst({ where: { id: departmentId, organisationId }, select: { id: true } });
  if (!department) throw new DomainError("INVALID", "org.unknownDepartment", "departmentId");
  return department.id;
}

/**
 * An organiser changes a member's roles, department, extra quiz time (an accessibility adjustment:
 * 1.5 gives half as much time again on timed quizzes) and, for an organiser, which departments they
 * see (`organiserDepartmentIds`: none is the whole organisation; left out, unchanged). Roles and
 * scopes are the whole organisation's business: a department organiser may change neither, their
 * own included. Their own organisation only.
 */
export async function updateMembership({ actor, organisationId, userId, roles, departmentId, quizTimeFactor, organiserDepartmentIds, clock = systemClock }: { actor: Actor; organisationId: string; userId: string; roles: string[]; departmentId?: string; quizTimeFactor?: number; organiserDepartmentIds?: string[]; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  // A department organiser learns nothing of people outside their departments, not even that the refusal is about them.
  await assertPersonInScope(scope, organisationId, userId);
  assertWholeOrganisation(scope);
  const department = await assertDepartmentInOrganisation(departmentId, organisationId);
  const membership = await db.membership.findUnique({ where: { userId_organisationId: { userId, organisationId } }, select: { id: true, roles: true, quizTimeFactor: true, endedAt: true, organiserDepartmentIds: true } });
  if (!membership || membership.endedAt) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (userId === actor.id && membership.roles.includes("ORGANISER") && !roles.includes("ORGANISER") && !actor.isAdmin) {
    throw new DomainError("INVALID", "org.cannotDemoteSelf", "roles");
  }
  let limit = organiserDepartmentIds === undefined ? membership.organiserDepartmentIds : [...new Set(organiserDepartmentIds)];
  if (limit.length) {
    const known = await db.department.count({ where: { organisationId, id: { in: limit } } });
    if (known !== limit.length) throw new DomainError("INVALID", "org.unknownDepartment", "organiserDepartmentIds");
  }
  // Someone who is no longer an organiser keeps no limit to come back with.
  if (!roles.includes("ORGANISER")) limit = [];
  if (userId === actor.id && !actor.isAdmin && limit.length) throw new DomainError("INVALID", "org.cannotLimitSelf", "organiserDepartmentIds");
  await db.$transaction(async (tx) => {
    const factor = quizTimeFactor ?? membership.quizTimeFactor;
    await tx.membership.update({ where: { id: membership.id }, data: { roles, departmentId: department, quizTimeFactor: factor, organiserDepartmentIds: limit } });
    await recordAudit(tx, {
      actorId: actor.id,
      organisationId,
      action: "membership.update",
      subjectType: "User",
      subjectId: userId,
      data: { before: membership.roles, roles, departmentId: department, quizTimeFactor: factor, ...(sameSet(limit, membership.organiserDepartmentIds) ? {} : { organiserDepartmentsBefore: membership.organiserDepartmentIds, organiserDepartments: limit }) },
      at: clock.now(),
    });
  });
  // A move to another department may bring that department's mandatory training.
  const { applyTrainingRules } = await import("~/organisers/training-rules.server.ts");
  await applyTrainingRules({ organisationId, userId, clock });
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((id) => b.includes(id));
}

export async function getOrganisationOverview({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const [organisation, members, invitations] = await Promise.all([
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { id: true, name: true, timeZone: true, departments: { select: { id: true, name: true }, orderBy: { name: "asc" } } } }),
    db.membership.findMany({
      where: { organisationId, endedAt: null, ...scopeMembershipWhere(scope) },
      select: { roles: true, organiserDepartmentIds: true, department: { select: { id: true, name: true } }, user: { select: { id: true, name: true, email: true, profession: true } } },
      orderBy: { user: { name: "asc" } },
      take: 500,
    }),
    db.invitation.findMany({ where: { organisationId, acceptedAt: null, ...(scope.departmentIds ? { departmentId: { in: scope.departmentIds } } : {}) }, select: { id: true, email: true, roles: true, expiresAt: true }, orderBy: { createdAt: "desc" }, take: 100 }),
  ]);
  const whole = isWholeOrganisation(scope);
  const departmentNames = new Map(organisation.departments.map((d) => [d.id, d.name]));
  return {
    organisation: { ...organisation, departments: departmentsInScope(scope, organisation.departments) },
    members: members.map(({ organiserDepartmentIds, ...member }) => ({ ...member, organiserDepartments: organiserDepartmentIds.map((id) => departmentNames.get(id) ?? "").filter(Boolean) })),
    invitations,
    /** the departments this organiser sees (null: all), and whether organisation-wide settings are theirs */
    scopeDepartments: whole ? null : departmentsInScope(scope, organisation.departments),
    wholeOrganisation: whole,
  };
}

/** A member's page. Opening someone else's is logged for them to see ("Who has seen my record"), at most hourly. */
export async function getMember({ actor, organisationId, userId, clock = systemClock }: { actor: Actor; organisationId: string; userId: string; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  // Someone outside a department organiser's departments is "not found", like a person of another organisation.
  await assertPersonInScope(scope, organisationId, userId);
  const membership = await db.membership.findUnique({
    where: { userId_organisationId: { userId, organisationId } },
    select: { roles: true, departmentId: true, quizTimeFactor: true, endedAt: true, organiserDepartmentIds: true, user: { select: { id: true, name: true, email: true, profession: true, licenceNumber: true } } },
  });
  if (!membership) throw new DomainError("NOT_FOUND", "errors.notFound");
  const [departments, certificates] = await Promise.all([
    db.department.findMany({ where: { organisationId }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    // Only what this organisation issued: a certificate from another hospital is not theirs to see.
    db.certificate.findMany({ where: { userId, organisationId }, orderBy: { issuedAt: "desc" }, select: { code: true, courseTitle: true, issuedAt: true, expiresOn: true, revokedAt: true, revocationReason: true, supersededAt: true, timeZone: true } }),
    recordRecordAccess({ actor, subjectUserId: userId, organisationId, action: "person.view", subjectType: "User", subjectId: userId, clock }),
  ]);
  const whole = isWholeOrganisation(scope);
  return { membership, departments: whole ? departments : departmentsInScope(scope, departments), certificates, scopeDepartments: whole ? null : departmentsInScope(scope, departments), wholeOrganisation: whole };
}
