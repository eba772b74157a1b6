import { emails } from "~/email/templates.ts";
import { sendEmail } from "~/email/mailer.server.ts";
import { isLocale, type Locale } from "~/i18n/index.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { hashPassword } from "~/utils/password.server.ts";
import type { ProfessionValue } from "~/utils/roles.ts";
import { newSecret } from "~/utils/tokens.server.ts";

export const VERIFY_EMAIL_HOURS = 48;

/**
 * Creates an unverified account and emails a verification link. When the email already has an
 * account, that person is emailed instead and the caller sees the same answer, so sign-up does not
 * reveal who has an account.
 */
export async function signUp(input: { name: string; email: string; profession: ProfessionValue; password: string; locale: Locale; clock?: Clock }) {
  const clock = input.clock ?? systemClock;
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, name: true, locale: true } });
  if (existing) {
    const locale = isLocale(existing.locale) ? existing.locale : input.locale;
    await sendEmail(
      { to: email, userId: existing.id, kind: "account-exists", ...emails.accountExists(locale, { name: existing.name, loginUrl: publicUrl("/login"), resetUrl: publicUrl("/forgot-password") }) },
      clock,
    );
    return;
  }
  const token = newSecret();
  let user: { id: string };
  try {
    user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name: input.name, profession: input.profession, locale: input.locale, passwordHash, createdAt: clock.now() },
        select: { id: true },
      });
      await tx.token.create({
        data: { kind: "VERIFY_EMAIL", tokenHash: token.hash, userId: created.id, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + VERIFY_EMAIL_HOURS * 36e5) },
      });
      return created;
    });
  } catch (error) {
    // Two sign-ups for one email at the same moment: the unique index keeps one; answer alike.
    if ((error as { code?: string }).code === "P2002") return;
    throw error;
  }
  await sendEmail(
    { to: email, userId: user.id, kind: "verify-email", ...emails.verifyEmail(input.locale, { name: input.name, url: publicUrl(`/verify-email?token=${token.secret}`) }) },
    clock,
  );
}

/** Sends a fresh verification link to an unverified account (after a log-in attempt). */
export async function resendVerification(userId: string, clock: Clock = systemClock) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, locale: true, emailVerifiedAt: true } });
  if (!user || user.emailVerifiedAt) return;
  const token = newSecret();
  await db.token.create({
    data: { kind: "VERIFY_EMAIL", tokenHash: token.hash, userId, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + VERIFY_EMAIL_HOURS * 36e5) },
  });
  const locale = isLocale(user.locale) ? user.locale : "sl";
  await sendEmail({ to: user.email, userId, kind: "verify-email", ...emails.verifyEmail(locale, { name: user.name, url: publicUrl(`/verify-email?token=${token.secret}`) }) }, clock);
}
