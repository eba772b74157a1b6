import { db } from "~/utils/db.server.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

export type LocalisedText = Partial<Record<string, string>>;
export type CourseMeta = {
  locales: string[];
  title: LocalisedText;
  summary: LocalisedText;
  description?: LocalisedText;
  estimatedMinutes: number;
  cpd: { credits: number; category: LocalisedText; categoryId?: string; basis?: LocalisedText };
  validityMonths: number;
  passMark: number;
  sequential: boolean;
  selfEnrol: boolean;
  contentNote: LocalisedText;
  support: LocalisedText;
  prerequisites: string[];
  /** module keys: refresher modules, and first-completion modules a renewal retakes */
  recertification?: { modules: string[]; retake?: string[] };
  outcomes: Array<{ id: string; text: LocalisedText }>;
  referrals: Array<{ id: string; name: LocalisedText; phone?: string; hours?: LocalisedText; languages?: string[]; helpsWith?: LocalisedText; source?: string; example?: boolean }>;
};

/**
 * Courses a user may see: platform-wide ones, and those owned by an organisation the user belongs to
 * (owner-only courses of other organisations never appear). Signed-out visitors see platform-wide ones.
 */
export function visibleCoursesWhere(userId: string | null): Prisma.CourseWhereInput {
  const ownCourses: Prisma.CourseWhereInput[] = userId ? [{ ownerOrganisation: { memberships: { some: { userId, endedAt: null } } } }] : [];
  return {
    archivedAt: null,
    versions: { some: { publishedAt: { not: null } } },
    OR: [{ ownerOrganisationId: null }, { visibility: "ALL_ORGANISATIONS" }, ...ownCourses],
  };
}

export async function listCatalogue({ userId }: { userId: string | null }) {
  const courses = await db.course.findMany({
    where: visibleCoursesWhere(userId),
    select: {
      slug: true,
      versions: { where: { publishedAt: { not: null } }, orderBy: { number: "desc" }, take: 1, select: { meta: true, _count: { select: { modules: true } } } },
    },
    orderBy: { createdAt: "asc" },
  });
  return courses.map((course) => ({ slug: course.slug, meta: course.versions[0].meta as CourseMeta, moduleCount: course.versions[0]._count.modules }));
}

/** The latest published version of a visible course, with its modules and items (titles only). */
export async function getCourseOutline({ userId, slug }: { userId: string | null; slug: string }) {
  const course = await db.course.findFirst({
    where: { slug, ...visibleCoursesWhere(userId) },
    select: {
      id: true,
      slug: true,
      versions: {
        where: { publishedAt: { not: null } },
        orderBy: { number: "desc" },
        take: 1,
        select: {
          id: true,
          number: true,
          meta: true,
          modules: {
            orderBy: { position: "asc" },
            select: { key: true, title: true, meta: true, isRecertification: true, items: { orderBy: { position: "asc" }, select: { key: true, kind: true, title: true } } },
          },
        },
      },
    },
  });
  if (!course) return null;
  const version = course.versions[0];
  const enrolled = userId ? (await db.enrolment.count({ where: { userId, courseId: course.id } })) > 0 : false;
  return { id: course.id, enrolled, slug: course.slug, versionNumber: version.number, meta: version.meta as CourseMeta, modules: version.modules.map((m) => ({ ...m, title: m.title as LocalisedText, meta: m.meta as { summary?: LocalisedText; outcomes?: string[] }, items: m.items.map((i) => ({ ...i, title: i.title as LocalisedText })) })) };
}
