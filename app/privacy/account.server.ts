import { recordAudit } from "~/domain/audit.server.ts";
import { assertPersonInScope } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { formatCalendarDay, isLocale } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { verifyPassword } from "~/utils/password.server.ts";
import { hashSecret, newSecret } from "~/utils/tokens.server.ts";
import { erasePersonalData } from "./personal-data.server.ts";

// What a person decides about their own account (email, deletion, leaving an organisation), and
// what an admin or organiser may do to it. Each change is audited with the person as subject.

const EMAIL_CHANGE_HOURS = 24;
/** Days between asking to delete an account and its erasure; logging in and cancelling undoes it. */
export const DELETION_GRACE_DAYS = 14;

function localeOf(value: string) {
  return isLocale(value) ? value : "sl";
}

/** "a•••@example.org": enough for the owner to recognise, not enough to read the address. */
export function maskEmail(email: string) {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

async function requirePassword(userId: string, password: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, password))) throw new DomainError("INVALID", "privacy.wrongPassword", "password");
}

/**
 * Starts changing the actor's email: a link goes to the new address, a notice to the current one.
 * The address changes only when the link is followed. An address already in use gets the same
 * answer (so nobody learns who has an account); its owner is told instead.
 */
export async function requestEmailChange({ actor, newEmail: rawEmail, password, clock = systemClock }: { actor: Actor; newEmail: string; password: string; clock?: Clock }) {
  await requirePassword(actor.id, password);
  const newEmail = normaliseEmail(rawEmail);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { email: true, name: true, locale: true } });
  if (newEmail === user.email) throw new DomainError("INVALID", "privacy.sameEmail", "newEmail");
  const locale = localeOf(user.locale);
  const taken = await db.user.findUnique({ where: { email: newEmail }, select: { id: true, name: true, locale: true } });
  if (taken) {
    await sendEmail({ to: newEmail, userId: taken.id, kind: "email-change-taken", ...emails.emailChangeTaken(localeOf(taken.locale), { name: taken.name }) }, clock);
  } else {
    const token = newSecret();
    await db.$transaction(async (tx) => {
      await tx.token.updateMany({ where: { userId: actor.id, kind: "CHANGE_EMAIL", usedAt: null }, data: { usedAt: clock.now() } });
      await tx.token.create({ data: { kind: "CHANGE_EMAIL", tokenHash: token.hash, userId: actor.id, data: { email: newEmail }, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + EMAIL_CHANGE_HOURS * 3600_000) } });
    });
    await sendEmail({ to: newEmail, userId: actor.id, kind: "email-change-confirm", ...emails.emailChangeConfirm(locale, { name: user.name, url: publicUrl(`/settings/email?token=${token.secret}`) }) }, clock);
  }
  await sendEmail({ to: user.email, userId: actor.id, kind: "email-change-requested", ...emails.emailChangeRequested(locale, { name: user.name, masked: maskEmail(newEmail) }) }, clock);
}

/** Follows the link sent to the new address. Works without being signed in (the link is the proof). */
export async function confirmEmailChange({ token, clock = systemClock }: { token: string; clock?: Clock }) {
  const record = await db.token.findUnique({ where: { tokenHash: hashSecret(token) }, select: { id: true, kind: true, userId: true, expiresAt: true, usedAt: true, data: true } });
  if (record?.kind !== "CHANGE_EMAIL" || record.usedAt || record.expiresAt <= clock.now()) throw new DomainError("INVALID", "privacy.emailLinkInvalid");
  const newEmail = (record.data as { email?: string } | null)?.email;
  if (!newEmail) throw new DomainError("INVALID", "privacy.emailLinkInvalid");
  const before = await db.user.findUniqueOrThrow({ where: { id: record.userId }, select: { email: true, name: true, locale: true } });
  try {
    await db.$transaction(async (tx) => {
      const used = await tx.token.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: clock.now() } });
      if (used.count !== 1) throw new DomainError("INVALID", "privacy.emailLinkInvalid");
      await tx.user.update({ where: { id: record.userId }, data: { email: newEmail, emailVerifiedAt: clock.now() } });
      await recordAudit(tx, { actorId: record.userId, action: "account.email-change", subjectType: "User", subjectId: record.userId, data: {}, at: clock.now() });
    });
  } catch (error) {
    // Someone registered the address after the link was sent.
    if ((error as { code?: string }).code === "P2002") throw new DomainError("CONFLICT", "privacy.emailTaken");
    throw error;
  }
  await sendEmail({ to: before.email, userId: record.userId, kind: "email-changed", ...emails.emailChanged(localeOf(before.locale), { name: before.name, masked: maskEmail(newEmail) }) }, clock);
  return { userId: record.userId };
}

/**
 * The actor asks to delete their account. After DELETION_GRACE_DAYS it is erased; until then
 * logging in and cancelling undoes it. Other devices are signed out now.
 */
