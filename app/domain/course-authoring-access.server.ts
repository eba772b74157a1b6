import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";

/**
 * Who may change a course: platform admins any course; an organisation's current trainers the
 * courses that organisation owns. Platform-wide courses (no owner) are for admins and the trainers
 * an admin has named as the course's editors (while they are a trainer somewhere). Anyone else gets
 * "not found" for a course they cannot see and "forbidden" for one they can but may not change.
 */
export async function assertCanAuthorCourse(actor: Actor, courseSlug: string) {
  const course = await db.course.findUnique({ where: { slug: courseSlug }, select: { id: true, slug: true, ownerOrganisationId: true, archivedAt: true } });
  if (!course || course.archivedAt) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (actor.isAdmin) return course;
  if (course.ownerOrganisationId) {
    const membership = await db.membership.findUnique({ where: { userId_organisationId: { userId: actor.id, organisationId: course.ownerOrganisationId } }, select: { roles: true, endedAt: true } });
    if (membership && !membership.endedAt && membership.roles.includes("TRAINER")) return course;
  } else if (await isNamedEditor(actor.id, course.id)) {
    return course;
  }
  throw new DomainError("FORBIDDEN", "errors.forbidden");
}

async function isNamedEditor(userId: string, courseId: string) {
  const [named, trainer] = await Promise.all([
    db.courseEditor.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { userId: true } }),
    db.membership.findFirst({ where: { userId, endedAt: null, roles: { has: "TRAINER" } }, select: { id: true } }),
  ]);
  return Boolean(named && trainer);
}

/** Admins and current trainers may author at all; anyone else is refused before any work is done. */
export async function assertMayAuthor(actor: Actor) {
  if (actor.isAdmin) return;
  const trainer = await db.membership.findFirst({ where: { userId: actor.id, endedAt: null, roles: { has: "TRAINER" } }, select: { id: true } });
  if (!trainer) throw new DomainError("FORBIDDEN", "errors.forbidden");
}

/** The courses an actor may change, for the authoring pages; only admins and trainers have the pages. */
export async function authorableCourses(actor: Actor) {
  if (actor.isAdmin) return db.course.findMany({ where: { archivedAt: null }, select: { id: true, slug: true }, orderBy: { slug: "asc" } });
  const memberships = await db.membership.findMany({ where: { userId: actor.id, endedAt: null, roles: { has: "TRAINER" } }, select: { organisationId: true } });
  if (!memberships.length) throw new DomainError("FORBIDDEN", "errors.forbidden");
  return db.course.findMany({
    where: { archivedAt: null, OR: [{ ownerOrganisationId: { in: memberships.map((m) => m.organisationId) } }, { ownerOrganisationId: null, editors: { some: { userId: actor.id } } }] },
    select: { id: true, slug: true },
    orderBy: { slug: "asc" },
  });
}

/** A course's SCORM page: its title and the modules of its latest version, for someone who may change it. */
export async function getScormUploadPage({ actor, slug }: { actor: Actor; slug: string }) {
  const course = await assertCanAuthorCourse(actor, slug);
  const version = await db.courseVersion.findFirst({
    where: { courseId: course.id },
    orderBy: { number: "desc" },
    select: { number: true, meta: true, modules: { orderBy: { position: "asc" }, select: { key: true, title: true, items: { select: { kind: true } } } } },
  });
  return {
    slug: course.slug,
    title: (version?.meta as { title?: Record<string, string> } | undefined)?.title ?? { sl: course.slug },
    version: version?.number ?? 0,
    modules: (version?.modules ?? []).map((m) => ({ key: m.key, title: m.title as Record<string, string>, scorm: m.items.some((i) => i.kind === "SCORM") })),
  };
}
