import { z } from "zod";
import { formatCertificateCode } from "~/certificates/code.ts";
import { localDate } from "~/certificates/expiry.ts";
import type { CourseMeta } from "~/domain/catalogue.server.ts";
import { scopeUserWhere } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import { type Locale, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { csvNumber, toCsv } from "~/utils/csv.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { addDays, isInPeriod, PeriodQuerySchema, periodProblem } from "./period.ts";
import { roundCredits } from "./totals.ts";

const AttendeeQuerySchema = z.object({ course: z.string().trim().min(1, "attendees.unknownCourse").max(64, "attendees.unknownCourse") });
export type AttendeeQuery = { course?: string; from?: string; to?: string };

/** Courses this organisation has issued certificates for: the ones an attendance list can be made of. */
export async function listAttendeeCourses({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const courses = await db.course.findMany({
    where: { enrolments: { some: { organisationId, certificate: { isNot: null }, user: scopeUserWhere(scope, organisationId) } } },
    select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { meta: true } } },
    orderBy: { createdAt: "asc" },
  });
  return courses.map((course) => ({ slug: course.slug, title: (course.versions[0]?.meta as CourseMeta | undefined)?.title ?? { en: course.slug } }));
}

/**
 * Who completed a course in a period, for a professional chamber: certificates this organisation
 * issued (never another's), revoked ones left out. Organisers of the organisation and admins only;
 * everyone else learns nothing (404 outside the organisation, 403 inside it).
 */
export async function listCourseAttendees({ actor, organisationId, query }: { actor: Actor; organisationId: string; query: AttendeeQuery }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const parsedCourse = AttendeeQuerySchema.safeParse(query);
  if (!parsedCourse.success) throw new DomainError("INVALID", "attendees.unknownCourse", "course");
  const parsedPeriod = PeriodQuerySchema.safeParse({ from: query.from, to: query.to });
  if (!parsedPeriod.success) {
    const { messageKey, field } = periodProblem(parsedPeriod.error);
    throw new DomainError("INVALID", messageKey, field);
  }
  const period = { from: parsedPeriod.data.from ?? null, to: parsedPeriod.data.to ?? null };
  const course = await db.course.findUnique({ where: { slug: parsedCourse.data.course }, select: { id: true } });
  if (!course) throw new DomainError("INVALID", "attendees.unknownCourse", "course");
  // Completion days are local to the certificate's time zone: query a day wider, then filter exactly.
  const rows = await db.certificate.findMany({
    where: {
      organisationId,
      courseId: course.id,
      revokedAt: null,
      // A department organiser's list: their departments' people only.
      enrolment: { user: scopeUserWhere(scope, organisationId) },
      issuedAt: { ...(period.from ? { gte: new Date(`${addDays(period.from, -1)}T00:00:00Z`) } : {}), ...(period.to ? { lt: new Date(`${addDays(period.to, 2)}T00:00:00Z`) } : {}) },
    },
    orderBy: [{ issuedAt: "asc" }, { holderName: "asc" }],
    select: { code: true, holderName: true, holderWithdrawnAt: true, issuedAt: true, timeZone: true, cpdCredits: true, enrolment: { select: { user: { select: { licenceNumber: true, profession: true } } } } },
    take: 10_000,
  });
  return rows
    .map((row) => ({
      name: row.holderName,
      /** the holder deleted their account: counted, but without a name */
      withdrawn: Boolean(row.holderWithdrawnAt),
      licenceNumber: row.enrolment.user.licenceNumber,
      profession: row.enrolment.user.profession,
      completedOn: localDate(row.issuedAt, row.timeZone),
      credits: roundCredits(row.cpdCredits),
      code: row.code,
    }))
    .filter((row) => isInPeriod(row.completedOn, period));
}

export async function attendeesCsvFile({ actor, organisationId, query, locale, clock = systemClock }: { actor: Actor; organisationId: string; query: AttendeeQuery; locale: Locale; clock?: Clock }) {
  const attendees = await listCourseAttendees({ actor, organisationId, query });
  const t = translator(locale);
  const header = [t("field.name"), t("cpd.licence"), t("field.profession"), t("attendees.completedOn"), t("cpd.credits"), t("certificate.code")];
  const rows = attendees.map((a) => [a.withdrawn ? t("check.holderWithdrawn") : a.name, a.licenceNumber, t(`profession.${a.profession}`), a.completedOn, csvNumber(a.credits, locale), formatCertificateCode(a.code)]);
  return { body: toCsv([header, ...rows]), filename: `opora-attendees-${query.course?.trim()}-${localDate(clock.now(), "Europe/Ljubljana")}.csv`, count: attendees.length };
}
