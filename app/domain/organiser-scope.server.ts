import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";

// Which of an organisation's people an organiser may see and act on (ADR 0014): the whole
// organisation (admins, and organisers without a limit) or the people of some departments (a
// ward's training coordinator). Every query of people and their training narrows by it through the
// functions below, so no page, export or email counts a person the organiser may not see.

/** `departmentIds: null` is the whole organisation; otherwise only members of these departments. */
export type OrganiserScope = { departmentIds: string[] | null };

export const WHOLE_ORGANISATION: OrganiserScope = { departmentIds: null };

/** The scope a membership gives: its department limit, or the whole organisation when it has none. */
export function scopeOfMembership(membership: { organiserDepartmentIds: string[] }): OrganiserScope {
  return membership.organiserDepartmentIds.length ? { departmentIds: [...membership.organiserDepartmentIds] } : WHOLE_ORGANISATION;
}

export function isWholeOrganisation(scope: OrganiserScope): scope is { departmentIds: null } {
  return scope.departmentIds === null;
}

/** Organisation-wide settings (rules, departments, referrals, roles, the audit log) are not a department organiser's. */
export function assertWholeOrganisation(scope: OrganiserScope) {
  if (!isWholeOrganisation(scope)) throw new DomainError("FORBIDDEN", "errors.forbidden");
}

/**
 * A SQL condition on a department column (`m."departmentId"`, `ts."departmentId"`), starting with
 * AND: nothing for the whole organisation; for a department organiser, that column is one of theirs
 * (people without a department are nobody's department).
 */
export function scopeSql(scope: OrganiserScope, departmentColumn: Prisma.Sql) {
  return scope.departmentIds ? Prisma.sql`AND ${departmentColumn} = ANY(${scope.departmentIds}::text[])` : Prisma.empty;
}

/** The same condition for a Prisma `where` on Membership. */
export function scopeMembershipWhere(scope: OrganiserScope): Prisma.MembershipWhereInput {
  return scope.departmentIds ? { departmentId: { in: scope.departmentIds } } : {};
}

/** The same condition for a Prisma `where` on anything with a `user`: they are (or were) a member of one of the departments. */
export function scopeUserWhere(scope: OrganiserScope, organisationId: string): Prisma.UserWhereInput {
  return scope.departmentIds ? { memberships: { some: { organisationId, departmentId: { in: scope.departmentIds } } } } : {};
}

/** Whether a department (or none) is within the scope. */
export function departmentInScope(scope: OrganiserScope, departmentId: string | null | undefined) {
  return scope.departmentIds === null || (departmentId != null && scope.departmentIds.includes(departmentId));
}

/** The organisation's departments the scope covers, by name. */
export function departmentsInScope<T extends { id: string }>(scope: OrganiserScope, departments: T[]) {
  return scope.departmentIds === null ? departments : departments.filter((d) => scope.departmentIds!.includes(d.id));
}

/**
 * A person the organiser may see: a member (current or former) of the organisation within the
 * scope. Anyone else is "not found", exactly as a person of another organisation is.
 */
export async function assertPersonInScope(scope: OrganiserScope, organisationId: string, userId: string) {
  const found = await db.membership.count({ where: { userId, organisationId, ...scopeMembershipWhere(scope) } });
  if (!found) throw new DomainError("NOT_FOUND", "errors.notFound");
}
