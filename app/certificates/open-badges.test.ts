import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/index.ts";
import { buildOpenBadgeCredential, type CredentialFacts, credentialStatusOf, identityHash, jwtClaimsFor, readUploadedCredential, startOfLocalDay } from "./open-badges.ts";
import { validateAchievementCredential } from "./open-badges-schema.ts";

const url = (path: string) => new URL(path, "https://opora.example.org").toString();

async function facts(overrides: Partial<CredentialFacts> = {}): Promise<CredentialFacts> {
  return {
    code: "7K3M9QXR2D5T8V4W",
    holderName: "Čačič Šuštar Žužek",
    holderEmailHash: await identityHash("nurse@example.org", "7K3M9QXR2D5T8V4W"),
    courseTitle: "Prepoznavanje trgovine z ljudmi v zdravstvu",
    courseVersion: 3,
    courseUrl: url("/courses/recognising-trafficking"),
    issuerName: "Splošna bolnišnica Demo",
    issuedAt: new Date("2026-08-31T22:30:00.123Z"),
    expiresOn: "2028-09-01",
    timeZone: "Europe/Ljubljana",
    cpdCredits: 3,
    ...overrides,
  };
}

describe("validity dates", () => {
  it.each([
    ["2028-09-01", "Europe/Ljubljana", "2028-08-31T22:00:00.000Z"], // summer time, UTC+2
    ["2028-01-15", "Europe/Ljubljana", "2028-01-14T23:00:00.000Z"], // winter time, UTC+1
    ["2026-03-29", "Europe/Ljubljana", "2026-03-28T23:00:00.000Z"], // clocks go forward at 02:00 that day
    ["2026-10-25", "Europe/Ljubljana", "2026-10-24T22:00:00.000Z"], // clocks go back at 03:00 that day
    ["2028-02-29", "UTC", "2028-02-29T00:00:00.000Z"],
    ["2028-09-01", "America/New_York", "2028-09-01T04:00:00.000Z"],
  ])("%s begins in %s at %s", (day, timeZone, instant) => {
    expect(startOfLocalDay(day, timeZone).toISOString()).toBe(instant);
  });

  it("reports expiring certificates as active", () => {
    expect(credentialStatusOf("valid")).toBe("active");
    expect(credentialStatusOf("expiring")).toBe("active");
    expect(credentialStatusOf("expired")).toBe("expired");
    expect(credentialStatusOf("revoked")).toBe("revoked");
    expect(credentialStatusOf("superseded")).toBe("superseded");
  });
});

describe("the credential", () => {
  it("hashes identities the way OB 3.0 defines (the specification's own example)", async () => {
    expect(await identityHash("a@example.com", "Kosher")).toBe("sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
  });

  it("is a valid AchievementCredential that names the holder but not their e-mail address", async () => {
    const credential = buildOpenBadgeCredential(await facts(), { t: translator("sl"), url });
    expect(validateAchievementCredential(credential)).toEqual({ valid: true });
    expect(credential).toMatchObject({
      id: "https://opora.example.org/verify/7K3M9QXR2D5T8V4W",
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      name: "Potrdilo: Prepoznavanje trgovine z ljudmi v zdravstvu",
      issuer: { id: "https://opora.example.org/credentials/issuer", name: "Splošna bolnišnica Demo" },
      validFrom: "2026-08-31T22:30:00Z",
      validUntil: "2028-08-31T22:00:00Z",
      issuanceDate: "2026-08-31T22:30:00Z",
      credentialStatus: { id: "https://opora.example.org/api/certificates/7K3M9QXR2D5T8V4W/status" },
      credentialSubject: {
        type: ["AchievementSubject"],
        creditsEarned: 3,
        achievement: { id: "https://opora.example.org/courses/recognising-trafficking#version-3", achievementType: "CertificateOfCompletion", creditsAvailable: 3, version: "3" },
      },
    });
    expect(credential.credentialSubject.identifier).toContainEqual({ type: "IdentityObject", identityType: "emailAddress", hashed: true, identityHash: await identityHash("nurse@example.org", "7K3M9QXR2D5T8V4W"), salt: "7K3M9QXR2D5T8V4W" });
    expect(JSON.stringify(credential)).not.toContain("nurse@example.org");
  });

  it("follows the language it is given", async () => {
    const credential = buildOpenBadgeCredential(await facts({ courseTitle: "Recognising human trafficking in healthcare" }), { t: translator("en"), url });
    expect(credential.name).toBe("Certificate: Recognising human trafficking in healthcare");
    expect(credential.credentialSubject.achievement.criteria.narrative).toMatch(/^Complete every required lesson/);
  });

  it("repeats the credential in the JWT claims", async () => {
    const credential = buildOpenBadgeCredential(await facts(), { t: translator("sl"), url });
    expect(jwtClaimsFor(credential, new Date("2027-01-01T00:00:00Z"))).toEqual({
      iss: "https://opora.example.org/credentials/issuer",
      jti: "https://opora.example.org/verify/7K3M9QXR2D5T8V4W",
      nbf: Date.parse("2026-08-31T22:30:00Z") / 1000,
      exp: Date.parse("2028-08-31T22:00:00Z") / 1000,
      iat: Date.parse("2027-01-01T00:00:00Z") / 1000,
    });
  });

  it("is rejected by the schema when a required part is missing or malformed", async () => {
    const credential = buildOpenBadgeCredential(await facts(), { t: translator("sl"), url });
    const { criteria: _criteria, ...achievement } = credential.credentialSubject.achievement;
    const withoutCriteria = { ...credential, credentialSubject: { ...credential.credentialSubject, achievement } };
    expect(validateAchievementCredential(withoutCriteria)).toEqual({ valid: false, problems: [expect.stringContaining("criteria")] });
    const { issuanceDate: _issuanceDate, ...undated } = credential;
    expect(validateAchievementCredential(undated)).toMatchObject({ valid: false });
    expect(validateAchievementCredential({ ...credential, issuanceDate: "1 September 2026" })).toMatchObject({ valid: false, problems: [expect.stringContaining("/issuanceDate")] });
  });
});

describe("reading an upload", () => {
  const jwt = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";

  it("finds the token in our file, a bare token or a JSON string", () => {
    expect(readUploadedCredential(JSON.stringify({ jwt, credential: {} }, null, 2))).toEqual({ jwt });
    expect(readUploadedCredential(`\uFEFF  ${jwt}\n`)).toEqual({ jwt });
    expect(readUploadedCredential(JSON.stringify(jwt))).toEqual({ jwt });
  });

  it.each([
    ["", "credentialCheck.empty"],
    ["   \n", "credentialCheck.empty"],
    ["%PDF-1.7 binary", "credentialCheck.notJson"],
    ["{ not json", "credentialCheck.notJson"],
    ["eyJhbGciOiJFZERTQSJ9.only-two", "credentialCheck.notJson"],
    [JSON.stringify({ jwt: "not a token" }), "credentialCheck.notJwt"],
    [JSON.stringify({ hello: "world" }), "credentialCheck.notJwt"],
    [JSON.stringify([1, 2, 3]), "credentialCheck.notJwt"],
    [JSON.stringify({ "@context": [], credentialSubject: {} }), "credentialCheck.unsigned"],
    [JSON.stringify({ credential: {} }), "credentialCheck.unsigned"],
  ])("explains %j as %s", (text, problem) => {
    expect(readUploadedCredential(text)).toEqual({ problem });
  });
});
