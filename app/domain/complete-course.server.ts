import { issueCertificate } from "~/certificates/issue-certificate.server.ts";
import { enqueue } from "~/jobs/queue.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import { newRowId } from "~/utils/sql.server.ts";
import { getVersionOutline } from "./course-version-cache.server.ts";
import { enrolmentState } from "./learner-course.server.ts";

/** Records an item as finished (the first time counts) inside the caller's transaction: one statement. */
export async function markItemDone(tx: Tx, { enrolmentId, itemKey, now }: { enrolmentId: string; itemKey: string; now: Date }) {
  await tx.$executeRaw`INSERT INTO "ItemProgress" (id, "enrolmentId", "itemKey", "startedAt", "completedAt") VALUES (${newRowId()}, ${enrolmentId}, ${itemKey}, ${now}, ${now})
    ON CONFLICT ("enrolmentId", "itemKey") DO UPDATE SET "completedAt" = COALESCE("ItemProgress"."completedAt", EXCLUDED."completedAt")`;
}

/**
 * The one place a course is decided complete: every required lesson read, quiz passed and case
 * finished in the modules of a first completion. Sets completedAt once (a concurrent second call
 * finds it set), in the caller's transaction, so the certificate is issued with it or not at all.
 */
export async function completeIfDone(tx: Tx, { enrolmentId, now }: { enrolmentId: string; now: Date }) {
  const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, select: { courseVersionId: true, completedAt: true, kind: true } });
  if (enrolment.completedAt) return { completedNow: false };
  const [outline, progress] = await Promise.all([
    getVersionOutline(enrolment.courseVersionId),
    tx.itemProgress.findMany({ where: { enrolmentId, completedAt: { not: null } }, select: { itemKey: true } }),
  ]);
  const state = enrolmentState(outline, new Set(progress.map((p) => p.itemKey)), enrolment.kind);
  if (!state.complete) return { completedNow: false };
  const updated = await tx.enrolment.updateMany({ where: { id: enrolmentId, completedAt: null }, data: { completedAt: now } });
  if (updated.count !== 1) return { completedNow: false };
  await issueCertificate(tx, { enrolmentId, now });
  return { completedNow: true };
}

/**
 * Once a transaction that completed a course has committed: queue the "certificate issued" email.
 * Should queueing fail, the completion stands and the notice sweep sends the email later.
 */
export async function afterCompletion<T extends { completedNow?: boolean }>(result: T, enrolmentId: string): Promise<T> {
  if (result.completedNow) {
    await enqueue("certificate-issued", { enrolmentId }, { singletonKey: enrolmentId }).catch((error) => console.error("[jobs] could not queue the certificate email:", error));
  }
  return result;
}
