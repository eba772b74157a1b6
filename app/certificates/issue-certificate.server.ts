import type { CourseMeta } from "~/domain/catalogue.server.ts";
import { newRowId, type SqlOn, sqlRow, sqlRows } from "~/utils/sql.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { newCertificateCode } from "./code.ts";
import { expiryDate } from "./expiry.ts";

const DEFAULT_TIME_ZONE = "Europe/Ljubljana";

/**
 * Issues the certificate of a just-completed enrolment, inside the completion transaction. The
 * unique index on enrolmentId makes a second issue impossible; callers only reach this once per
 * enrolment anyway (completeIfDone sets completedAt once). A previous cycle's certificate of the
 * same course is marked superseded by the new one. Two statements of plain SQL: what the
 * certificate says, then the certificate written with the previous one superseded.
 */
export async function issueCertificate(on: SqlOn, { enrolmentId, now }: { enrolmentId: string; now: Date }) {
  const enrolment = await sqlRow<{ userId: string; courseId: string; holderName: string; organisationId: string | null; organisationName: string | null; timeZone: string | null; versionId: string; versionNumber: number; meta: CourseMeta }>(on, Prisma.sql`
    SELECT e."userId", e."courseId", u.name AS "holderName", o.id AS "organisationId", o.name AS "organisationName", o."timeZone",
      v.id AS "versionId", v.number AS "versionNumber", v.meta
    FROM "Enrolment" e JOIN "User" u ON u.id = e."userId" JOIN "CourseVersion" v ON v.id = e."courseVersionId"
    LEFT JOIN "Organisation" o ON o.id = e."organisationId"
    WHERE e.id = ${enrolmentId}`);
  if (!enrolment) throw new Error(`issueCertificate: no enrolment ${enrolmentId}`);
  const { meta } = enrolment;
  const timeZone = enrolment.timeZone ?? DEFAULT_TIME_ZONE;
  // The id ties the snapshot to a CPD scheme category (app/cpd); certificates from before it have none.
  const cpdCategory = meta.cpd.categoryId ? { ...meta.cpd.category, id: meta.cpd.categoryId } : meta.cpd.category;
  const [certificate] = await sqlRows<{ id: string; code: string }>(on, Prisma.sql`
    WITH previous AS (
      SELECT id FROM "Certificate"
      WHERE "userId" = ${enrolment.userId} AND "courseId" = ${enrolment.courseId} AND "supersededAt" IS NULL AND "revokedAt" IS NULL AND "enrolmentId" <> ${enrolmentId}
      ORDER BY "issuedAt" DESC LIMIT 1
    ), superseded AS (
      UPDATE "Certificate" SET "supersededAt" = ${now}::timestamp WHERE id IN (SELECT id FROM previous)
    )
    INSERT INTO "Certificate" (id, code, "enrolmentId", "userId", "courseId", "courseVersionId", "organisationId", "holderName", "courseTitle",
      "courseVersion", "issuerName", "timeZone", "issuedAt", "expiresOn", "cpdCredits", "cpdCategory", "supersedesId")
    VALUES (${newRowId()}, ${newCertificateCode()}, ${enrolmentId}, ${enrolment.userId}, ${enrolment.courseId}, ${enrolment.versionId}, ${enrolment.organisationId},
      ${enrolment.holderName}, ${JSON.stringify(meta.title)}::jsonb, ${enrolment.versionNumber}, ${enrolment.organisationName ?? "Opora"}, ${timeZone},
      ${now}::timestamp, ${expiryDate(now, meta.validityMonths, timeZone)}, ${meta.cpd.credits}, ${JSON.stringify(cpdCategory)}::jsonb, (SELECT id FROM previous))
    RETURNING id, code`);
  return certificate;
}
