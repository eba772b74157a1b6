import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { hashSecret } from "~/utils/tokens.server.ts";

/** Marks the account's email as verified; the token works once and until it expires. */
export async function verifyEmail({ token, clock = systemClock }: { token: string; clock?: Clock }) {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const record = await tx.token.findUnique({ where: { tokenHash: hashSecret(token) }, select: { id: true, kind: true, userId: true, expiresAt: true, usedAt: true } });
    if (record?.kind !== "VERIFY_EMAIL" || record.usedAt || record.expiresAt <= now) {
      throw new DomainError("INVALID", "verify.invalidLink");
    }
    const used = await tx.token.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1) throw new DomainError("INVALID", "verify.invalidLink");
    await tx.user.update({ where: { id: record.userId }, data: { emailVerifiedAt: now } });
    return { userId: record.userId };
  });
}
