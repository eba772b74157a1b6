import { recordAudit } from "~/domain/audit.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { normaliseEmail } from "~/utils/email-address.ts";
import { DomainError } from "~/utils/errors.server.ts";

// Admins name the trainers who edit a platform-wide course (the bundled curriculum, say, by the
// NGO's trainers). Only admins see or change the list.

async function platformCourse(actor: Actor, slug: string) {
  if (!actor.isAdmin) throw new DomainError("FORBIDDEN", "errors.forbidden");
  const course = await db.course.findUnique({ where: { slug }, select: { id: true, ownerOrganisationId: true } });
  if (!course) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (course.ownerOrganisationId) throw new DomainError("INVALID", "editor.editors.ownedCourse");
  return course;
}

export async function listCourseEditors({ actor, slug }: { actor: Actor; slug: string }) {
  const course = await platformCourse(actor, slug);
  const editors = await db.courseEditor.findMany({ where: { courseId: course.id }, select: { user: { select: { id: true, name: true, email: true, deletedAt: true, memberships: { where: { endedAt: null, roles: { has: "TRAINER" } }, select: { id: true } } } } }, orderBy: { createdAt: "asc" } });
  return editors.filter((e) => !e.user.deletedAt).map((e) => ({ id: e.user.id, name: e.user.name, email: e.user.email, isTrainer: e.user.memberships.length > 0 }));
}

export async function addCourseEditor({ actor, slug, email, clock = systemClock }: { actor: Actor; slug: string; email: string; clock?: Clock }) {
  const course = await platformCourse(actor, slug);
  const user = await db.user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true, deletedAt: true, memberships: { where: { endedAt: null, roles: { has: "TRAINER" } }, select: { id: true } } } });
  if (!user || user.deletedAt) throw new DomainError("NOT_FOUND", "editor.editors.noSuchPerson", "email");
  if (!user.memberships.length) throw new DomainError("INVALID", "editor.editors.notTrainer", "email");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    await tx.courseEditor.upsert({ where: { courseId_userId: { courseId: course.id, userId: user.id } }, create: { courseId: course.id, userId: user.id, addedById: actor.id, createdAt: now }, update: {} });
    await recordAudit(tx, { actorId: actor.id, action: "course.editor.add", subjectType: "Course", subjectId: course.id, subjectUserId: user.id, at: now });
  });
}

export async function removeCourseEditor({ actor, slug, userId, clock = systemClock }: { actor: Actor; slug: string; userId: string; clock?: Clock }) {
  const course = await platformCourse(actor, slug);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const removed = await tx.courseEditor.deleteMany({ where: { courseId: course.id, userId } });
    if (removed.count) await recordAudit(tx, { actorId: actor.id, action: "course.editor.remove", subjectType: "Course", subjectId: course.id, subjectUserId: userId, at: now });
  });
}
