import { type Clock, systemClock } from "~/utils/clock.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import type { CourseMeta } from "./catalogue.server.ts";
import { visibleCoursesWhere } from "./catalogue.server.ts";

/**
 * A learner enrols themselves in a visible course that allows it, once its prerequisite courses are
 * completed. Enrolling again returns the existing enrolment (no duplicates, also under a double click).
 */
export async function enrol({ actor, slug, clock = systemClock }: { actor: Actor; slug: string; clock?: Clock }) {
  const course = await db.course.findFirst({
    where: { slug, ...visibleCoursesWhere(actor.id) },
    select: { id: true, versions: { where: { publishedAt: { not: null } }, orderBy: { number: "desc" }, take: 1, select: { id: true, meta: true } } },
  });
  if (!course) throw new DomainError("NOT_FOUND", "errors.notFound");
  const existing = await db.enrolment.findFirst({ where: { userId: actor.id, courseId: course.id }, orderBy: { cycle: "desc" }, select: { id: true } });
  if (existing) return existing;
  const meta = course.versions[0].meta as CourseMeta;
  if (!meta.selfEnrol) throw new DomainError("FORBIDDEN", "learn.noSelfEnrol");
  if (meta.prerequisites.length) {
    const completed = await db.enrolment.findMany({ where: { userId: actor.id, completedAt: { not: null }, course: { slug: { in: meta.prerequisites } } }, select: { course: { select: { slug: true } } } });
    const missing = meta.prerequisites.filter((p) => !completed.some((c) => c.course.slug === p));
    if (missing.length) throw new DomainError("FORBIDDEN", "learn.prerequisitesMissing");
  }
  const membership = await db.membership.findFirst({ where: { userId: actor.id, endedAt: null }, orderBy: { createdAt: "asc" }, select: { organisationId: true } });
  try {
    return await db.enrolment.create({
      data: { userId: actor.id, courseId: course.id, cycle: 1, courseVersionId: course.versions[0].id, source: "SELF", organisationId: membership?.organisationId ?? null, createdAt: clock.now() },
      select: { id: true },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      return db.enrolment.findFirstOrThrow({ where: { userId: actor.id, courseId: course.id }, orderBy: { cycle: "desc" }, select: { id: true } });
    }
    throw error;
  }
}
