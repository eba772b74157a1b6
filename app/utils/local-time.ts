// Calendar days in a time zone as instants, with Intl only. A local day is not always 24 hours
// long: in Europe/Ljubljana 29 March 2026 has 23 and 25 October 2026 has 25, so "the end of the
// due day" cannot be midnight UTC plus an offset taken on some other day.

const DAY_MS = 864e5;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for an unknown zone, which is what a caller with a bad zone should get.
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading of an instant in a time zone, written as if it were a UTC time (ms). */
function wallClock(instant: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const milliseconds = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + milliseconds;
}

function offsetAt(instant: number, timeZone: string) {
  return wallClock(instant, timeZone) - instant;
}

/**
 * The first instant at which a time zone's clocks read `wall` (a wall-clock time written as UTC
 * ms). A reading that happens twice (clocks going back) gives the earlier instant; one that never
 * happens (clocks jumping forward over it) gives the instant of the jump, the first moment after.
 */
function firstInstantAt(wall: number, timeZone: string) {
  // Offsets a day either side cover any single transition around `wall`.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const matches = [...new Set([before, after])].map((offset) => wall - offset).filter((instant) => wallClock(instant, timeZone) === wall);
  if (matches.length) return Math.min(...matches);
  // In the gap: find the jump, the first instant whose reading is at or past `wall`.
  let low = wall - Math.max(before, after);
  let high = wall - Math.min(before, after);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (wallClock(middle, timeZone) >= wall) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Midnight UTC of a YYYY-MM-DD calendar date; throws for anything that is not a real date. */
function calendarDay(date: string) {
  const match = DATE_PATTERN.exec(date);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return day;
}

/** The instant a calendar day (YYYY-MM-DD) begins in a time zone: local midnight, or the first moment after it when clocks skip midnight. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return new Date(firstInstantAt(calendarDay(date), timeZone));
}

/**
 * The last millisecond of a calendar day in a time zone (one before the next day begins), e.g. a
 * due date: anything at or before it is on time, anything after is late.
 */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return new Date(firstInstantAt(calendarDay(date) + DAY_MS, timeZone) - 1);
}

