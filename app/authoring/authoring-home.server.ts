import type { LocalisedText } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { courseOwnersFor } from "./create-course.server.ts";
import { readCourseSettings } from "./course-settings.ts";
import { authorableCoursesWithQuizzes } from "./item-analysis.server.ts";

/**
 * The authoring start page: the courses this person may change, each with its title (the draft's
 * when there is one), its published version and whether the draft has been edited since; and where
 * they may create or import a course.
 */
export async function authoringHome(actor: Actor) {
  const courses = await authorableCoursesWithQuizzes(actor);
  const ids = courses.map((c) => c.id);
  const [versions, drafts, owners] = await Promise.all([
    db.courseVersion.findMany({ where: { courseId: { in: ids }, publishedAt: { not: null } }, distinct: ["courseId"], orderBy: [{ courseId: "asc" }, { number: "desc" }], select: { courseId: true, number: true, meta: true, createdAt: true } }),
    db.draftFile.findMany({ where: { courseId: { in: ids }, path: "course.yaml" }, select: { courseId: true, text: true } }),
    courseOwnersFor(actor),
  ]);
  const latest = new Map(versions.map((v) => [v.courseId, v]));
  const draftTitle = new Map(drafts.map((d) => [d.courseId, readCourseSettings(d.text ?? "").title]));
  const edited = new Set(
    (
      await db.draftFile.groupBy({ by: ["courseId"], where: { courseId: { in: ids } }, _max: { updatedAt: true } })
    )
      .filter((row) => row._max.updatedAt && (!latest.get(row.courseId) || row._max.updatedAt > (latest.get(row.courseId)?.createdAt as Date)))
      .map((row) => row.courseId),
  );
  return {
    courses: courses.map((course) => ({
      ...course,
      title: draftTitle.get(course.id) ?? ((latest.get(course.id)?.meta as { title?: LocalisedText } | undefined)?.title ?? {}),
      version: latest.get(course.id)?.number ?? 0,
      draftEdited: edited.has(course.id),
    })),
    owners,
  };
}
