import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { isLocale, pick } from "~/i18n/index.ts";
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
  const expires = new Intl.DateTimeFormat(locale === "sl" ? "sl-SI" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${certificate.expiresOn}T12:00:00Z`));
  await sendEmail(
    {
      to: user.email,
      userId: certificate.userId,
      kind: "certificate-issued",
      ...emails.certificateIssued(locale, { name: certificate.holderName, course: pick(certificate.courseTitle as Record<string, string>, locale), expires, url: publicUrl("/me/certificates") }),
    },
    clock,
  );
}
