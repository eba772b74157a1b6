import { recordAudit } from "~/domain/audit.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { parseCertificateCode } from "./code.ts";

/**
 * A certificate keeps the name it was issued to; after a change of name its holder may have it
 * re-issued under the current one. Same code, dates and credits (it is the same achievement); the
 * verification page shows the date of the re-issue, and the earlier name stays in the audit log.
 */
export async function reissueCertificate({ actor, code, clock = systemClock }: { actor: Actor; code: string; clock?: Clock }) {
  const parsed = parseCertificateCode(code);
  const certificate = parsed ? await db.certificate.findUnique({ where: { code: parsed }, select: { id: true, userId: true, holderName: true, organisationId: true, revokedAt: true, holderWithdrawnAt: true } }) : null;
  if (!certificate || certificate.userId !== actor.id) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (certificate.revokedAt || certificate.holderWithdrawnAt) throw new DomainError("CONFLICT", "reissue.notPossible");
  const { name } = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } });
  if (name === certificate.holderName) throw new DomainError("CONFLICT", "reissue.sameName");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    await tx.certificate.update({ where: { id: certificate.id }, data: { holderName: name, reissuedAt: now } });
    await recordAudit(tx, { actorId: actor.id, organisationId: certificate.organisationId, action: "certificate.reissue", subjectType: "Certificate", subjectId: certificate.id, subjectUserId: actor.id, data: { previousName: certificate.holderName }, at: now });
  });
}
