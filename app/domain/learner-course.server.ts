import { Prisma } from "../../generated/prisma/client.ts";
import { courseState, type OutlineItem, renewalModuleKeys } from "~/learning/course-state.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { sqlRow } from "~/utils/sql.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { getVersionItem, getVersionOutline, type VersionOutline } from "./course-version-cache.server.ts";

/** Where an enrolment stands: a first completion, or a renewal along the course's recertification path. */
export function enrolmentState(outline: VersionOutline, done: ReadonlySet<string>, kind: "INITIAL" | "RENEWAL") {
  return courseState(outline.modules, done, {
    sequential: outline.meta.sequential,
    renewal: kind === "RENEWAL" ? renewalModuleKeys(outline.modules, outline.meta.recertification) : null,
  });
}

type LearnerEnrolment = {
  id: string;
  cycle: number;
  kind: "INITIAL" | "RENEWAL";
  courseVersionId: string;
  startedAt: Date | null;
  completedAt: Date | null;
  dueAt: Date | null;
  lastItemKey: string | null;
};

/**
 * The learner's current enrolment in a course (latest cycle), the version they are taking and
 * where they stand. Another person's enrolment is never found: the query is by the actor's id.
 */
export async function loadLearnerCourse({ actor, slug }: { actor: Actor; slug: string }) {
  // Every lesson, quiz, case and result page asks this: one plain SQL statement (sql.server.ts) for
  // the enrolment and its progress, the outline from the version cache.
  const found = await sqlRow<LearnerEnrolment & { progress: Array<{ itemKey: string; completed: boolean }> }>(
    db.pool,
    Prisma.sql`SELECT e.id, e.cycle, e.kind::text AS kind, e."courseVersionId", e."startedAt", e."completedAt", e."dueAt", e."lastItemKey",
        COALESCE((SELECT json_agg(json_build_object('itemKey', p."itemKey", 'completed', p."completedAt" IS NOT NULL)) FROM "ItemProgress" p WHERE p."enrolmentId" = e.id), '[]') AS progress
      FROM "Enrolment" e JOIN "Course" c ON c.id = e."courseId"
      WHERE e."userId" = ${actor.id} AND c.slug = ${slug} ORDER BY e.cycle DESC LIMIT 1`,
  );
  if (!found) throw new DomainError("NOT_FOUND", "learn.notEnrolled");
  const { progress, ...enrolment } = found;
  const outline = await getVersionOutline(enrolment.courseVersionId);
  const done = new Set(progress.filter((p) => p.completed).map((p) => p.itemKey));
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
