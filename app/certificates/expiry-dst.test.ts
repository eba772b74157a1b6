import { describe, expect, it } from "vitest";
import { formatCalendarDay, formatDate } from "~/i18n/index.ts";
import { endOfLocalDay, startOfLocalDay } from "~/utils/local-time.ts";
import { addMonthsClamped, certificateState, expiryDate, localDate } from "./expiry.ts";

// Certificate dates are calendar days in the issuer's time zone. In Europe/Ljubljana clocks spring
// forward on 29 March 2026 (02:00 → 03:00, a 23-hour day) and fall back on 25 October 2026
// (03:00 → 02:00, a 25-hour day); a fixed offset would move dates near midnight by a day.

const LJUBLJANA = "Europe/Ljubljana";
const current = (expiresOn: string) => ({ expiresOn, revokedAt: null, supersededAt: null });

describe("issue dates around daylight saving changes", () => {
  it("dates an issue at 00:30 on the day after spring-forward to that day", () => {
    const issuedAt = new Date("2026-03-29T22:30:00Z"); // 00:30 CEST on 30 March
    expect(localDate(issuedAt, LJUBLJANA)).toBe("2026-03-30");
    expect(expiryDate(issuedAt, 24, LJUBLJANA)).toBe("2028-03-30");
    // An hour earlier is still the short day itself.
    expect(localDate(new Date("2026-03-29T21:30:00Z"), LJUBLJANA)).toBe("2026-03-29");
  });

  it("dates an issue at 23:30 on the fall-back day to that day, not the next", () => {
    const issuedAt = new Date("2026-10-25T22:30:00Z"); // 23:30 CET on 25 October
    expect(localDate(issuedAt, LJUBLJANA)).toBe("2026-10-25");
    expect(expiryDate(issuedAt, 24, LJUBLJANA)).toBe("2028-10-25");
    // 02:30 happens twice that night; both are 25 October.
    expect(localDate(new Date("2026-10-25T00:30:00Z"), LJUBLJANA)).toBe("2026-10-25");
    expect(localDate(new Date("2026-10-25T01:30:00Z"), LJUBLJANA)).toBe("2026-10-25");
  });

  it("uses each zone's own offset, including half- and three-quarter-hour ones", () => {
    expect(localDate(new Date("2026-03-29T18:29:00Z"), "Asia/Kolkata")).toBe("2026-03-29");
    expect(localDate(new Date("2026-03-29T18:30:00Z"), "Asia/Kolkata")).toBe("2026-03-30");
    // Chatham is +12:45 after 5 April 2026 and +13:45 before it.
    expect(localDate(new Date("2026-04-04T10:15:00Z"), "Pacific/Chatham")).toBe("2026-04-05");
    expect(localDate(new Date("2026-04-05T11:14:00Z"), "Pacific/Chatham")).toBe("2026-04-05");
    expect(localDate(new Date("2026-04-05T11:15:00Z"), "Pacific/Chatham")).toBe("2026-04-06");
    expect(localDate(new Date("2026-11-01T04:30:00Z"), "America/New_York")).toBe("2026-11-01");
  });
});

describe("expiry dates at the end of a month", () => {
  it.each([
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-03-31", 11, "2027-02-28"],
    ["2027-03-31", 11, "2028-02-29"],
    ["2028-02-29", 12, "2029-02-28"],
    ["2028-02-29", 24, "2030-02-28"],
    ["2028-02-29", 48, "2032-02-29"],
    ["2026-08-31", 6, "2027-02-28"],
    ["2027-08-31", 6, "2028-02-29"],
    ["2026-08-31", 24, "2028-08-31"],
    ["2026-08-31", 1, "2026-09-30"],
  ])("%s plus %i months is %s", (issuedOn, months, expiresOn) => {
    expect(addMonthsClamped(issuedOn, months)).toBe(expiresOn);
  });

  it("counts from the local issue date, which near midnight is not the UTC one", () => {
    expect(expiryDate(new Date("2026-03-31T21:30:00Z"), 11, LJUBLJANA)).toBe("2027-02-28"); // 23:30 on 31 March
    expect(expiryDate(new Date("2026-03-31T22:30:00Z"), 11, LJUBLJANA)).toBe("2027-03-01"); // 00:30 on 1 April
    expect(expiryDate(new Date("2028-02-29T22:59:00Z"), 12, LJUBLJANA)).toBe("2029-02-28"); // 23:59 on 29 February
    expect(expiryDate(new Date("2026-08-31T21:59:00Z"), 6, LJUBLJANA)).toBe("2027-02-28"); // 23:59 CEST on 31 August
    expect(expiryDate(new Date("2026-08-31T22:00:00Z"), 6, LJUBLJANA)).toBe("2027-03-01"); // midnight: 1 September
  });
});

