import { recordAudit } from "~/domain/audit.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { actsForOrganisation } from "~/domain/organisations.server.ts";
import { parseCertificateCode } from "./code.ts";

/**
 * Revokes a certificate, with a reason the verification page shows from then on. Only an
 * organiser of the organisation that issued it, or an admin; anyone else cannot tell it exists.
 */
export async function revokeCertificate({ actor, code, reason, clock = systemClock }: { actor: Actor; code: string; reason: string; clock?: Clock }) {
  const parsed = parseCertificateCode(code);
  const certificate = parsed ? await db.certificate.findUnique({ where: { code: parsed }, select: { id: true, organisationId: true, userId: true, revokedAt: true } }) : null;
  if (!certificate) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (!(await actsForOrganisation(actor, certificate.organisationId, certificate.userId))) throw new DomainError("NOT_FOUND", "errors.notFound");
  const trimmed = reason.trim();
  if (trimmed.length < 5 || trimmed.length > 500) throw new DomainError("INVALID", "revoke.reasonRequired", "reason");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const updated = await tx.certificate.updateMany({ where: { id: certificate.id, revokedAt: null }, data: { revokedAt: now, revokedById: actor.id, revocationReason: trimmed } });
    if (updated.count !== 1) throw new DomainError("CONFLICT", "revoke.already");
    await recordAudit(tx, { actorId: actor.id, organisationId: certificate.organisationId, action: "certificate.revoke", subjectType: "Certificate", subjectId: certificate.id, subjectUserId: certificate.userId, data: { holder: certificate.userId, reason: trimmed }, at: now });
  });
}
