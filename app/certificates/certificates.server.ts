import { systemClock, type Clock } from "~/utils/clock.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { actsForOrganisation } from "~/domain/organisations.server.ts";
import { recordRecordAccess } from "~/privacy/record-access.server.ts";
import { beginAttempt } from "~/utils/throttle.server.ts";
import { type Locale, translator } from "~/i18n/index.ts";
import { parseCertificateCode } from "./code.ts";
import { certificateState, localDate } from "./expiry.ts";
import { renderCertificatePdf } from "./render-pdf.server.ts";

const PUBLIC_FIELDS = { code: true, holderName: true, courseTitle: true, courseVersion: true, issuerName: true, issuedAt: true, expiresOn: true, timeZone: true, cpdCredits: true, cpdCategory: true, revokedAt: true, revocationReason: true, supersededAt: true, holderWithdrawnAt: true, reissuedAt: true } as const;
type PublicRow = { code: string; holderName: string; courseTitle: unknown; courseVersion: number; issuerName: string; issuedAt: Date; expiresOn: string; timeZone: string; cpdCredits: number; cpdCategory: unknown; revokedAt: Date | null; revocationReason: string | null; supersededAt: Date | null; holderWithdrawnAt: Date | null; reissuedAt: Date | null };

function publicView(row: PublicRow, now: Date) {
  return {
    code: row.code,
    state: certificateState(row, now, row.timeZone),
    holderName: row.holderName,
    /** the holder deleted their account: the certificate verifies, without a name */
    holderWithdrawn: Boolean(row.holderWithdrawnAt),
    reissuedOn: row.reissuedAt ? localDate(row.reissuedAt, row.timeZone) : null,
    courseTitle: row.courseTitle as Record<string, string>,
    courseVersion: row.courseVersion,
    issuer: row.issuerName,
    issuedOn: localDate(row.issuedAt, row.timeZone),
    expiresOn: row.expiresOn,
    cpdCredits: row.cpdCredits,
    cpdCategory: row.cpdCategory as Record<string, string>,
    revocationReason: row.revokedAt ? row.revocationReason : null,
    verifyUrl: publicUrl(`/verify/${row.code}`),
  };
}
export type PublicCertificate = ReturnType<typeof publicView>;

/** The PDF of a stored certificate as its holder would download it. */
export function renderStoredCertificate(row: PublicRow, locale: Locale, now: Date) {
  const view = publicView(row, now);
  const holderName = view.holderWithdrawn ? translator(locale)("check.holderWithdrawn") : view.holderName;
  return renderCertificatePdf({ ...view, holderName, issuerName: view.issuer, issuedOn: view.issuedOn }, locale);
}
export const CERTIFICATE_PUBLIC_FIELDS = PUBLIC_FIELDS;

// Unknown codes per client: a hospital checking many real certificates is never slowed (valid
// look-ups leave nothing counted); someone trying codes is, long before guessing could succeed.
const UNKNOWN_LIMITS = [{ scope: "client", max: 20, windowMs: 10 * 60_000 }];

/** Public verification: what anyone may see of a certificate, and nothing else personal. */
export async function verifyCertificate({ input, clientIp, clock = systemClock }: { input: string; clientIp: string; clock?: Clock }) {
  const keys = { client: `verify:${clientIp}` };
  const attempt = await beginAttempt(keys, UNKNOWN_LIMITS, clock);
  if (!attempt) throw new DomainError("TOO_MANY_REQUESTS", "check.throttled");
  const code = parseCertificateCode(input);
  const row = code ? await db.certificate.findUnique({ where: { code }, select: PUBLIC_FIELDS }) : null;
  if (!row) throw new DomainError("NOT_FOUND", "check.unknown");
  await attempt.forget();
  return publicView(row, clock.now());
}

export async function listMyCertificates({ actor, clock = systemClock }: { actor: Actor; clock?: Clock }) {
  const rows = await db.certificate.findMany({ where: { userId: actor.id }, orderBy: { issuedAt: "desc" }, select: PUBLIC_FIELDS });
  return rows.map((row) => publicView(row, clock.now()));
}

/**
 * The PDF, for its holder, an organiser of the issuing organisation or an admin. Someone else's
 * download is logged for the holder to see ("Who has seen my record"), at most hourly.
 */
export async function certificatePdf({ actor, code, locale, clock = systemClock }: { actor: Actor; code: string; locale: Locale; clock?: Clock }) {
  const parsed = parseCertificateCode(code);
  const row = parsed ? await db.certificate.findUnique({ where: { code: parsed }, select: { ...PUBLIC_FIELDS, id: true, userId: true, organisationId: true } }) : null;
  if (!row) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (row.userId !== actor.id && !(await actsForOrganisation(actor, row.organisationId, row.userId))) throw new DomainError("NOT_FOUND", "errors.notFound");
  await recordRecordAccess({ actor, subjectUserId: row.userId, organisationId: row.organisationId, action: "certificate.pdf", subjectType: "Certificate", subjectId: row.id, clock });
  return { bytes: await renderStoredCertificate(row, locale, clock.now()), filename: `opora-certificate-${row.code}.pdf` };
}
