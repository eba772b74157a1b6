import { recordAudit } from "~/domain/audit.server.ts";
import { ID_PATTERN } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { composeLesson } from "./lesson-text.ts";
import { toYaml } from "./yaml-edit.ts";

/**
 * Who may create a course: an organisation's current trainers for that organisation; admins for
 * any organisation or, with none, for every organisation (like the bundled course).
 */
export async function assertCanCreateCourseIn(actor: Actor, organisationId: string | null) {
  if (actor.isAdmin) {
    if (organisationId && !(await db.organisation.findUnique({ where: { id: organisationId }, select: { id: true } }))) throw new DomainError("NOT_FOUND", "errors.notFound");
    return;
  }
  if (!organisationId) throw new DomainError("FORBIDDEN", "errors.forbidden");
  const membership = await db.membership.findUnique({ where: { userId_organisationId: { userId: actor.id, organisationId } }, select: { roles: true, endedAt: true } });
  if (!membership || membership.endedAt || !membership.roles.includes("TRAINER")) throw new DomainError("FORBIDDEN", "errors.forbidden");
}

/** The organisations an actor may create courses in (admins: all, plus "every organisation"). */
export async function courseOwnersFor(actor: Actor) {
  if (actor.isAdmin) return { platformWide: true, organisations: await db.organisation.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }) };
  const memberships = await db.membership.findMany({ where: { userId: actor.id, endedAt: null, roles: { has: "TRAINER" } }, select: { organisation: { select: { id: true, name: true } } } });
  return { platformWide: false, organisations: memberships.map((m) => m.organisation).sort((a, b) => a.name.localeCompare(b.name)) };
}

export type NewCourse = { slug: string; title: { sl: string; en: string }; organisationId: string | null };

/**
 * Creates a course with a starting draft: course settings, one module and one lesson in Slovene
 * and English. The draft does not pass the checks until the trainer has written the lesson's
 * sources and the course's texts, so nothing half-written can be published.
 */
export async function createCourse({ actor, input, clock = systemClock }: { actor: Actor; input: NewCourse; clock?: Clock }) {
  if (!ID_PATTERN.test(input.slug)) throw new DomainError("INVALID", "authoring.create.badSlug", "slug");
  if (!input.title.sl.trim() || !input.title.en.trim()) throw new DomainError("INVALID", "authoring.create.titleRequired", "title");
  await assertCanCreateCourseIn(actor, input.organisationId);
  const now = clock.now();
  return db.$transaction(async (tx) => {
    if (await tx.course.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw new DomainError("CONFLICT", "authoring.create.slugTaken", "slug");
    const course = await tx.course.create({
      data: { slug: input.slug, ownerOrganisationId: input.organisationId, visibility: input.organisationId ? "OWNER_ONLY" : "ALL_ORGANISATIONS", editedSinceImport: true, createdAt: now },
      select: { id: true, slug: true },
    });
    await tx.draftFile.createMany({ data: Object.entries(starterFiles(input)).map(([path, text]) => ({ courseId: course.id, path, text, updatedAt: now, updatedById: actor.id })) });
    await recordAudit(tx, { actorId: actor.id, organisationId: input.organisationId, action: "course.create", subjectType: "Course", subjectId: course.id, data: { slug: input.slug }, at: now });
    return course;
  });
}

function starterFiles({ slug, title }: NewCourse): Record<string, string> {
  const empty = { sl: "", en: "" };
  const course = {
    slug,
    locales: ["sl", "en"],
    title,
    summary: empty,
    estimatedMinutes: 30,
    cpd: { credits: 0, category: empty, basis: empty },
    validityMonths: 24,
    passMark: 80,
    sequential: true,
    selfEnrol: false,
    contentNote: empty,
    support: empty,
    outcomes: [{ id: "outcome-1", text: empty }],
    modules: ["01-introduction"],
  };
  const module = { id: "introduction", title: { sl: "Uvod", en: "Introduction" }, outcomes: ["outcome-1"], items: [{ lesson: "01-first-lesson" }] };
  return {
    "course.yaml": toYaml(course),
    "01-introduction/module.yaml": toYaml(module),
    "01-introduction/01-first-lesson.sl.md": composeLesson({ id: "first-lesson", title: "Prva lekcija", minutes: 5, sources: [] }, ""),
    "01-introduction/01-first-lesson.en.md": composeLesson({ id: "first-lesson", title: "First lesson", minutes: 5, sources: [] }, ""),
  };
}
