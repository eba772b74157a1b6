import type { PublicCertificate } from "~/certificates/certificates.server.ts";
import { formatCertificateCode } from "~/certificates/code.ts";
import { formatCalendarDay, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";

const STATE_STYLES: Record<string, string> = {
  valid: "bg-emerald-100 text-emerald-900",
  expiring: "bg-amber-100 text-amber-900",
  expired: "bg-slate-200 text-slate-900",
  revoked: "bg-red-100 text-red-900",
  superseded: "bg-slate-200 text-slate-900",
};

export function CertificateStateBadge({ state }: { state: string }) {
  const t = useT();
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${STATE_STYLES[state]}`}>{t(`check.state.${state}`)}</span>;
}

/** What a certificate says: the same on the holder's list and the public verification page. */
export function CertificateDetails({ certificate }: { certificate: PublicCertificate }) {
  const t = useT();
  const locale = useLocale();
  return (
    <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[12rem_1fr]">
      <dt className="font-medium text-slate-600">{t("check.holder")}</dt>
      <dd className="font-semibold">{certificate.holderWithdrawn ? <span className="font-normal italic">{t("check.holderWithdrawn")}</span> : certificate.holderName}</dd>
      <dt className="font-medium text-slate-600">{t("check.course")}</dt>
      <dd>
        {pick(certificate.courseTitle, locale)} <span className="text-sm text-slate-600">({t("certificate.version", { version: certificate.courseVersion })})</span>
      </dd>
      <dt className="font-medium text-slate-600">{t("certificate.issuer")}</dt>
      <dd>{certificate.issuer}</dd>
      <dt className="font-medium text-slate-600">{t("certificate.issued")}</dt>
      <dd>{formatCalendarDay(certificate.issuedOn, locale)}</dd>
      <dt className="font-medium text-slate-600">{t("certificate.validUntil")}</dt>
      <dd>{formatCalendarDay(certificate.expiresOn, locale)}</dd>
      <dt className="font-medium text-slate-600">{t("certificate.cpd")}</dt>
      <dd>
        {certificate.cpdCredits} · {pick(certificate.cpdCategory, locale)}
      </dd>
      <dt className="font-medium text-slate-600">{t("certificate.code")}</dt>
      <dd className="font-mono">{formatCertificateCode(certificate.code)}</dd>
      {certificate.reissuedOn ? (
        <>
          <dt className="font-medium text-slate-600">{t("check.reissued")}</dt>
          <dd>{formatCalendarDay(certificate.reissuedOn, locale)}</dd>
        </>
      ) : null}
      {certificate.revocationReason ? (
        <>
          <dt className="font-medium text-slate-600">{t("check.revokedReason")}</dt>
          <dd>{certificate.revocationReason}</dd>
        </>
      ) : null}
    </dl>
  );
}
