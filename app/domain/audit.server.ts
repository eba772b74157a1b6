import type { Tx } from "~/utils/db.server.ts";

/**
 * Records what a trainer, organiser or admin did; written in the same transaction as the change.
 * `subjectUserId` names the person it concerns (defaults to the subject when that is a user), so
 * they can see it and their data export includes it.
 */
export function recordAudit(
  tx: Tx,
  event: { actorId: string | null; organisationId?: string | null; action: string; subjectType: string; subjectId: string; subjectUserId?: string | null; data?: Record<string, unknown>; at: Date },
) {
  return tx.auditEvent.create({
    data: {
      actorId: event.actorId,
      organisationId: event.organisationId ?? null,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      subjectUserId: event.subjectUserId ?? (event.subjectType === "User" ? event.subjectId : null),
      data: (event.data ?? {}) as object,
      at: event.at,
    },
  });
}
