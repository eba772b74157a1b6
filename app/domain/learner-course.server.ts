import { courseState, type OutlineItem, renewalModuleKeys } from "~/learning/course-state.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { getVersionItem, getVersionOutline, type VersionOutline } from "./course-version-cache.server.ts";

/** Where an enrolment stands: a first completion, or a renewal along the course's recertification path. */
export function enrolmentState(outline: VersionOutline, done: ReadonlySet<string>, kind: "INITIAL" | "RENEWAL") {
  return courseState(outline.modules, done, {
    sequential: outline.meta.sequential,
    renewal: kind === "RENEWAL" ? renewalModuleKeys(outline.modules, outline.meta.recertification) : null,
  });
}

/**
 * The learner's current enrolment in a course (latest cycle), the version they are taking and
 * where they stand. Another person's enrolment is never found: the query is by the actor's id.
 */
export async function loadLearnerCourse({ actor, slug }: { actor: Actor; slug: string }) {
  const enrolment = await db.enrolment.findFirst({
    where: { userId: actor.id, course: { slug } },
    orderBy: { cycle: "desc" },
    select: { id: true, cycle: true, kind: true, courseVersionId: true, startedAt: true, completedAt: true, dueAt: true, lastItemKey: true },
  });
  if (!enrolment) throw new DomainError("NOT_FOUND", "learn.notEnrolled");
  const [outline, progress] = await Promise.all([
    getVersionOutline(enrolment.courseVersionId),
    db.itemProgress.findMany({ where: { enrolmentId: enrolment.id }, select: { itemKey: true, completedAt: true } }),
  ]);
  const done = new Set(progress.filter((p) => p.completedAt).map((p) => p.itemKey));
  const started = new Set(progress.map((p) => p.itemKey));
  const state = enrolmentState(outline, done, enrolment.kind);
  return { enrolment, outline, state, started };
}

/**
 * An item the learner may open now: it belongs to the version they are taking and its module is
 * open. A locked item is refused with the reason, so the page can say why.
 */
export async function requireOpenItem({ actor, slug, itemKey, kind }: { actor: Actor; slug: string; itemKey: string; kind: OutlineItem["kind"] }) {
  const course = await loadLearnerCourse({ actor, slug });
  const moduleIndex = course.state.modules.findIndex((m) => m.items.some((i) => i.key === itemKey && i.kind === kind));
  if (moduleIndex < 0) throw new DomainError("NOT_FOUND", "errors.notFound");
  const module = course.state.modules[moduleIndex];
  if (!module.unlocked) throw new DomainError("FORBIDDEN", module.lockedReason === "recertification-only" ? "learn.lockedRecertification" : "learn.lockedPrevious");
  const item = await getVersionItem(course.enrolment.courseVersionId, itemKey);
  if (!item) throw new DomainError("NOT_FOUND", "errors.notFound");
  const flat = course.state.modules.filter((m) => m.unlocked).flatMap((m) => m.items);
  const index = flat.findIndex((i) => i.key === itemKey);
  return { ...course, module, moduleIndex, item, previous: flat[index - 1] ?? null, next: flat[index + 1] ?? null };
}
