import { describe, expect, it } from "vitest";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { formatDate } from "~/i18n/index.ts";
import { statusOf } from "~/learning/course-state.ts";
import { endOfLocalDay, startOfLocalDay } from "./local-time.ts";

const hoursOf = (date: string, timeZone: string) => (endOfLocalDay(date, timeZone).getTime() + 1 - startOfLocalDay(date, timeZone).getTime()) / 36e5;
const iso = (date: Date) => date.toISOString();

describe("start and end of a local day", () => {
  it.each([
    // Ljubljana: spring forward (02:00 → 03:00) and fall back (03:00 → 02:00), with ordinary days either side.
    ["Europe/Ljubljana", "2026-03-28", "2026-03-27T23:00:00.000Z", "2026-03-28T22:59:59.999Z", 24],
    ["Europe/Ljubljana", "2026-03-29", "2026-03-28T23:00:00.000Z", "2026-03-29T21:59:59.999Z", 23],
    ["Europe/Ljubljana", "2026-03-30", "2026-03-29T22:00:00.000Z", "2026-03-30T21:59:59.999Z", 24],
    ["Europe/Ljubljana", "2026-10-25", "2026-10-24T22:00:00.000Z", "2026-10-25T22:59:59.999Z", 25],
    ["Europe/Ljubljana", "2026-10-26", "2026-10-25T23:00:00.000Z", "2026-10-26T22:59:59.999Z", 24],
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00.000Z", "2026-03-09T03:59:59.999Z", 23],
    ["America/New_York", "2026-11-01", "2026-11-01T04:00:00.000Z", "2026-11-02T04:59:59.999Z", 25],
    // Half-hour offset, no daylight saving.
    ["Asia/Kolkata", "2026-03-29", "2026-03-28T18:30:00.000Z", "2026-03-29T18:29:59.999Z", 24],
    // +13:45 in summer, +12:45 in winter; the changes are at 03:45 and 02:45 local time.
    ["Pacific/Chatham", "2026-04-05", "2026-04-04T10:15:00.000Z", "2026-04-05T11:14:59.999Z", 25],
    ["Pacific/Chatham", "2026-09-27", "2026-09-26T11:15:00.000Z", "2026-09-27T10:14:59.999Z", 23],
    ["UTC", "2028-02-29", "2028-02-29T00:00:00.000Z", "2028-02-29T23:59:59.999Z", 24],
  ])("%s %s runs from %s to %s (%i hours)", (timeZone, date, start, end, hours) => {
    expect(iso(startOfLocalDay(date, timeZone))).toBe(start);
    expect(iso(endOfLocalDay(date, timeZone))).toBe(end);
    expect(hoursOf(date, timeZone)).toBe(hours);
  });

  it("starts at the jump when clocks skip midnight itself", () => {
    // Chile moves from 24:00 on Saturday straight to 01:00 on Sunday: no Sunday 00:00 exists.
    const start = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(iso(start)).toBe("2026-09-06T04:00:00.000Z");
    expect(localDate(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
  });

  it.each(["Europe/Ljubljana", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "Australia/Lord_Howe"])("tiles every day of 2026 in %s without gap or overlap", (timeZone) => {
    for (let date = "2026-01-01"; date <= "2026-12-31"; date = addDays(date, 1)) {
      const start = startOfLocalDay(date, timeZone);
      const end = endOfLocalDay(date, timeZone);
      expect(localDate(start, timeZone), date).toBe(date);
      expect(localDate(end, timeZone), date).toBe(date);
      expect(localDate(new Date(start.getTime() - 1), timeZone), date).toBe(addDays(date, -1));
      expect(end.getTime() + 1, date).toBe(startOfLocalDay(addDays(date, 1), timeZone).getTime());
    }
  });

  it("refuses what is not a calendar date or a time zone", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "2026-3-29", "29.03.2026", ""]) expect(() => startOfLocalDay(bad, "Europe/Ljubljana"), bad).toThrow(RangeError);
    expect(() => endOfLocalDay("2026-03-29", "Europe/Nowhere")).toThrow(RangeError);
  });
});

describe("a due date as the end of the due day", () => {
  it("is overdue from local midnight after it, also on daylight saving days, and shows as the due day", () => {
    for (const [date, timeZone] of [
      ["2026-03-29", "Europe/Ljubljana"],
      ["2026-10-25", "Europe/Ljubljana"],
      ["2026-11-01", "America/New_York"],
      ["2026-09-27", "Pacific/Chatham"],
    ]) {
      const dueAt = endOfLocalDay(date, timeZone);
      const enrolment = { startedAt: "2026-01-10T08:00:00Z", completedAt: null, dueAt };
      expect(statusOf(enrolment, dueAt), date).toBe("in_progress");
      expect(statusOf(enrolment, startOfLocalDay(addDays(date, 1), timeZone)), date).toBe("overdue");
      expect(localDate(dueAt, timeZone)).toBe(date);
    }
    // 23:59:59.999 on the 23-hour day is 21:59:59.999Z, the same calendar day in Ljubljana in both languages.
    const dueAt = endOfLocalDay("2026-03-29", "Europe/Ljubljana");
    expect(formatDate(dueAt, "sl")).toBe("29. marec 2026");
    expect(formatDate(dueAt, "en")).toBe("29 March 2026");
    expect(formatDate(endOfLocalDay("2026-10-25", "Europe/Ljubljana"), "sl")).toBe("25. oktober 2026");
  });
});
