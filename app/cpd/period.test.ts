import { describe, expect, it } from "vitest";
import { addDays, isCalendarDay, isInPeriod, licencePeriod, PeriodQuerySchema } from "./period.ts";

describe("periods", () => {
  it.each([
    ["2026-02-28", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-1-01", false],
    ["yesterday", false],
    ["", false],
  ])("%s is a calendar day: %s", (value, expected) => {
    expect(isCalendarDay(value)).toBe(expected);
  });

  it("ends a licence period the day before the same date years later", () => {
    expect(licencePeriod("2022-03-15", 7)).toEqual({ from: "2022-03-15", to: "2029-03-14" });
    expect(licencePeriod("2024-02-29", 7)).toEqual({ from: "2024-02-29", to: "2031-02-27" });
    expect(licencePeriod("2024-01-01", undefined)).toEqual({ from: "2024-01-01", to: null });
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("includes both ends; null is open", () => {
    const period = { from: "2026-01-01", to: "2026-12-31" };
    expect(isInPeriod("2026-01-01", period)).toBe(true);
    expect(isInPeriod("2026-12-31", period)).toBe(true);
    expect(isInPeriod("2027-01-01", period)).toBe(false);
    expect(isInPeriod("1999-05-05", { from: null, to: null })).toBe(true);
  });

  it("tells an absent date from an emptied one, and refuses bad dates with a message key", () => {
    expect(PeriodQuerySchema.parse({})).toEqual({});
    expect(PeriodQuerySchema.parse({ from: "", to: " 2026-06-30 " })).toEqual({ from: null, to: "2026-06-30" });
    const bad = PeriodQuerySchema.safeParse({ from: "2026-02-30" });
    expect(bad.success ? null : bad.error.issues[0]).toMatchObject({ message: "cpd.invalidDate", path: ["from"] });
    const reversed = PeriodQuerySchema.safeParse({ from: "2026-06-01", to: "2026-05-01" });
    expect(reversed.success ? null : reversed.error.issues[0]).toMatchObject({ message: "cpd.periodOrder", path: ["to"] });
  });
});
