// Certificate dates are calendar dates in the issuing organisation's time zone, not instants.

// One formatter per time zone: building one costs ten times more than using it. Exports call this
// four times a row, so the date of each UTC hour is remembered too: when an hour's first and last
// millisecond fall on the same local day (every hour but those holding a zone's midnight at a
// half- or quarter-hour offset), every instant in it does.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const HOUR = 3_600_000;
const hourDates = new Map<string, Map<number, string | null>>();

function formatDay(ms: number, timeZone: string) {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(ms);
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string) {
  const ms = instant.getTime();
  const hour = Math.floor(ms / HOUR);
  let hours = hourDates.get(timeZone);
  if (!hours) {
    hours = new Map();
    hourDates.set(timeZone, hours);
  }
  let day = hours.get(hour);
  if (day === undefined) {
    const first = formatDay(hour * HOUR, timeZone);
    day = first === formatDay(hour * HOUR + HOUR - 1, timeZone) ? first : null;
    if (hours.size >= 100_000) hours.clear();
    hours.set(hour, day);
  }
  return day ?? formatDay(ms, timeZone);
}

/**
 * The expiry date: the same calendar day `months` later; when that month is shorter, its last day
 * (issued 31 August with 6 months' validity → 28 or 29 February). The certificate is valid up to
 * and including the day before.
 */
export function addMonthsClamped(date: string, months: number) {
  const [year, month, day] = date.split("-").map(Number);
  const targetMonthIndex = month - 1 + months;
  const targetYear = year + Math.floor(targetMonthIndex / 12);
  const targetMonth = ((targetMonthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return `${targetYear}-${String(targetMonth + 1).padStart(2, "0")}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
}

export function expiryDate(issuedAt: Date, validityMonths: number, timeZone: string) {
  return addMonthsClamped(localDate(issuedAt, timeZone), validityMonths);
}

export type CertificateState = "valid" | "expiring" | "expired" | "revoked" | "superseded";

/** Valid, expiring within `soonDays`, expired (from the expiry date on, local time), revoked or superseded. */
export function certificateState(certificate: { expiresOn: string; revokedAt: Date | null; supersededAt: Date | null }, now: Date, timeZone: string, soonDays = 30): CertificateState {
  if (certificate.revokedAt) return "revoked";
  if (certificate.supersededAt) return "superseded";
  const today = localDate(now, timeZone);
  if (today >= certificate.expiresOn) return "expired";
  // Calendar days, not 24-hour steps: a window across a daylight-saving change stays exact.
  return addDays(today, soonDays) >= certificate.expiresOn ? "expiring" : "valid";
}

/** A calendar date `days` later (or earlier). */
export function addDays(date: string, days: number) {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 864e5);
}