export async function requestAccountDeletion({ actor, password, currentSessionId, clock = systemClock }: { actor: Actor; password: string; currentSessionId?: string | null; clock?: Clock }) {
  await requirePassword(actor.id, password);
  const now = clock.now();
  const user = await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { userId: actor.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) } });
    await recordAudit(tx, { actorId: actor.id, action: "account.deletion-request", subjectType: "User", subjectId: actor.id, at: now });
    return tx.user.update({ where: { id: actor.id }, data: { deletionRequestedAt: now }, select: { email: true, name: true, locale: true } });
  });
  const erasedOn = deletionDate(now);
  const locale = localeOf(user.locale);
  await sendEmail({ to: user.email, userId: actor.id, kind: "account-deletion", ...emails.deletionScheduled(locale, { name: user.name, date: formatCalendarDay(erasedOn, locale), url: publicUrl("/settings/privacy") }) }, clock);
  return { erasedOn };
}

/** The calendar day (UTC) on or after which a deletion requested at `requestedAt` is carried out. */
export function deletionDate(requestedAt: Date) {
  return new Date(requestedAt.getTime() + DELETION_GRACE_DAYS * 864e5).toISOString().slice(0, 10);
}

export async function cancelAccountDeletion({ actor, clock = systemClock }: { actor: Actor; clock?: Clock }) {
  await db.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: actor.id, deletionRequestedAt: { not: null }, deletedAt: null }, data: { deletionRequestedAt: null } });
    if (updated.count) await recordAudit(tx, { actorId: actor.id, action: "account.deletion-cancel", subjectType: "User", subjectId: actor.id, at: clock.now() });
  });
}

/** An admin erases an account at once (e.g. on a written request to the data protection officer). */
export async function deleteAccountAsAdmin({ actor, userId, clock = systemClock }: { actor: Actor; userId: string; clock?: Clock }) {
  if (!actor.isAdmin) throw new DomainError("FORBIDDEN", "errors.forbidden");
  if (actor.id === userId) throw new DomainError("INVALID", "privacy.adminSelf");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    if (!(await tx.user.count({ where: { id: userId, deletedAt: null } }))) throw new DomainError("NOT_FOUND", "errors.notFound");
    await erasePersonalData(tx, userId, now);
    await recordAudit(tx, { actorId: actor.id, action: "account.delete", subjectType: "User", subjectId: userId, at: now });
  });
}

/** The job's part: erases every account whose grace period has ended. Returns how many. */
export async function eraseDueAccounts({ clock = systemClock }: { clock?: Clock }) {
  const now = clock.now();
  const due = await db.user.findMany({ where: { deletedAt: null, deletionRequestedAt: { lte: new Date(now.getTime() - DELETION_GRACE_DAYS * 864e5) } }, select: { id: true } });
  let erased = 0;
  for (const { id } of due) {
    const done = await db.$transaction(async (tx) => {
      // Re-checked inside the transaction: a cancellation a moment ago wins.
      if (!(await tx.user.count({ where: { id, deletedAt: null, deletionRequestedAt: { not: null } } }))) return false;
      await erasePersonalData(tx, id, now);
      await recordAudit(tx, { actorId: null, action: "account.delete", subjectType: "User", subjectId: id, data: { reason: "requested by the person" }, at: now });
      return true;
    });
    if (done) erased++;
  }
  return { erased };
}

/**
 * Ends a membership, by the person or by an organiser of the organisation. From then on its
 * organisers see nothing new of the person: unfinished enrolments move to the person alone. What was
 * completed and certified while a member stays in the organisation's records (professional
 * training records it must be able to show).
 */
export async function leaveOrganisation({ actor, organisationId, userId = actor.id, clock = systemClock }: { actor: Actor; organisationId: string; userId?: string; clock?: Clock }) {
  if (userId !== actor.id) await assertPersonInScope(await assertCanManageOrganisation(actor, organisationId), organisationId, userId);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const ended = await tx.membership.updateMany({ where: { userId, organisationId, endedAt: null }, data: { endedAt: now } });
    if (ended.count !== 1) throw new DomainError("NOT_FOUND", "errors.notFound");
    const moved = await tx.enrolment.updateMany({ where: { userId, organisationId, completedAt: null }, data: { organisationId: null } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: userId === actor.id ? "membership.leave" : "membership.end", subjectType: "User", subjectId: userId, data: { unfinishedEnrolmentsMoved: moved.count }, at: now });
  });
}

/** What the "Your data" page shows: the address, a pending deletion, and organisations now and before. */
export async function privacyOverview({ actor }: { actor: Actor }) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { email: true, deletionRequestedAt: true, memberships: { select: { organisationId: true, roles: true, createdAt: true, endedAt: true, organisation: { select: { name: true } } }, orderBy: { createdAt: "asc" } } },
  });
  return {
    email: user.email,
    deletionOn: user.deletionRequestedAt ? deletionDate(user.deletionRequestedAt) : null,
    memberships: user.memberships.map((m) => ({ organisationId: m.organisationId, name: m.organisation.name, roles: m.roles, since: m.createdAt, endedAt: m.endedAt })),
  };
}
