// Certificate dates are calendar dates in the issuing organisation's time zone, not instants.

// Exports call this four times a row, so formatting each instant is too slow. Offsets from UTC
// change at most once a day (daylight saving), so per UTC day the offset at its first and last
// millisecond is remembered: when they agree, the local date is plain arithmetic; on the day of a
// change, the instant is formatted.
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const DAY = 86_400_000;
const dayOffsets = new Map<string, Map<number, number | null>>();

/** Minutes east of UTC in a time zone at an instant. */
function offsetMinutes(ms: number, timeZone: string) {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    offsetFormatters.set(timeZone, formatter);
  }
  const part = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  const local = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute);
  return Math.round((local - (ms - (ms % 60_000))) / 60_000);
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string) {
  const ms = instant.getTime();
  const day = Math.floor(ms / DAY);
  let days = dayOffsets.get(timeZone);
  if (!days) {
    days = new Map();
    dayOffsets.set(timeZone, days);
  }
  let offset = days.get(day);
  if (offset === undefined) {
    const first = offsetMinutes(day * DAY, timeZone);
    offset = first === offsetMinutes(day * DAY + DAY - 1, timeZone) ? first : null;
    if (days.size >= 100_000) days.clear();
    days.set(day, offset);
  }
  if (offset !== null) return isoDay(ms + offset * 60_000);
  // The day the offset changes: work it out for this instant.
  return isoDay(ms + offsetMinutes(ms, timeZone) * 60_000);
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
