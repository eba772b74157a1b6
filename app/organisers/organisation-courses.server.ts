import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { sqlRow } from "~/utils/sql.server.ts";
import { courseTitles } from "./course-title.server.ts";

/** The courses an organisation's people are enrolled in, by slug: what its reports can be about. */
export function organisationCourses(organisationId: string) {
  return courseTitles(Prisma.sql`EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."organisationId" = ${organisationId} AND e."courseId" = c.id)`);
}

export type OrganisationWithDepartments = { id: string; name: string; timeZone: string; departments: Array<{ id: string; name: string }> };

/** The organisation at the head of its organisers' pages, with its departments by name (one statement). */
export async function organisationWithDepartments(organisationId: string): Promise<OrganisationWithDepartments> {
  const organisation = await sqlRow<OrganisationWithDepartments>(
    db.pool,
    Prisma.sql`SELECT o.id, o.name, o."timeZone",
        COALESCE((SELECT json_agg(json_build_object('id', d.id, 'name', d.name) ORDER BY d.name) FROM "Department" d WHERE d."organisationId" = o.id), '[]') AS departments
      FROM "Organisation" o WHERE o.id = ${organisationId}`,
  );
  if (!organisation) throw new DomainError("NOT_FOUND", "errors.notFound");
  return organisation;
}
