import { itemPath, statusOf } from "~/learning/course-state.ts";
import type { Actor } from "~/utils/auth.server.ts";
import type { Clock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { getVersionOutline } from "./course-version-cache.server.ts";
import { enrolmentState } from "./learner-course.server.ts";

/** "My learning": each enrolment (latest cycle per course) with progress, status and where to continue. */
export async function listMyLearning({ actor, clock }: { actor: Actor; clock: Clock }) {
  const enrolments = await db.enrolment.findMany({
    where: { userId: actor.id },
    orderBy: [{ completedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, courseId: true, cycle: true, kind: true, courseVersionId: true, startedAt: true, completedAt: true, dueAt: true, lastItemKey: true, source: true },
  });
  const latestCycle = new Map<string, number>();
  for (const e of enrolments) latestCycle.set(e.courseId, Math.max(e.cycle, latestCycle.get(e.courseId) ?? 0));
  const latest = enrolments.filter((e) => e.cycle === latestCycle.get(e.courseId));
  const done = await db.itemProgress.findMany({ where: { enrolmentId: { in: latest.map((e) => e.id) }, completedAt: { not: null } }, select: { enrolmentId: true, itemKey: true } });
  const now = clock.now();
  return Promise.all(
    latest.map(async (enrolment) => {
      const outline = await getVersionOutline(enrolment.courseVersionId);
      const state = enrolmentState(outline, new Set(done.filter((d) => d.enrolmentId === enrolment.id).map((d) => d.itemKey)), enrolment.kind);
      const items = state.modules.filter((m) => m.unlocked).flatMap((m) => m.items);
      const last = items.find((i) => i.key === enrolment.lastItemKey && !i.done);
      const target = last ?? (state.next ? items.find((i) => i.key === state.next!.itemKey) : null);
      return {
        id: enrolment.id,
        slug: outline.slug,
        title: outline.meta.title,
        percent: state.percent,
        status: statusOf(enrolment, now),
        dueAt: enrolment.dueAt,
        completedAt: enrolment.completedAt,
        assigned: enrolment.source !== "SELF",
        renewal: enrolment.kind === "RENEWAL",
        continueTo: target ? itemPath(outline.slug, target) : `/learn/${outline.slug}`,
      };
    }),
  );
}
