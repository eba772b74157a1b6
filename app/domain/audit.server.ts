import type { Tx } from "~/utils/db.server.ts";

/** Records what a trainer, organiser or admin did; written in the same transaction as the change. */
export function recordAudit(
  tx: Tx,
  event: { actorId: string | null; organisationId?: string | null; action: string; subjectType: string; subjectId: string; data?: Record<string, unknown>; at: Date },
) {
  return tx.auditEvent.create({
    data: {
      actorId: event.actorId,
      organisationId: event.organisationId ?? null,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      data: (event.data ?? {}) as object,
      at: event.at,
    },
  });
}
