import { describe, expect, it } from "vitest";
import { encodeCrockford, formatCertificateCode, newCertificateCode, parseCertificateCode } from "./code.ts";
import { addMonthsClamped, certificateState, expiryDate, localDate } from "./expiry.ts";

describe("certificate codes", () => {
  it("encodes 80 bits as 16 Crockford characters", () => {
    expect(encodeCrockford(new Uint8Array(10))).toBe("0000000000000000");
    expect(encodeCrockford(new Uint8Array(10).fill(255))).toBe("ZZZZZZZZZZZZZZZZ");
    expect(newCertificateCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(new Set(Array.from({ length: 1000 }, () => newCertificateCode())).size).toBe(1000);
  });

  it("shows and reads codes the way people type them", () => {
    expect(formatCertificateCode("ABCD0123EFGH4567")).toBe("ABCD-0123-EFGH-4567");
    expect(parseCertificateCode(" abcd-0123 efgh-4567 ")).toBe("ABCD0123EFGH4567");
    expect(parseCertificateCode("OILO-0000-0000-0000")).toBe("0110000000000000");
    expect(parseCertificateCode("ABCD-0123-EFGH-456")).toBeNull();
    expect(parseCertificateCode("ABCD-0123-EFGH-456U")).toBeNull();
    expect(parseCertificateCode("'; DROP TABLE")).toBeNull();
  });
});

describe("expiry", () => {
  it.each([
    ["2026-01-15", 24, "2028-01-15"],
    ["2026-08-31", 6, "2027-02-28"],
    ["2027-08-31", 6, "2028-02-29"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2026-12-31", 24, "2028-12-31"],
  ])("%s + %i months = %s", (from, months, to) => {
    expect(addMonthsClamped(from, months)).toBe(to);
  });

  it("takes the issue date in the organisation's time zone", () => {
    // 23:30 UTC on 31 March is already 1 April in Ljubljana (summer time, UTC+2).
    const issuedAt = new Date("2026-03-31T23:30:00Z");
    expect(localDate(issuedAt, "Europe/Ljubljana")).toBe("2026-04-01");
    expect(expiryDate(issuedAt, 24, "Europe/Ljubljana")).toBe("2028-04-01");
    expect(expiryDate(issuedAt, 24, "UTC")).toBe("2028-03-31");
  });

  it("is valid, expiring, expired, revoked or superseded", () => {
    const base = { expiresOn: "2028-04-01", revokedAt: null, supersededAt: null };
    const tz = "Europe/Ljubljana";
    expect(certificateState(base, new Date("2028-01-01T10:00:00Z"), tz)).toBe("valid");
    expect(certificateState(base, new Date("2028-03-15T10:00:00Z"), tz)).toBe("expiring");
    expect(certificateState(base, new Date("2028-03-31T21:59:00Z"), tz)).toBe("expiring");
    expect(certificateState(base, new Date("2028-03-31T22:00:00Z"), tz)).toBe("expired"); // midnight in Ljubljana
    expect(certificateState({ ...base, revokedAt: new Date() }, new Date("2027-01-01"), tz)).toBe("revoked");
    expect(certificateState({ ...base, supersededAt: new Date() }, new Date("2027-01-01"), tz)).toBe("superseded");
  });
});
