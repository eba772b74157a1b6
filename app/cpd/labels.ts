import { csvNumber, toCsv } from "~/utils/csv.ts";
import { formatCertificateCode } from "../certificates/code.ts";
import { formatCalendarDay, type Locale, pick, type Translate } from "../i18n/index.ts";
import type { Period } from "./period.ts";

// Words and numbers shared by the transcript page, its PDF and its CSV. Pure.

export function formatCredits(value: number, locale: Locale) {
  return new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB", { maximumFractionDigits: 2 }).format(value);
}

export function describePeriod(period: Period, t: Translate, locale: Locale) {
  const from = period.from ? formatCalendarDay(period.from, locale) : null;
  const to = period.to ? formatCalendarDay(period.to, locale) : null;
  if (from && to) return t("cpd.periodBetween", { from, to });
  if (from) return t("cpd.periodFrom", { from });
  if (to) return t("cpd.periodUntil", { to });
  return t("cpd.periodAll");
}

/** The query string of a period, for links to the same period's PDF and CSV. */
export function periodSearch(period: Period) {
  return `?${new URLSearchParams({ from: period.from ?? "", to: period.to ?? "" })}`;
}

type TranscriptRows = {
  entries: ReadonlyArray<{ code: string; courseTitle: Record<string, string>; issuerName: string; issuedOn: string; expiresOn: string; credits: number; category: Record<string, string>; state: string; counted: boolean; verifyUrl: string }>;
};

/** One row per certificate; dates as YYYY-MM-DD, which every spreadsheet reads as a date. */
export function transcriptCsv(transcript: TranscriptRows, t: Translate, locale: Locale) {
  const header = [t("cpd.course"), t("certificate.issuer"), t("certificate.issued"), t("certificate.validUntil"), t("cpd.credits"), t("cpd.category"), t("cpd.state"), t("cpd.counted"), t("certificate.code"), t("cpd.verification")];
  const rows = transcript.entries.map((entry) => [
    pick(entry.courseTitle, locale),
    entry.issuerName,
    entry.issuedOn,
    entry.expiresOn,
    csvNumber(entry.credits, locale),
    pick(entry.category, locale),
    t(`check.state.${entry.state}`),
    t(entry.counted ? "cpd.yes" : "cpd.no"),
    formatCertificateCode(entry.code),
    entry.verifyUrl,
  ]);
  return toCsv([header, ...rows]);
}
