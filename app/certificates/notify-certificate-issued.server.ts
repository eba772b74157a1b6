import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { formatCalendarDay, isLocale, pick } from "~/i18n/index.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { publicUrl } from "~/utils/env.server.ts";

/**
 * Tells the holder their certificate is ready. Called after the completion transaction commits,
 * so a slow or failing mail server never undoes a completion (failures are recorded in EmailMessage).
 */
export async function notifyCertificateIssued({ enrolmentId, clock = systemClock }: { enrolmentId: string; clock?: Clock }) {
  const certificate = await db.certificate.findUnique({
    where: { enrolmentId },
    select: { courseTitle: true, expiresOn: true, holderName: true, userId: true, enrolment: { select: { user: { select: { email: true, locale: true } } } } },
  });
  if (!certificate) return;
  const user = certificate.enrolment.user;
  const locale = isLocale(user.locale) ? user.locale : "sl";
  await sendEmail(
    {
      to: user.email,
      userId: certificate.userId,
      kind: "certificate-issued",
      ...emails.certificateIssued(locale, { name: certificate.holderName, course: pick(certificate.courseTitle as Record<string, string>, locale), expires: formatCalendarDay(certificate.expiresOn, locale), url: publicUrl("/me/certificates") }),
    },
    clock,
  );
}
