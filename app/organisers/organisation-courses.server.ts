import { db } from "~/utils/db.server.ts";
import { COURSE_TITLE_SELECT, courseTitleOf } from "./course-title.ts";

/** The courses an organisation's people are enrolled in, by slug: what its reports can be about. */
export async function organisationCourses(organisationId: string) {
  const courses = await db.course.findMany({ where: { enrolments: { some: { organisationId } } }, orderBy: { slug: "asc" }, select: COURSE_TITLE_SELECT });
  return courses.map((course) => ({ id: course.id, slug: course.slug, title: courseTitleOf(course) }));
}
