import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "~/utils/db.server.ts";
import { sqlRows } from "~/utils/sql.server.ts";

export type CourseTitle = { id: string; slug: string; title: Record<string, string> };

/**
 * Courses with their titles from each one's newest version, by slug (the slug stands in for a course
 * with no title yet). Only the title is read out of the version's metadata, which can run to
 * hundreds of kilobytes.
 */
export async function courseTitles(where: Prisma.Sql): Promise<CourseTitle[]> {
  const rows = await sqlRows<{ id: string; slug: string; title: Record<string, string> | null }>(
    db.pool,
    Prisma.sql`SELECT c.id, c.slug, (SELECT v.meta -> 'title' FROM "CourseVersion" v WHERE v."courseId" = c.id ORDER BY v.number DESC LIMIT 1) AS title
      FROM "Course" c WHERE ${where} ORDER BY c.slug`,
  );
  return rows.map((row) => ({ id: row.id, slug: row.slug, title: row.title ?? { sl: row.slug, en: row.slug } }));
}
