import { data } from "react-router";
import { db } from "./db.server.ts";
import type { Role } from "./roles.ts";
import { getSessionUser, redirectToLogin, type SessionUser } from "./session.server.ts";

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw redirectToLogin(request);
  return user;
}

export async function requireAdmin(request: Request) {
  const user = await requireUser(request);
  if (!user.isAdmin) throw data({ message: "errors.forbidden" }, { status: 403 });
  return user;
}

/**
 * The user's membership in an organisation with one of `roles`; admins pass as any role.
 * An organisation the user has no part in answers 404, so ids of other organisations reveal nothing.
 */
export async function requireOrganisationRole(request: Request, organisationId: string, roles: Role[]) {
  const user = await requireUser(request);
  const found = await db.membership.findUnique({
    where: { userId_organisationId: { userId: user.id, organisationId } },
    select: { roles: true, departmentId: true, endedAt: true },
  });
  // Someone who left the organisation is treated as never having been part of it.
  const membership = found && !found.endedAt ? found : null;
  if (user.isAdmin) {
    const exists = await db.organisation.count({ where: { id: organisationId } });
    if (!exists) throw data({ message: "errors.notFound" }, { status: 404 });
    return { user, membership };
  }
  if (!membership) throw data({ message: "errors.notFound" }, { status: 404 });
  if (!roles.some((role) => membership.roles.includes(role))) throw data({ message: "errors.forbidden" }, { status: 403 });
  return { user, membership };
}

/** The acting user as domain functions see them. */
export type Actor = { id: string; isAdmin: boolean };
