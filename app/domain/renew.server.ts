import { EXPIRY_MILESTONES } from "~/certificates/notices.server.ts";
import { addDays, localDate } from "~/certificates/expiry.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { recordAudit } from "./audit.server.ts";

/** Renewal opens with the first expiry reminder and stays open after expiry. */
export const RENEWAL_OPENS_DAYS_BEFORE = EXPIRY_MILESTONES[0];

/** The holder's current certificate of a course (the newest not revoked nor superseded), if any. */
async function currentCertificate(userId: string, courseId: string) {
  return db.certificate.findFirst({
    where: { userId, courseId, revokedAt: null, supersededAt: null },
    orderBy: { issuedAt: "desc" },
    select: { id: true, code: true, expiresOn: true, timeZone: true, organisationId: true },
  });
}

/** Whether the learner may renew now, and from when: for the course page and My certificates. */
export async function renewalStatus({ actor, courseId, clock = systemClock }: { actor: Actor; courseId: string; clock?: Clock }) {
  const certificate = await currentCertificate(actor.id, courseId);
  if (!certificate) return null;
  const opensOn = addDays(certificate.expiresOn, -RENEWAL_OPENS_DAYS_BEFORE);
  const today = localDate(clock.now(), certificate.timeZone);
  const inProgress = await db.enrolment.findFirst({ where: { userId: actor.id, courseId, kind: "RENEWAL", renewsCertificateId: certificate.id, completedAt: null }, select: { id: true } });
  return { certificateCode: certificate.code, expiresOn: certificate.expiresOn, expired: today >= certificate.expiresOn, opensOn, open: today >= opensOn, inProgress: Boolean(inProgress) };
}

/**
 * Starts renewing the holder's current certificate of a course: a new enrolment (next cycle) in the
 * newest published version, which requires only the course's recertification path. Passing it
 * issues a new certificate that supersedes this one; the history stays. Starting twice returns the
 * renewal already under way.
 */
export async function startRenewal({ actor, slug, clock = systemClock }: { actor: Actor; slug: string; clock?: Clock }) {
  const course = await db.course.findFirst({
    where: { slug, enrolments: { some: { userId: actor.id } } },
    select: { id: true, versions: { where: { publishedAt: { not: null } }, orderBy: { number: "desc" }, take: 1, select: { id: true } } },
  });
  if (!course?.versions[0]) throw new DomainError("NOT_FOUND", "errors.notFound");
  const certificate = await currentCertificate(actor.id, course.id);
  if (!certificate) throw new DomainError("CONFLICT", "renew.noCertificate");
  const now = clock.now();
  if (localDate(now, certificate.timeZone) < addDays(certificate.expiresOn, -RENEWAL_OPENS_DAYS_BEFORE)) throw new DomainError("CONFLICT", "renew.notYet");
  const latest = await db.enrolment.findFirstOrThrow({ where: { userId: actor.id, courseId: course.id }, orderBy: { cycle: "desc" }, select: { id: true, cycle: true, kind: true, renewsCertificateId: true, completedAt: true } });
  if (latest.kind === "RENEWAL" && latest.renewsCertificateId === certificate.id && !latest.completedAt) return { id: latest.id, created: false };
  const membership = await db.membership.findFirst({ where: { userId: actor.id, endedAt: null }, orderBy: { createdAt: "asc" }, select: { organisationId: true } });
  try {
    return await db.$transaction(async (tx) => {
      const enrolment = await tx.enrolment.create({
        data: {
          userId: actor.id,
          courseId: course.id,
          cycle: latest.cycle + 1,
          kind: "RENEWAL",
          renewsCertificateId: certificate.id,
          courseVersionId: course.versions[0].id,
          source: "SELF",
          organisationId: membership?.organisationId ?? certificate.organisationId,
          createdAt: now,
        },
        select: { id: true },
      });
      await recordAudit(tx, { actorId: actor.id, organisationId: membership?.organisationId ?? null, action: "certificate.renewal-start", subjectType: "Enrolment", subjectId: enrolment.id, subjectUserId: actor.id, data: { certificate: certificate.code }, at: now });
      return { id: enrolment.id, created: true };
    });
  } catch (error) {
    // A double click: the other request created the next cycle first.
    if ((error as { code?: string }).code === "P2002") {
      const existing = await db.enrolment.findFirstOrThrow({ where: { userId: actor.id, courseId: course.id, cycle: latest.cycle + 1 }, select: { id: true } });
      return { id: existing.id, created: false };
    }
    throw error;
  }
}
