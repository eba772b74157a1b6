import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { formatCalendarDay, isLocale, pick } from "~/i18n/index.ts";
import { sendOnce, sentNotices } from "~/notifications/ledger.server.ts";
import type { Clock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { addDays, daysBetween, localDate } from "./expiry.ts";

// What Opora tells a certificate holder, each at most once (app/notifications/ledger.server.ts):
// that the certificate is ready, and that it is about to expire or has expired.

/** Days before the expiry date on which the holder is reminded; 0 is the expiry date itself. */
export const EXPIRY_MILESTONES = [60, 30, 7, 0] as const;
/** An "expired" notice more than this many days late is no longer worth sending. */
const EXPIRED_NOTICE_GRACE_DAYS = 30;
/** A "certificate issued" email whose job was lost is still sent by the sweep within this window. */
const ISSUED_CATCH_UP_DAYS = 7;

const holderSelect = { id: true, userId: true, code: true, holderName: true, courseTitle: true, expiresOn: true, timeZone: true, courseId: true } as const;

function recipientOf(userId: string) {
  return db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, locale: true } });
}

/** Tells the holder their certificate is ready (the job queued when a course is completed). */
export async function notifyCertificateIssued({ enrolmentId, clock }: { enrolmentId: string; clock: Clock }) {
  const certificate = await db.certificate.findUnique({ where: { enrolmentId }, select: holderSelect });
  if (!certificate) return "no-certificate" as const;
  return sendIssuedNotice(certificate, clock);
}

async function sendIssuedNotice(certificate: { id: string; userId: string; holderName: string; courseTitle: unknown; expiresOn: string }, clock: Clock) {
  return sendOnce({ userId: certificate.userId, kind: "certificate-issued", subjectId: certificate.id, milestone: "issued" }, clock, async () => {
    const user = await recipientOf(certificate.userId);
    const locale = isLocale(user.locale) ? user.locale : "sl";
    const content = emails.certificateIssued(locale, {
      name: certificate.holderName,
      course: pick(certificate.courseTitle as Record<string, string>, locale),
      expires: formatCalendarDay(certificate.expiresOn, locale),
      url: publicUrl("/me/certificates"),
    });
    return sendEmail({ to: user.email, userId: certificate.userId, kind: "certificate-issued", ...content }, clock);
  });
}

/**
 * The reminder due for a certificate on a given local day: the latest milestone reached, so a
 * sweep after downtime sends the one that matters now rather than every one it missed. Null when
 * none is due (more than 60 days left, or expired too long ago to be news).
 */
export function dueExpiryMilestone(expiresOn: string, today: string): number | null {
  const daysLeft = daysBetween(today, expiresOn);
  if (daysLeft > EXPIRY_MILESTONES[0] || daysLeft < -EXPIRED_NOTICE_GRACE_DAYS) return null;
  const reached = EXPIRY_MILESTONES.filter((milestone) => milestone >= daysLeft);
  return reached.length ? Math.min(...reached) : null;
}

/**
 * One pass over current certificates (not revoked, not superseded) near their expiry date: each
 * gets the reminder due today in its own time zone, once. Returns what it did, for logs and tests.
 */
export async function sendExpiryReminders({ clock }: { clock: Clock }) {
  const now = clock.now();
  // Widen the window by a day each side: the exact cut is made per certificate in its time zone.
  const utcToday = localDate(now, "UTC");
  const candidates = await db.certificate.findMany({
    where: {
      revokedAt: null,
      supersededAt: null,
      holderWithdrawnAt: null,
      expiresOn: { gte: addDays(utcToday, -EXPIRED_NOTICE_GRACE_DAYS - 1), lte: addDays(utcToday, EXPIRY_MILESTONES[0] + 1) },
    },
    select: { ...holderSelect, enrolment: { select: { course: { select: { slug: true } } } } },
    orderBy: { expiresOn: "asc" },
  });
  const outcome = { sent: 0, alreadySent: 0, failed: 0 };
  const due = candidates.flatMap((certificate) => {
    const milestone = dueExpiryMilestone(certificate.expiresOn, localDate(now, certificate.timeZone));
    return milestone === null ? [] : [{ certificate, milestone }];
  });
  const sent = await sentNotices("certificate-expiry", due.map(({ certificate }) => ({ userId: certificate.userId, subjectId: certificate.id })));
  for (const { certificate, milestone } of due) {
    if (sent.has(`${certificate.id}|${milestone}d`)) {
      outcome.alreadySent++;
      continue;
    }
    const result = await sendOnce({ userId: certificate.userId, kind: "certificate-expiry", subjectId: certificate.id, milestone: `${milestone}d` }, clock, async () => {
      const user = await recipientOf(certificate.userId);
      const locale = isLocale(user.locale) ? user.locale : "sl";
      const values = {
        name: certificate.holderName,
        course: pick(certificate.courseTitle as Record<string, string>, locale),
        expires: formatCalendarDay(certificate.expiresOn, locale),
        url: publicUrl(`/courses/${certificate.enrolment.course.slug}`),
      };
      const content = milestone === 0 ? emails.certificateExpired(locale, values) : emails.certificateExpiring(locale, values);
      return sendEmail({ to: user.email, userId: certificate.userId, kind: "certificate-expiry", ...content }, clock);
    });
    outcome[result === "sent" ? "sent" : result === "already-sent" ? "alreadySent" : "failed"]++;
  }
  return outcome;
}

/** "Certificate issued" emails whose job never ran (a crash right after completion) go out late rather than never. */
export async function catchUpIssuedNotices({ clock }: { clock: Clock }) {
  const since = new Date(clock.now().getTime() - ISSUED_CATCH_UP_DAYS * 864e5);
  const recent = await db.certificate.findMany({ where: { issuedAt: { gte: since }, revokedAt: null, holderWithdrawnAt: null }, select: holderSelect });
  const done = await sentNotices("certificate-issued", recent.map((c) => ({ userId: c.userId, subjectId: c.id })));
  let sent = 0;
  for (const certificate of recent.filter((c) => !done.has(`${c.id}|issued`))) {
    if ((await sendIssuedNotice(certificate, clock)) === "sent") sent++;
  }
  return { sent };
}

/** The scheduled sweep: every notice that is due and not yet sent. */
export async function sweepNotices({ clock }: { clock: Clock }) {
  const issued = await catchUpIssuedNotices({ clock });
  const expiry = await sendExpiryReminders({ clock });
  return { issued, expiry };
}
