import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { afterCompletion, completeIfDone, markItemDone } from "./complete-course.server.ts";
import { requireOpenItem } from "./learner-course.server.ts";

/**
 * Opening an item: the enrolment is started and "continue" will come back here. Writes only what
 * changed, so reading a lesson again (or reloading it) costs no write.
 */
export async function recordItemVisit({ enrolment, started, itemKey, now }: { enrolment: { id: string; lastItemKey: string | null; startedAt: Date | null }; started: ReadonlySet<string>; itemKey: string; now: Date }) {
  const writes = [];
  if (enrolment.lastItemKey !== itemKey || !enrolment.startedAt) {
    writes.push(db.enrolment.update({ where: { id: enrolment.id }, data: { lastItemKey: itemKey, startedAt: enrolment.startedAt ?? now } }));
  }
  if (!started.has(itemKey)) {
    writes.push(db.itemProgress.upsert({ where: { enrolmentId_itemKey: { enrolmentId: enrolment.id, itemKey } }, create: { enrolmentId: enrolment.id, itemKey, startedAt: now }, update: {} }));
  }
  if (writes.length) await db.$transaction(writes);
}

/** Time on task is what the page reports while visible and active, capped at three times the lesson's estimate. */
export function capTimeSpent(seconds: number, estimatedMinutes: number) {
  if (!Number.isFinite(seconds) || seconds < 0) return 0;
  return Math.min(Math.round(seconds), Math.max(estimatedMinutes, 5) * 60 * 3);
}

/** The learner reached the end of a lesson and continued: it is done, and the course may be complete. */
export async function completeLesson({ actor, slug, itemKey, secondsSpent, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; secondsSpent: number; clock?: Clock }) {
  const { enrolment, item, next } = await requireOpenItem({ actor, slug, itemKey, kind: "LESSON" });
  const now = clock.now();
  const seconds = capTimeSpent(secondsSpent, (item.content as { minutes: number }).minutes);
  const result = await db.$transaction(async (tx) => {
    await tx.enrolment.updateMany({ where: { id: enrolment.id, startedAt: null }, data: { startedAt: now } });
    await tx.enrolment.update({ where: { id: enrolment.id }, data: { timeSpentSeconds: { increment: seconds }, lastItemKey: next?.key ?? itemKey } });
    await tx.itemProgress.upsert({ where: { enrolmentId_itemKey: { enrolmentId: enrolment.id, itemKey } }, create: { enrolmentId: enrolment.id, itemKey, startedAt: now, timeSpentSeconds: seconds }, update: { timeSpentSeconds: { increment: seconds } } });
    await markItemDone(tx, { enrolmentId: enrolment.id, itemKey, now });
    return completeIfDone(tx, { enrolmentId: enrolment.id, now });
  });
  await afterCompletion(result, enrolment.id);
  return { ...result, next };
}
