import { issueCertificate } from "~/certificates/issue-certificate.server.ts";
import { enqueue } from "~/jobs/queue.server.ts";
import { newRowId, type SqlOn, sqlRow, sqlRows } from "~/utils/sql.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { getVersionOutline } from "./course-version-cache.server.ts";
import { enrolmentState } from "./learner-course.server.ts";

// Plain SQL, in the caller's transaction: a pg client (grading a quiz, the exam's heaviest request)
// or a Prisma transaction (lessons, cases, SCORM).

/** Records an item as finished (the first time counts) inside the caller's transaction: one statement. */
export async function markItemDone(on: SqlOn, { enrolmentId, itemKey, now }: { enrolmentId: string; itemKey: string; now: Date }) {
  await sqlRows(on, Prisma.sql`INSERT INTO "ItemProgress" (id, "enrolmentId", "itemKey", "startedAt", "completedAt") VALUES (${newRowId()}, ${enrolmentId}, ${itemKey}, ${now}::timestamp, ${now}::timestamp)
    ON CONFLICT ("enrolmentId", "itemKey") DO UPDATE SET "completedAt" = COALESCE("ItemProgress"."completedAt", EXCLUDED."completedAt")`);
}

/**
 * The one place a course is decided complete: every required lesson read, quiz passed and case
 * finished in the modules of a first completion. Sets completedAt once (a concurrent second call
 * finds it set), in the caller's transaction, so the certificate is issued with it or not at all.
 */
export async function completeIfDone(on: SqlOn, { enrolmentId, now }: { enrolmentId: string; now: Date }) {
  const enrolment = await sqlRow<{ courseVersionId: string; completedAt: Date | null; kind: "INITIAL" | "RENEWAL"; done: string[] }>(on, Prisma.sql`
    SELECT e."courseVersionId", e."completedAt", e.kind::text AS kind,
      array(SELECT p."itemKey" FROM "ItemProgress" p WHERE p."enrolmentId" = e.id AND p."completedAt" IS NOT NULL) AS done
    FROM "Enrolment" e WHERE e.id = ${enrolmentId}`);
  if (!enrolment) throw new Error(`completeIfDone: no enrolment ${enrolmentId}`);
  if (enrolment.completedAt) return { completedNow: false };
  const state = enrolmentState(await getVersionOutline(enrolment.courseVersionId), new Set(enrolment.done), enrolment.kind);
  if (!state.complete) return { completedNow: false };
  const updated = await sqlRows(on, Prisma.sql`UPDATE "Enrolment" SET "completedAt" = ${now}::timestamp WHERE id = ${enrolmentId} AND "completedAt" IS NULL RETURNING id`);
  if (updated.length !== 1) return { completedNow: false };
  await issueCertificate(on, { enrolmentId, now });
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