describe("a certificate expires at local midnight of its expiry date", () => {
  it.each([
    ["2026-03-29", LJUBLJANA, "2026-03-28T23:00:00.000Z"],
    ["2026-10-25", LJUBLJANA, "2026-10-24T22:00:00.000Z"],
    ["2026-03-30", LJUBLJANA, "2026-03-29T22:00:00.000Z"],
    ["2026-10-26", LJUBLJANA, "2026-10-25T23:00:00.000Z"],
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"],
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"],
    ["2026-09-27", "Pacific/Chatham", "2026-09-26T11:15:00.000Z"],
    ["2026-04-05", "Pacific/Chatham", "2026-04-04T10:15:00.000Z"],
  ])("expiring on %s in %s flips at %s", (expiresOn, timeZone, midnight) => {
    const flip = startOfLocalDay(expiresOn, timeZone);
    expect(flip.toISOString()).toBe(midnight);
    expect(certificateState(current(expiresOn), new Date(flip.getTime() - 1), timeZone)).toBe("expiring");
    expect(certificateState(current(expiresOn), flip, timeZone)).toBe("expired");
  });

  it("stays revoked or superseded whatever the date", () => {
    const flip = startOfLocalDay("2026-03-29", LJUBLJANA);
    expect(certificateState({ expiresOn: "2026-03-29", revokedAt: flip, supersededAt: null }, flip, LJUBLJANA)).toBe("revoked");
    expect(certificateState({ expiresOn: "2026-03-29", revokedAt: null, supersededAt: flip }, flip, LJUBLJANA)).toBe("superseded");
  });
});

describe("dates on the page and in emails", () => {
  it.each([
    ["2026-03-29", "29. marec 2026", "29 March 2026"],
    ["2026-10-25", "25. oktober 2026", "25 October 2026"],
    ["2028-02-29", "29. februar 2028", "29 February 2028"],
    ["2027-02-28", "28. februar 2027", "28 February 2027"],
  ])("%s is shown as that day in Slovene and English", (day, slovene, english) => {
    expect(formatCalendarDay(day, "sl")).toBe(slovene);
    expect(formatCalendarDay(day, "en")).toBe(english);
    // The instants that begin and end the local day show the same date in the organisation's zone.
    const start = startOfLocalDay(day, LJUBLJANA);
    const end = endOfLocalDay(day, LJUBLJANA);
    for (const instant of [start, end]) {
      expect(formatDate(instant, "sl", LJUBLJANA)).toBe(slovene);
      expect(formatDate(instant, "en", LJUBLJANA)).toBe(english);
    }
  });

  it("shows an issue instant near midnight as the local issue day", () => {
    expect(formatDate(new Date("2026-03-29T22:30:00Z"), "sl")).toBe("30. marec 2026");
    expect(formatDate(new Date("2026-10-25T22:30:00Z"), "en")).toBe("25 October 2026");
    expect(formatDate(new Date("2026-03-29T18:30:00Z"), "en", "Asia/Kolkata")).toBe("30 March 2026");
    expect(formatDate(new Date("2026-09-26T11:15:00Z"), "sl", "Pacific/Chatham")).toBe("27. september 2026");
  });
});

describe("localDate", () => {
  it("turns the day at local midnight, also where midnight falls in the middle of a UTC hour", () => {
    // India is UTC+5:30: its midnight is 18:30 UTC. Asked in both orders, so nothing remembered misleads.
    for (const order of [["18:29", "18:31"], ["18:31", "18:29"]]) {
      const dates = order.map((time) => localDate(new Date(`2026-03-10T${time}:00Z`), "Asia/Kolkata"));
      expect(dates).toEqual(order[0] === "18:29" ? ["2026-03-10", "2026-03-11"] : ["2026-03-11", "2026-03-10"]);
    }
    // Ljubljana across the spring change: 23:59 and 00:01 local on 28/29 March 2026 (UTC+1).
    expect(localDate(new Date("2026-03-28T22:59:00Z"), "Europe/Ljubljana")).toBe("2026-03-28");
    expect(localDate(new Date("2026-03-28T23:01:00Z"), "Europe/Ljubljana")).toBe("2026-03-29");
  });
});

describe("localDate against the platform's own formatting", () => {
  it("agrees for instants spread over years, around daylight-saving changes, in zones with odd offsets", () => {
    const zones = ["Europe/Ljubljana", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"];
    const reference = new Map(zones.map((zone) => [zone, new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })]));
    // A fixed walk (no randomness): every 7 h 13 min 17 s across 2024-2027, plus every minute of 29 March 2026.
    const instants: number[] = [];
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2027, 11, 31); ms += 26_000_000 + 17_000) instants.push(ms);
    for (let ms = Date.UTC(2026, 2, 28, 22); ms < Date.UTC(2026, 2, 29, 3); ms += 60_000) instants.push(ms);
    for (const zone of zones) {
      const mismatches = instants.filter((ms) => localDate(new Date(ms), zone) !== reference.get(zone)!.format(ms));
      expect(mismatches.map((ms) => new Date(ms).toISOString()), zone).toEqual([]);
    }
  });
});
