import { z } from "zod";
import { addMonthsClamped } from "../certificates/expiry.ts";

// Periods are calendar days (YYYY-MM-DD), inclusive at both ends; null is an open end.

export type Period = { from: string | null; to: string | null };

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(value: string) {
  if (!DAY_PATTERN.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function addDays(day: string, days: number) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A licence period that began on `startsOn`: `years` later, the day before the same date. */
export function licencePeriod(startsOn: string, years: number | undefined): Period {
  return { from: startsOn, to: years ? addDays(addMonthsClamped(startsOn, years * 12), -1) : null };
}

export function isInPeriod(day: string, period: Period) {
  return (period.from === null || day >= period.from) && (period.to === null || day <= period.to);
}

/** "" (an emptied date field) is an open end; anything else must be a calendar day. */
const OptionalDaySchema = z
  .string()
  .trim()
  .transform((value) => (value === "" ? null : value))
  .refine((value) => value === null || isCalendarDay(value), "cpd.invalidDate");

/**
 * `?from=&to=` of the transcript and attendee list. A missing parameter stays undefined, so callers
 * can tell "not chosen" (use the default period) from "emptied" (open end).
 */
export const PeriodQuerySchema = z
  .object({ from: OptionalDaySchema.optional(), to: OptionalDaySchema.optional() })
  .refine((period) => !period.from || !period.to || period.from <= period.to, { message: "cpd.periodOrder", path: ["to"] });
export type PeriodQuery = z.input<typeof PeriodQuerySchema>;

/** The query's first problem as an i18n key and the field it concerns. */
export function periodProblem(error: z.ZodError) {
  const issue = error.issues[0];
  return { messageKey: issue?.message ?? "cpd.invalidDate", field: String(issue?.path[0] ?? "from") };
}

/** Query parameters as the schema takes them: absent ones undefined. */
export function periodQueryFrom(searchParams: URLSearchParams): PeriodQuery {
  return { from: searchParams.get("from") ?? undefined, to: searchParams.get("to") ?? undefined };
}
