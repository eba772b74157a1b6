import type { CourseMeta } from "~/domain/catalogue.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import { newCertificateCode } from "./code.ts";
import { expiryDate } from "./expiry.ts";

const DEFAULT_TIME_ZONE = "Europe/Ljubljana";

/**
 * Issues the certificate of a just-completed enrolment, inside the completion transaction. The
 * unique index on enrolmentId makes a second issue impossible; callers only reach this once per
 * enrolment anyway (completeIfDone sets completedAt once). A previous cycle's certificate of the
 * same course is marked superseded by the new one.
 */
export async function issueCertificate(tx: Tx, { enrolmentId, now }: { enrolmentId: string; now: Date }) {
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { id: enrolmentId },
    select: {
      userId: true,
      courseId: true,
      cycle: true,
      user: { select: { name: true } },
      organisation: { select: { id: true, name: true, timeZone: true } },
      courseVersion: { select: { id: true, number: true, meta: true } },
    },
  });
  const meta = enrolment.courseVersion.meta as CourseMeta;
  const timeZone = enrolment.organisation?.timeZone ?? DEFAULT_TIME_ZONE;
  const previous = await tx.certificate.findFirst({
    where: { userId: enrolment.userId, courseId: enrolment.courseId, supersededAt: null, revokedAt: null, enrolmentId: { not: enrolmentId } },
    orderBy: { issuedAt: "desc" },
    select: { id: true },
  });
  if (previous) await tx.certificate.update({ where: { id: previous.id }, data: { supersededAt: now } });
  return tx.certificate.create({
    data: {
      code: newCertificateCode(),
      enrolmentId,
      userId: enrolment.userId,
      courseId: enrolment.courseId,
      courseVersionId: enrolment.courseVersion.id,
      organisationId: enrolment.organisation?.id ?? null,
      holderName: enrolment.user.name,
      courseTitle: meta.title as object,
      courseVersion: enrolment.courseVersion.number,
      issuerName: enrolment.organisation?.name ?? "Opora",
      timeZone,
      issuedAt: now,
      expiresOn: expiryDate(now, meta.validityMonths, timeZone),
      cpdCredits: meta.cpd.credits,
      // The id ties the snapshot to a CPD scheme category (app/cpd); certificates from before it have none.
      cpdCategory: (meta.cpd.categoryId ? { ...meta.cpd.category, id: meta.cpd.categoryId } : meta.cpd.category) as object,
      supersedesId: previous?.id ?? null,
    },
    select: { id: true, code: true },
  });
}
