import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { verifyPassword } from "~/utils/password.server.ts";
import { beginAttempt, clearFailures, LOGIN_LIMITS, loginKeys } from "~/utils/throttle.server.ts";
import { resendVerification } from "./sign-up.server.ts";

/**
 * Checks an email and password. Unknown email and wrong password give the same error after the
 * same work. Attempts are throttled per account and per account+client (see throttle.server.ts):
 * each counts from the start and only a correct password uncounts it.
 */
export async function logIn({ email: rawEmail, password, clientIp, clock = systemClock }: { email: string; password: string; clientIp: string; clock?: Clock }) {
  const email = normaliseEmail(rawEmail);
  const keys = loginKeys(email, clientIp);
  const attempt = await beginAttempt(keys, LOGIN_LIMITS, clock);
  if (!attempt) throw new DomainError("TOO_MANY_REQUESTS", "login.throttled");
  const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, emailVerifiedAt: true } });
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !valid) throw new DomainError("INVALID", "login.invalid");
  if (!user.emailVerifiedAt) {
    await attempt.forget();
    await resendVerification(user.id, clock);
    throw new DomainError("FORBIDDEN", "login.unverified");
  }
  await clearFailures(keys);
  return { userId: user.id };
}
