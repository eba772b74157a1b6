import { z } from "zod";
import { isCalendarDay } from "./period.ts";

// The transcript page's target form. Messages are i18n keys. Which scheme ids exist and whether the
// date lies in the future are checked by setCpdTarget, which knows the schemes and the clock.

export const TARGET_CREDITS_MIN = 1;
export const TARGET_CREDITS_MAX = 1000;

export const CpdTargetSchema = z.object({
  intent: z.literal("target"),
  schemeId: z.string().trim().max(64, "validation.tooLong").default(""),
  periodStartsOn: z
    .string()
    .trim()
    .default("")
    .refine((value) => value === "" || isCalendarDay(value), "cpd.invalidDate"),
  // A decimal comma is what Slovene users type.
  targetCredits: z
    .string()
    .trim()
    .default("")
    .transform((value) => (value === "" ? null : Number(value.replace(",", "."))))
    .refine((value) => value === null || (Number.isFinite(value) && value >= TARGET_CREDITS_MIN && value <= TARGET_CREDITS_MAX), "cpd.targetRange"),
});
