/** A course's title from its newest version's metadata (the slug when it has none yet). */
export function courseTitleOf(course: { slug: string; versions: Array<{ meta: unknown }> }): Record<string, string> {
  return (course.versions[0]?.meta as { title?: Record<string, string> } | undefined)?.title ?? { sl: course.slug, en: course.slug };
}

/** The select that courseTitleOf needs. */
export const COURSE_TITLE_SELECT = { id: true, slug: true, versions: { orderBy: { number: "desc" as const }, take: 1, select: { meta: true } } };
