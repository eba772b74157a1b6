import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import achievementCredentialSchema from "../../app/certificates/ob3-schema/achievementcredential.json";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";

// Open Badges 3.0 credentials, checked the way an outside verifier would: the signature with Node's
// own crypto and the key from the JWKS the app publishes, the content with ajv and the official
// schema file, never through the app's jose code. Every test uses keys it generates itself.

const { certificateCredential, credentialJwks, credentialStatus, issuerProfile } = await import("../../app/certificates/open-badges.server.ts");
const { readCredentialUpload, verifyUploadedCredential } = await import("../../app/certificates/open-badges-verify.server.ts");
const { credentialKeysFrom, generateSigningJwk, loadCredentialKeys, rotateCredentialKey } = await import("../../app/certificates/keys.server.ts");

const slug = "open-badges-fixture";
let steps: Awaited<ReturnType<typeof fixtureCourseSteps>>;

const ajv = new Ajv2019({ allErrors: true });
addFormats(ajv);
const validateWithOfficialSchema = ajv.compile(achievementCredentialSchema);

beforeAll(async () => {
  steps = await fixtureCourseSteps(slug);
});

/** A learner of a new organisation completes the fixture course; returns the certificate and the people. */
async function certifiedLearner(at: string) {
  const a = await createOrganisationWithMembers({ nurse: ["LEARNER"], organiser: ["ORGANISER"], colleague: ["LEARNER"], trainer: ["TRAINER"] });
  const actor = { id: a.people.nurse.id, isAdmin: false };
  const clock = fixedClock(at);
  await steps.complete(actor, clock);
  const certificate = await db.certificate.findFirstOrThrow({ where: { userId: actor.id } });
  return { ...a, holder: actor, certificate, clock };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decodePart = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** What an outside verifier does: find the kid in the published JWKS and check the Ed25519 signature. */
function verifyWithPublishedKeys(jwt: string, jwks: { keys: Array<Record<string, unknown>> }) {
  const [header, payload, signature] = jwt.split(".");
  const jwk = jwks.keys.find((key) => key.kid === decodePart(header).kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x) }, format: "jwk" });
  return verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"));
}

/** A token for `payload`, signed by a key that is not Opora's (Ed25519 signs the input itself: no digest). */
function signWithForeignKey(payload: unknown, kid: string) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const signingInput = `${base64url({ alg: "EdDSA", kid, typ: "JWT" })}.${base64url(payload)}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString("base64url")}`;
}

async function newKeys() {
  return credentialKeysFrom({ signingJwk: await generateSigningJwk() });
}

