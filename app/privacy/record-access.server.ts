import { recordAudit } from "~/domain/audit.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import type { Clock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

/** What opening someone else's record is logged as; the person sees these under "Who has seen my record". */
export type RecordAccessAction = "person.view" | "certificate.pdf" | "certificate.credential";

/** A reload or a second download within this time is not logged again. */
export const RECORD_ACCESS_QUIET_MS = 60 * 60_000;

/**
 * Logs that an organiser or admin looked at another person's record (their page, a certificate PDF
 * or credential). Nothing is logged when people look at their own record, nor when the same viewer
 * looked at the same thing within the last hour, so that reloading a page does not flood the log.
 * One indexed look-up and at most one insert; two requests in the same instant may both write,
 * which costs a duplicate line, never a missing one.
 */
export async function recordRecordAccess({
  actor,
  subjectUserId,
  organisationId,
  action,
  subjectType,
  subjectId,
  clock,
}: {
  actor: Actor;
  subjectUserId: string;
  organisationId: string | null;
  action: RecordAccessAction;
  subjectType: "User" | "Certificate";
  subjectId: string;
  clock: Clock;
}) {
  if (actor.id === subjectUserId) return false;
  const now = clock.now();
  const recent = await db.auditEvent.findFirst({
    where: { subjectUserId, actorId: actor.id, action, subjectId, organisationId, at: { gt: new Date(now.getTime() - RECORD_ACCESS_QUIET_MS), lte: now } },
    select: { id: true },
  });
  if (recent) return false;
  // The capacity they acted in, as the person will read it: an admin may also be an organiser elsewhere.
  const role = actor.isAdmin ? "ADMIN" : "ORGANISER";
  await recordAudit(db, { actorId: actor.id, organisationId, action, subjectType, subjectId, subjectUserId, data: { role }, at: now });
  return true;
}
