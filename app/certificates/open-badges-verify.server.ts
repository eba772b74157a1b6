import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { readLimitedForm } from "~/utils/limited-form.server.ts";
import { parseCertificateCode } from "./code.ts";
import { certificateState } from "./expiry.ts";
import type { CredentialKeys } from "./keys.server.ts";
import { platformCredentialKeys } from "./open-badges.server.ts";
import { CREDENTIAL_PATHS, credentialStatusOf, isRecord, MAX_CREDENTIAL_BYTES, readUploadedCredential } from "./open-badges.ts";
import { validateAchievementCredential } from "./open-badges-schema.ts";

// The verification page's second form: someone uploads an Opora credential (or pastes its token)
// and sees, check by check, whether it is ours, unaltered, well-formed and still valid.

export type CheckOutcome = "pass" | "fail" | "skipped";
/** `message` is an i18n key; `vars` fill its placeholders. */
export type CredentialCheck = { outcome: CheckOutcome; message: string; vars?: Record<string, string> };
export type CredentialCheckReport = {
  verdict: "valid" | "notCurrent" | "untrusted";
  checks: { signature: CredentialCheck; issuer: CredentialCheck; schema: CredentialCheck; status: CredentialCheck };
  /** what the credential states, shown only once it is known to be ours */
  summary: { code: string; name: string; holder: string; issuer: string; validFrom: string; validUntil: string } | null;
};

const ACCEPTED_ALGORITHMS = ["EdDSA", "Ed25519"];

/**
 * Checks an uploaded credential. Input that is not a credential at all (too large, not JSON, not a
 * token, unsigned) is an INVALID error the form shows; a credential that fails a check is a report.
 */
export async function verifyUploadedCredential({ input, keys, clock = systemClock }: { input: string; keys?: CredentialKeys; clock?: Clock }): Promise<CredentialCheckReport> {
  if (new TextEncoder().encode(input).byteLength > MAX_CREDENTIAL_BYTES) throw new DomainError("INVALID", "credentialCheck.tooLarge");
  const reading = readUploadedCredential(input);
  if ("problem" in reading) throw new DomainError("INVALID", reading.problem);
  const { jwt } = reading;
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(jwt);
    payload = decodeJwt(jwt);
  } catch {
    throw new DomainError("INVALID", "credentialCheck.malformed");
  }
  const credential = payload.vc;
  if (!isRecord(credential)) throw new DomainError("INVALID", "credentialCheck.notCredential");

  const signature = await checkSignature(jwt, header, keys ?? (await platformCredentialKeys()));
  const issuer = checkIssuer(credential, payload);
  const schemaResult = validateAchievementCredential(credential);
  const schema: CredentialCheck = schemaResult.valid ? { outcome: "pass", message: "credentialCheck.schema.valid" } : { outcome: "fail", message: "credentialCheck.schema.invalid", vars: { detail: schemaResult.problems.join("; ") } };
  // Only a credential we signed is looked up, so this is no way round the throttle on codes.
  const trusted = signature.outcome === "pass" && issuer.outcome === "pass";
  const code = trusted ? certificateCodeOf(credential, payload) : null;
  const status = trusted ? await checkStatus(code, clock) : { outcome: "skipped" as const, message: "credentialCheck.status.skipped" };

  const genuine = trusted && schema.outcome === "pass";
  return {
    verdict: genuine ? (status.outcome === "pass" ? "valid" : "notCurrent") : "untrusted",
    checks: { signature, issuer, schema, status },
    summary: trusted && code ? summaryOf(code, credential) : null,
  };
}

async function checkSignature(jwt: string, header: ProtectedHeaderParameters, keys: CredentialKeys): Promise<CredentialCheck> {
  const alg = String(header.alg ?? "none");
  if (!ACCEPTED_ALGORITHMS.includes(alg)) return { outcome: "fail", message: "credentialCheck.signature.algorithm", vars: { alg } };
  const kid = String(header.kid ?? "—");
  const jwk = keys.publicKeys.find((key) => key.kid === header.kid);
  if (!jwk) return { outcome: "fail", message: "credentialCheck.signature.unknownKey", vars: { kid } };
  try {
    await compactVerify(jwt, await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, alg), { algorithms: ACCEPTED_ALGORITHMS });
    return { outcome: "pass", message: "credentialCheck.signature.valid", vars: { kid } };
  } catch {
    return { outcome: "fail", message: "credentialCheck.signature.invalid" };
  }
}

function checkIssuer(credential: Record<string, unknown>, payload: JWTPayload): CredentialCheck {
  const expected = publicUrl(CREDENTIAL_PATHS.issuer);
  const named = typeof credential.issuer === "string" ? credential.issuer : isRecord(credential.issuer) && typeof credential.issuer.id === "string" ? credential.issuer.id : undefined;
  if (named === expected && payload.iss === expected) return { outcome: "pass", message: "credentialCheck.issuer.valid", vars: { issuer: expected } };
  return { outcome: "fail", message: "credentialCheck.issuer.foreign", vars: { issuer: String(named ?? payload.iss ?? "—") } };
}

/** The certificate code in the credential's id (`…/verify/CODE`), which the JWT's jti repeats. */
function certificateCodeOf(credential: Record<string, unknown>, payload: JWTPayload) {
  const prefix = publicUrl(CREDENTIAL_PATHS.certificate(""));
  const id = typeof credential.id === "string" ? credential.id : payload.jti;
  return id?.startsWith(prefix) ? parseCertificateCode(id.slice(prefix.length)) : null;
}

async function checkStatus(code: string | null, clock: Clock): Promise<CredentialCheck> {
  const row = code ? await db.certificate.findUnique({ where: { code }, select: { expiresOn: true, timeZone: true, revokedAt: true, supersededAt: true } }) : null;
  if (!row) return { outcome: "fail", message: "credentialCheck.status.unknown" };
  const status = credentialStatusOf(certificateState(row, clock.now(), row.timeZone));
  return { outcome: status === "active" ? "pass" : "fail", message: `credentialCheck.status.${status}` };
}

function summaryOf(code: string, credential: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const subject = isRecord(credential.credentialSubject) ? credential.credentialSubject : {};
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isRecord) : [];
  const achievement = isRecord(subject.achievement) ? subject.achievement : {};
  return {
    code,
    name: text(achievement.name),
    holder: text(identifiers.find((identity) => identity.identityType === "name" && identity.hashed === false)?.identityHash),
    issuer: isRecord(credential.issuer) ? text(credential.issuer.name) : "",
    validFrom: text(credential.validFrom),
    validUntil: text(credential.validUntil),
  };
}

/**
 * The uploaded file, or else the pasted text, from the form, read with a limit: a body larger
 * than a credential and a pasted token together is refused before it is parsed.
 */
export async function readCredentialUpload(request: Request) {
  const limit = 2 * MAX_CREDENTIAL_BYTES + 16 * 1024;
  const form = await readLimitedForm(request, limit, { tooLarge: "credentialCheck.tooLarge", unreadable: "credentialCheck.empty" });
  const file = form.get("file");
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_CREDENTIAL_BYTES) throw new DomainError("INVALID", "credentialCheck.tooLarge");
    return file.text();
  }
  const pasted = form.get("jwt");
  return typeof pasted === "string" ? pasted : "";
}
