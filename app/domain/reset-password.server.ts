import { emails } from "~/email/templates.ts";
import { sendEmail } from "~/email/mailer.server.ts";
import { isLocale } from "~/i18n/index.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { hashPassword, verifyPassword } from "~/utils/password.server.ts";
import { beginAttempt } from "~/utils/throttle.server.ts";
import { hashSecret, newSecret } from "~/utils/tokens.server.ts";

const RESET_MINUTES = 60;
const RESET_LIMITS = [{ scope: "account", max: 5, windowMs: 60 * 60_000 }];

/** Emails a reset link if the account exists; answers alike either way. At most 5 links an hour per account. */
export async function requestPasswordReset({ email: rawEmail, clock = systemClock }: { email: string; clock?: Clock }) {
  const email = normaliseEmail(rawEmail);
  const keys = { account: `reset:${email}` };
  // Every request counts, found or not, so the answer says nothing about whether the account exists.
  if (!(await beginAttempt(keys, RESET_LIMITS, clock))) return;
  const user = await db.user.findUnique({ where: { email }, select: { id: true, name: true, locale: true } });
  if (!user) return;
  const token = newSecret();
  await db.token.create({
    data: { kind: "RESET_PASSWORD", tokenHash: token.hash, userId: user.id, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + RESET_MINUTES * 60_000) },
  });
  await sendEmail(
    { to: email, userId: user.id, kind: "reset-password", ...emails.resetPassword(isLocale(user.locale) ? user.locale : "sl", { name: user.name, url: publicUrl(`/reset-password?token=${token.secret}`) }) },
    clock,
  );
}

async function setPassword(userId: string, password: string, clock: Clock, extra: (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<unknown>) {
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    await extra(tx);
    // A new password ends every session: whoever knew the old one is signed out.
    await tx.session.deleteMany({ where: { userId } });
    await tx.token.updateMany({ where: { userId, kind: "RESET_PASSWORD", usedAt: null }, data: { usedAt: clock.now() } });
    return tx.user.update({ where: { id: userId }, data: { passwordHash }, select: { email: true, name: true, locale: true } });
  });
  await sendEmail({ to: user.email, userId, kind: "password-changed", ...emails.passwordChanged(isLocale(user.locale) ? user.locale : "sl", { name: user.name }) }, clock);
}

/** Sets a new password from a reset link. Following the link also proves the email, so it verifies it. */
export async function resetPassword({ token, password, clock = systemClock }: { token: string; password: string; clock?: Clock }) {
  const record = await db.token.findUnique({ where: { tokenHash: hashSecret(token) }, select: { id: true, kind: true, userId: true, expiresAt: true, usedAt: true } });
  if (record?.kind !== "RESET_PASSWORD" || record.usedAt || record.expiresAt <= clock.now()) {
    throw new DomainError("INVALID", "reset.invalidLink");
  }
  await setPassword(record.userId, password, clock, async (tx) => {
    const used = await tx.token.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: clock.now() } });
    if (used.count !== 1) throw new DomainError("INVALID", "reset.invalidLink");
    await tx.user.updateMany({ where: { id: record.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: clock.now() } });
  });
  return { userId: record.userId };
}

/** Changes the password of a signed-in user who knows the current one. */
export async function changePassword({ userId, currentPassword, password, clock = systemClock }: { userId: string; currentPassword: string; password: string; clock?: Clock }) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new DomainError("INVALID", "settings.wrongPassword", "currentPassword");
  }
  await setPassword(userId, password, clock, async () => {});
}