describe("downloading a certificate's credential", () => {
  it("gives the holder, the issuing organisation's organisers and admins a credential an outside verifier can check", async () => {
    const { certificate, holder, people, clock } = await certifiedLearner("2026-08-31T22:30:00Z");
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const admin = await createUser({ isAdmin: true });
    const keys = await newKeys();

    for (const actor of [holder, people.organiser, admin]) {
      const download = await certificateCredential({ actor, code: certificate.code, keys, clock });
      expect(download.filename).toBe(`opora-credential-${certificate.code}.json`);
    }
    for (const actor of [people.colleague, people.trainer, b.people.organiser]) {
      await expect(certificateCredential({ actor, code: certificate.code, keys, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(certificateCredential({ actor: admin, code: "0000-0000-0000-0000", keys, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const { jwt, credential } = await certificateCredential({ actor: holder, code: certificate.code, keys, clock });
    const jwks = await credentialJwks({ keys });
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect(verifyWithPublishedKeys(jwt, jwks)).toBe(true);

    const [header, payload] = jwt.split(".").map((part, index) => (index < 2 ? decodePart(part) : part));
    expect(header).toEqual({ alg: "EdDSA", kid: keys.kid, typ: "JWT" });
    expect(payload.vc).toEqual(credential);
    expect(validateWithOfficialSchema(payload.vc), JSON.stringify(validateWithOfficialSchema.errors)).toBe(true);
    expect(payload).toMatchObject({
      iss: "http://opora.test/credentials/issuer",
      jti: `http://opora.test/verify/${certificate.code}`,
      nbf: Date.parse("2026-08-31T22:30:00Z") / 1000,
      // Valid through 31 August 2028 in Ljubljana: until midnight there, 22:00 UTC in summer.
      exp: Date.parse("2028-08-31T22:00:00Z") / 1000,
    });
    expect(payload.vc).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
      id: `http://opora.test/verify/${certificate.code}`,
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      name: "Potrdilo: Osnove prepoznavanja",
      issuer: { id: issuerProfile("sl").id, type: ["Profile"], name: certificate.issuerName },
      validFrom: "2026-08-31T22:30:00Z",
      validUntil: "2028-08-31T22:00:00Z",
      credentialStatus: { id: `http://opora.test/api/certificates/${certificate.code}/status` },
      credentialSubject: { type: ["AchievementSubject"], achievement: { type: ["Achievement"], name: "Osnove prepoznavanja", creditsAvailable: 1 }, creditsEarned: 1 },
    });
    const expectedHash = `sha256$${createHash("sha256").update(`${people.nurse.email}${certificate.code}`).digest("hex")}`;
    expect(payload.vc.credentialSubject.identifier).toContainEqual({ type: "IdentityObject", identityType: "emailAddress", hashed: true, identityHash: expectedHash, salt: certificate.code });
    expect(JSON.stringify(payload)).not.toContain(people.nurse.email);
  });

  it("follows the holder's language, whoever downloads it", async () => {
    const { certificate, holder, people, clock } = await certifiedLearner("2026-02-10T09:00:00Z");
    await db.user.update({ where: { id: holder.id }, data: { locale: "en" } });
    const keys = await newKeys();
    const { credential } = await certificateCredential({ actor: people.organiser, code: certificate.code, keys, clock });
    expect(credential.name).toBe("Certificate: Recognition basics");
    // Valid through 9 February 2028 in Ljubljana: until midnight there, 23:00 UTC in winter.
    expect(credential.validUntil).toBe("2028-02-09T23:00:00Z");
  });
});

describe("status", () => {
  it("says active, then revoked, superseded or expired, without anything personal, and throttles unknown codes like the verification page", async () => {
    const { certificate, people, clock } = await certifiedLearner("2026-03-01T09:00:00Z");
    const status = await credentialStatus({ input: certificate.code, clientIp: "192.0.2.20", clock });
    expect(status).toEqual({ id: `http://opora.test/verify/${certificate.code}`, status: "active", checkedAt: clock.now().toISOString() });
    expect(JSON.stringify(status)).not.toContain(certificate.holderName);

    clock.set("2028-03-01T00:00:00Z"); // midnight UTC is already 1 March in Ljubljana
    expect((await credentialStatus({ input: certificate.code, clientIp: "192.0.2.20", clock })).status).toBe("expired");
    clock.set("2027-01-01T00:00:00Z");
    await db.certificate.update({ where: { id: certificate.id }, data: { supersededAt: clock.now() } });
    expect((await credentialStatus({ input: certificate.code, clientIp: "192.0.2.20", clock })).status).toBe("superseded");
    await db.certificate.update({ where: { id: certificate.id }, data: { supersededAt: null } });

    const { revokeCertificate } = await import("../../app/certificates/revoke-certificate.server.ts");
    await revokeCertificate({ actor: people.organiser, code: certificate.code, reason: "Completed on another person's account", clock });
    const revoked = await credentialStatus({ input: certificate.code, clientIp: "192.0.2.20", clock });
    expect(revoked.status).toBe("revoked");
    expect(JSON.stringify(revoked)).not.toContain("another person");

    for (let i = 0; i < 20; i++) await expect(credentialStatus({ input: `0000-0000-0000-${String(i).padStart(4, "0")}`, clientIp: "192.0.2.77", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(credentialStatus({ input: certificate.code, clientIp: "192.0.2.77", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const { verifyCertificate } = await import("../../app/certificates/certificates.server.ts");
    await expect(verifyCertificate({ input: certificate.code, clientIp: "192.0.2.77", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(credentialStatus({ input: certificate.code, clientIp: "192.0.2.20", clock })).resolves.toMatchObject({ status: "revoked" });
  });
});

describe("checking an uploaded credential", () => {
  it("confirms the downloaded file, and reports revocation once the certificate is revoked", async () => {
    const { certificate, holder, people, clock } = await certifiedLearner("2026-05-04T08:00:00Z");
    const keys = await newKeys();
    const { jwt, credential } = await certificateCredential({ actor: holder, code: certificate.code, keys, clock });
    const file = JSON.stringify({ jwt, credential }, null, 2);

    const report = await verifyUploadedCredential({ input: file, keys, clock });
    expect(report.verdict).toBe("valid");
    expect(Object.values(report.checks).map((check) => check.outcome)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(report.summary).toMatchObject({ code: certificate.code, holder: certificate.holderName, issuer: certificate.issuerName, name: "Osnove prepoznavanja" });
    expect((await verifyUploadedCredential({ input: jwt, keys, clock })).verdict).toBe("valid");

    const { revokeCertificate } = await import("../../app/certificates/revoke-certificate.server.ts");
    await revokeCertificate({ actor: people.organiser, code: certificate.code, reason: "Issued in error", clock });
    const afterRevocation = await verifyUploadedCredential({ input: file, keys, clock });
    expect(afterRevocation.verdict).toBe("notCurrent");
    expect(afterRevocation.checks.signature.outcome).toBe("pass");
    expect(afterRevocation.checks.status).toEqual({ outcome: "fail", message: "credentialCheck.status.revoked" });
  });

  it("rejects a tampered token, a foreign key and a foreign issuer, check by check", async () => {
    const { certificate, holder, clock } = await certifiedLearner("2026-05-04T08:00:00Z");
    const keys = await newKeys();
    const { jwt } = await certificateCredential({ actor: holder, code: certificate.code, keys, clock });
    const [header, payload, signature] = jwt.split(".");
    const claims = decodePart(payload);

    // The holder's name changed after signing.
    const renamed = { ...claims, vc: { ...claims.vc, name: "Potrdilo: Something else" } };
    const tampered = await verifyUploadedCredential({ input: `${header}.${base64url(renamed)}.${signature}`, keys, clock });
    expect(tampered).toMatchObject({ verdict: "untrusted", summary: null, checks: { signature: { outcome: "fail", message: "credentialCheck.signature.invalid" }, status: { outcome: "skipped" } } });
    // One character of the signature changed.
    const flipped = `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    expect((await verifyUploadedCredential({ input: flipped, keys, clock })).checks.signature.outcome).toBe("fail");

    // Signed by someone else, claiming our key id: the signature does not match our key.
    const impostor = await verifyUploadedCredential({ input: signWithForeignKey(claims, keys.kid), keys, clock });
    expect(impostor.checks.signature).toEqual({ outcome: "fail", message: "credentialCheck.signature.invalid" });
    expect(impostor.verdict).toBe("untrusted");

    // Another issuer's credential with its own key.
    const foreignClaims = { ...claims, iss: "https://badges.example.com/issuer", vc: { ...claims.vc, issuer: { id: "https://badges.example.com/issuer", type: ["Profile"], name: "Example" } } };
    const foreign = await verifyUploadedCredential({ input: signWithForeignKey(foreignClaims, "their-key"), keys, clock });
    expect(foreign.checks).toMatchObject({
      signature: { outcome: "fail", message: "credentialCheck.signature.unknownKey", vars: { kid: "their-key" } },
      issuer: { outcome: "fail", message: "credentialCheck.issuer.foreign", vars: { issuer: "https://badges.example.com/issuer" } },
      schema: { outcome: "pass" },
      status: { outcome: "skipped" },
    });

    // Signed with our key but naming another issuer (never made by Opora, but the check must hold alone).
    const misattributed = await new SignJWT(foreignClaims).setProtectedHeader({ alg: "EdDSA", kid: keys.kid }).sign(keys.privateKey);
    expect((await verifyUploadedCredential({ input: misattributed, keys, clock })).checks).toMatchObject({ signature: { outcome: "pass" }, issuer: { outcome: "fail" }, status: { outcome: "skipped" } });

    // Valid signature, but not an Open Badges credential by the schema.
    const { credentialSubject: _subject, ...noSubject } = claims.vc;
    const incomplete = await new SignJWT({ ...claims, vc: noSubject }).setProtectedHeader({ alg: "EdDSA", kid: keys.kid }).sign(keys.privateKey);
    const schemaReport = await verifyUploadedCredential({ input: incomplete, keys, clock });
    expect(schemaReport.checks.schema).toMatchObject({ outcome: "fail", vars: { detail: expect.stringContaining("credentialSubject") } });
    expect(schemaReport.verdict).toBe("untrusted");
  });

  it.each([
    ["not JSON", "a photo of a certificate", "credentialCheck.notJson"],
    ["JSON without a token", JSON.stringify({ hello: "world" }), "credentialCheck.notJwt"],
    ["an unsigned credential", JSON.stringify({ "@context": ["https://www.w3.org/ns/credentials/v2"], credentialSubject: {} }), "credentialCheck.unsigned"],
    ["a token that does not decode", "eyJub3QganNvbg.eyJ2YyI6e319.c2ln", "credentialCheck.malformed"],
    ["a token without a credential", `${base64url({ alg: "EdDSA" })}.${base64url({ sub: "x" })}.c2ln`, "credentialCheck.notCredential"],
    ["more than 200 kB", JSON.stringify({ jwt: "a.b.c", padding: "x".repeat(200 * 1024) }), "credentialCheck.tooLarge"],
  ])("explains %s instead of failing", async (_case, input, messageKey) => {
    await expect(verifyUploadedCredential({ input, keys: await newKeys() })).rejects.toMatchObject({ code: "INVALID", messageKey });
  });

  it("reads the file or the pasted token from the form and refuses large uploads before parsing them", async () => {
    const form = (fields: Record<string, string | File>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      return new Request("http://opora.test/verify", { method: "POST", body });
    };
    expect(await readCredentialUpload(form({ file: new File(["from the file"], "credential.json"), jwt: "pasted" }))).toBe("from the file");
    expect(await readCredentialUpload(form({ file: new File([], "empty.json"), jwt: "pasted" }))).toBe("pasted");
    await expect(readCredentialUpload(form({ file: new File(["x".repeat(200 * 1024 + 1)], "big.json") }))).rejects.toMatchObject({ messageKey: "credentialCheck.tooLarge" });
    await expect(readCredentialUpload(form({ file: new File(["x".repeat(600 * 1024)], "huge.json") }))).rejects.toMatchObject({ messageKey: "credentialCheck.tooLarge" });

    // Through the page's action: bad input is a 400 with the message, never an error page.
    const { action } = await import("../../app/routes/verify/index.tsx");
    const answer = (await action({ request: form({ file: new File(["not a credential"], "notes.txt") }), params: {}, context: {} } as never)) as { data: { formError: string }; init: { status: number } };
    expect(answer.init.status).toBe(400);
    expect(answer.data.formError).toBe("credentialCheck.notJson");
  });
});

describe("key rotation", () => {
  it("keeps credentials signed with a retired key verifiable once a new key is active", async () => {
    const { certificate, holder, clock } = await certifiedLearner("2026-06-01T08:00:00Z");
    const dir = join(mkdtempSync(join(tmpdir(), "opora-keys-")), "keys");
    const before = await loadCredentialKeys({ dir });
    const { jwt: oldJwt } = await certificateCredential({ actor: holder, code: certificate.code, keys: before, clock });

    await rotateCredentialKey({ dir });
    const after = await loadCredentialKeys({ dir });
    expect(after.kid).not.toBe(before.kid);
    const jwks = await credentialJwks({ keys: after });
    expect(jwks.keys.map((key) => key.kid)).toEqual([after.kid, before.kid]);
    expect(verifyWithPublishedKeys(oldJwt, jwks)).toBe(true);
    expect((await verifyUploadedCredential({ input: oldJwt, keys: after, clock })).verdict).toBe("valid");
    const { jwt: newJwt } = await certificateCredential({ actor: holder, code: certificate.code, keys: after, clock });
    expect(decodePart(newJwt.split(".")[0]).kid).toBe(after.kid);

    // Configured through the environment: the same holds only while the old key is listed as retired.
    const next = await generateSigningJwk();
    const retiredListed = await loadCredentialKeys({ signingKey: next, retiredKeys: after.publicKeys, dir });
    expect((await verifyUploadedCredential({ input: oldJwt, keys: retiredListed, clock })).checks.signature.outcome).toBe("pass");
    const forgotten = await loadCredentialKeys({ signingKey: next, dir });
    expect((await verifyUploadedCredential({ input: oldJwt, keys: forgotten, clock })).checks.signature).toMatchObject({ outcome: "fail", message: "credentialCheck.signature.unknownKey" });
  });
});
