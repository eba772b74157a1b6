import { describe, expect, it } from "vitest";
import { startOfLocalDay } from "~/utils/local-time.ts";
import { localDate } from "./expiry.ts";
import { dueExpiryMilestone } from "./notices.server.ts";

// The reminder due at an instant is decided on the holder's local calendar day. These milestones
// fall on Ljubljana's daylight saving days (29 March and 25 October 2026) and must switch at local
// midnight, not an hour early or late. (An integration-project file only because notices.server.ts
// reads the environment when imported; it needs no database.)

const LJUBLJANA = "Europe/Ljubljana";
const dueAt = (expiresOn: string, instant: Date | string, timeZone = LJUBLJANA) => dueExpiryMilestone(expiresOn, localDate(new Date(instant), timeZone));
const justBefore = (instant: Date) => new Date(instant.getTime() - 1);

describe("expiry reminders on daylight saving days", () => {
  it("reaches the 60-day reminder at midnight of the 23-hour day", () => {
    // 28 May 2026 is 60 days after 29 March.
    const midnight = startOfLocalDay("2026-03-29", LJUBLJANA);
    expect(midnight.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(dueAt("2026-05-28", justBefore(midnight))).toBeNull();
    expect(dueAt("2026-05-28", midnight)).toBe(60);
    // A certificate expiring a day later reaches 60 days only at the next midnight, 22:00 UTC after the short day.
    expect(dueAt("2026-05-29", "2026-03-29T21:59:59Z")).toBeNull();
    expect(dueAt("2026-05-29", "2026-03-29T22:00:00Z")).toBe(60);
  });

  it("reaches the 7-day reminder at midnight of the 25-hour day, and keeps it through the extra hour", () => {
    // 1 November is 7 days after 25 October.
    const midnight = startOfLocalDay("2026-10-25", LJUBLJANA);
    expect(midnight.toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(dueAt("2026-11-01", justBefore(midnight))).toBe(30);
    expect(dueAt("2026-11-01", midnight)).toBe(7);
    // 23:30 CET on 25 October is 22:30 UTC: still 7 days left, not 6.
    expect(dueAt("2026-11-01", "2026-10-25T22:30:00Z")).toBe(7);
  });

  it("sends the expired notice from midnight of an expiry date that is a daylight saving day", () => {
    for (const day of ["2026-03-29", "2026-10-25"]) {
      const midnight = startOfLocalDay(day, LJUBLJANA);
      expect(dueAt(day, justBefore(midnight)), day).toBe(7);
      expect(dueAt(day, midnight), day).toBe(0);
    }
  });

  it("uses the certificate's own zone", () => {
    // New York falls back on 1 November 2026; Chatham springs forward on 27 September 2026.
    expect(dueAt("2026-11-01", "2026-11-01T03:59:59Z", "America/New_York")).toBe(7);
    expect(dueAt("2026-11-01", "2026-11-01T04:00:00Z", "America/New_York")).toBe(0);
    expect(dueAt("2026-11-26", "2026-09-26T11:14:59Z", "Pacific/Chatham")).toBeNull();
    expect(dueAt("2026-11-26", "2026-09-26T11:15:00Z", "Pacific/Chatham")).toBe(60);
  });
});
