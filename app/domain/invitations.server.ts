import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { isLocale, type Locale } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { hashPassword } from "~/utils/password.server.ts";
import type { ProfessionValue, Role } from "~/utils/roles.ts";
import { hashSecret, newSecret } from "~/utils/tokens.server.ts";
import { recordAudit } from "./audit.server.ts";
import { type OrganiserScope } from "./organiser-scope.server.ts";
import { assertCanManageOrganisation, assertDepartmentInOrganisation } from "./organisations.server.ts";

const INVITATION_DAYS = 14;

/**
 * An organiser (or admin) invites a person by email into their organisation. Someone who already
 * has an account gets a membership straight away (and an email saying so); nobody gets a second account.
 */
export async function inviteMember({ actor, organisationId, email: rawEmail, name, roles, departmentId, locale, clock = systemClock }: { actor: Actor; organisationId: string; email: string; name?: string; roles: Role[]; departmentId?: string; locale: Locale; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const email = normaliseEmail(rawEmail);
  const department = await assertDepartmentInOrganisation(departmentId, organisationId);
  assertMayInvite(scope, department, roles);
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } });
  const inviter = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } });
  return sendInvitationOrAddMember({ actor, organisationId, organisationName: organisation.name, inviterName: inviter.name, email, name, roles, department, locale, clock });
}

/**
 * A department organiser invites learners into their own departments only: a person without a
 * department, or with a role of their own to give, is the whole organisation's organisers' to add.
 */
export function assertMayInvite(scope: OrganiserScope, departmentId: string | null, roles: readonly string[]) {
  if (!scope.departmentIds) return;
  if (!departmentId || !scope.departmentIds.includes(departmentId)) throw new DomainError("INVALID", "org.inviteIntoYourDepartments", "departmentId");
  if (roles.some((role) => role !== "LEARNER")) throw new DomainError("INVALID", "org.inviteLearnersOnly", "roles");
}

/**
 * Invites one person, or adds their existing account, and emails them: the one path that single
 * invitations and the CSV import (invitation-import.server.ts) share. The caller has checked that the
 * actor may manage the organisation and that the department is one of its own; `email` is normalised.
 */
export async function sendInvitationOrAddMember({ actor, organisationId, organisationName, inviterName, email, name, profession, licenceNumber, roles, department, locale, clock }: { actor: Actor; organisationId: string; organisationName: string; inviterName: string; email: string; name?: string; profession?: ProfessionValue | null; licenceNumber?: string | null; roles: Role[]; department: string | null; locale: Locale; clock: Clock }) {
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, locale: true } });
  if (existing) {
    const already = await db.membership.findUnique({ where: { userId_organisationId: { userId: existing.id, organisationId } }, select: { id: true, endedAt: true } });
    if (already && !already.endedAt) throw new DomainError("CONFLICT", "org.alreadyMember", "email");
    await db.$transaction(async (tx) => {
      // A former member rejoins with the roles and department given now.
      await tx.membership.upsert({
        where: { userId_organisationId: { userId: existing.id, organisationId } },
        create: { userId: existing.id, organisationId, departmentId: department, roles, createdAt: clock.now() },
        update: { departmentId: department, roles, endedAt: null },
      });
      await recordAudit(tx, { actorId: actor.id, organisationId, action: "membership.create", subjectType: "User", subjectId: existing.id, data: { roles }, at: clock.now() });
    });
    const recipientLocale = isLocale(existing.locale) ? existing.locale : locale;
    await sendEmail({ to: email, userId: existing.id, kind: "membership-added", ...emails.invitation(recipientLocale, { organisation: organisationName, inviter: inviterName, url: publicUrl("/") }) }, clock);
    await applyRulesFor(organisationId, existing.id, clock);
    return { addedExistingUser: true };
  }
  const token = newSecret();
  await db.$transaction(async (tx) => {
    const invitation = await tx.invitation.create({
      data: { organisationId, departmentId: department, email, name: name || null, profession: profession ?? null, licenceNumber: licenceNumber || null, roles, tokenHash: token.hash, invitedById: actor.id, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + INVITATION_DAYS * 864e5) },
      select: { id: true },
    });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "invitation.create", subjectType: "Invitation", subjectId: invitation.id, data: { email, roles }, at: clock.now() });
  });
  await sendEmail({ to: email, kind: "invitation", ...emails.invitation(locale, { organisation: organisationName, inviter: inviterName, url: publicUrl(`/invite/${token.secret}`) }) }, clock);
  return { addedExistingUser: false };
}

export async function findInvitation(token: string, clock: Clock = systemClock) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: { id: true, email: true, name: true, profession: true, licenceNumber: true, roles: true, departmentId: true, organisationId: true, expiresAt: true, acceptedAt: true, organisation: { select: { name: true } } },
  });
  if (!invitation || invitation.acceptedAt || invitation.expiresAt <= clock.now()) return null;
  const account = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  return { ...invitation, hasAccount: Boolean(account) };
}

/**
 * Accepts an invitation. A new person sets name, profession and password (the link proves the
 * email). Someone with an account must be signed in as that email.
 */
export async function acceptInvitation({ token, signedInUserId, name, profession, password, locale, clock = systemClock }: { token: string; signedInUserId: string | null; name?: string; profession?: ProfessionValue; password?: string; locale: Locale; clock?: Clock }) {
  const invitation = await findInvitation(token, clock);
  if (!invitation) throw new DomainError("INVALID", "invite.invalidLink");
  let userId: string;
  if (invitation.hasAccount) {
    const account = await db.user.findUniqueOrThrow({ where: { email: invitation.email }, select: { id: true } });
    if (signedInUserId !== account.id) throw new DomainError("FORBIDDEN", "invite.signInFirst");
    userId = account.id;
  } else {
    if (!name) throw new DomainError("INVALID", "validation.required", "name");
    // A CSV import may have given the profession already.
    profession ??= invitation.profession ?? undefined;
    if (!profession) throw new DomainError("INVALID", "validation.choose", "profession");
    if (!password) throw new DomainError("INVALID", "validation.passwordLength", "password");
    const passwordHash = await hashPassword(password);
    const user = await db.user.create({
      data: { email: invitation.email, name, profession, licenceNumber: invitation.licenceNumber, locale, passwordHash, emailVerifiedAt: clock.now(), createdAt: clock.now() },
      select: { id: true },
    });
    userId = user.id;
  }
  await db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null }, data: { acceptedAt: clock.now() } });
    if (claimed.count !== 1) throw new DomainError("INVALID", "invite.invalidLink");
    await tx.membership.upsert({
      where: { userId_organisationId: { userId, organisationId: invitation.organisationId } },
      create: { userId, organisationId: invitation.organisationId, departmentId: invitation.departmentId, roles: invitation.roles, createdAt: clock.now() },
      // Someone who left and is invited again rejoins.
      update: { endedAt: null },
    });
    await recordAudit(tx, { actorId: userId, organisationId: invitation.organisationId, action: "invitation.accept", subjectType: "Invitation", subjectId: invitation.id, subjectUserId: userId, at: clock.now() });
  });
  await applyRulesFor(invitation.organisationId, userId, clock);
  return { userId, created: !invitation.hasAccount };
}

/** Someone joined: the organisation's mandatory training applies to them from today. */
async function applyRulesFor(organisationId: string, userId: string, clock: Clock) {
  const { applyTrainingRules } = await import("~/organisers/training-rules.server.ts");
  await applyTrainingRules({ organisationId, userId, clock });
}
