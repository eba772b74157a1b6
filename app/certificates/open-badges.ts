import type { Translate } from "~/i18n/index.ts";
import { startOfLocalDay } from "~/utils/local-time.ts";
import type { CertificateState } from "./expiry.ts";

// An Opora certificate as an Open Badges 3.0 OpenBadgeCredential, and the pure rules around it:
// dates, the hashed e-mail address, what an uploaded file contains. The reasons for each choice are
// in docs/decisions/0007-open-badges-credentials.md.

export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const OB_SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
/** Our own status method: GET the `credentialStatus.id` URL (see the status route). */
export const STATUS_METHOD = "OporaCertificateStatus";
/** The largest credential the verification page reads. Ours are a few kilobytes. */
export const MAX_CREDENTIAL_BYTES = 200 * 1024;

export const CREDENTIAL_PATHS = {
  issuer: "/credentials/issuer",
  jwks: "/.well-known/jwks.json",
  certificate: (code: string) => `/verify/${code}`,
  status: (code: string) => `/api/certificates/${code}/status`,
};

/** What the status endpoint and the credential check report: expiring soon is still active. */
export type CredentialStatus = "active" | "revoked" | "superseded" | "expired";

export function credentialStatusOf(state: CertificateState): CredentialStatus {
  return state === "valid" || state === "expiring" ? "active" : state;
}

// `validUntil` is the start of `expiresOn` where the organisation is (a certificate is valid up to
// and including the day before): the moment the verification page starts saying "expired".
export { startOfLocalDay };

/** ISO 8601 in UTC without milliseconds, as credentials usually carry dates. */
export function isoSeconds(instant: Date) {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An OB 3.0 IdentityHash: "sha256$" and the hex SHA-256 of the value followed by the salt (UTF-8). */
export async function identityHash(value: string, salt: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value + salt));
  return `sha256$${Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

export type IdentityObject = { type: "IdentityObject"; identityType: string; hashed: boolean; identityHash: string; salt?: string };

export type OpenBadgeCredential = {
  "@context": string[];
  id: string;
  type: string[];
  name: string;
  description: string;
  issuer: { id: string; type: string[]; name: string; url: string };
  validFrom: string;
  validUntil: string;
  issuanceDate: string;
  expirationDate: string;
  credentialSubject: {
    type: string[];
    identifier: IdentityObject[];
    creditsEarned: number;
    achievement: {
      id: string;
      type: string[];
      achievementType: string;
      name: string;
      description: string;
      criteria: { id: string; narrative: string };
      creditsAvailable: number;
      version: string;
    };
  };
  credentialStatus: { id: string; type: string };
  credentialSchema: Array<{ id: string; type: string }>;
};

export type CredentialFacts = {
  code: string;
  holderName: string;
  /** identityHash() of the holder's e-mail address, salted with `code` */
  holderEmailHash: string;
  courseTitle: string;
  courseVersion: number;
  courseUrl: string;
  issuerName: string;
  issuedAt: Date;
  expiresOn: string;
  timeZone: string;
  cpdCredits: number;
};

/**
 * The credential for a certificate. Texts are in one language (`t`): the holder's. The VCDM 1.1
 * dates repeat the 2.0 ones because the vendored schema still requires `issuanceDate`.
 */
export function buildOpenBadgeCredential(facts: CredentialFacts, { t, url }: { t: Translate; url: (path: string) => string }): OpenBadgeCredential {
  const validFrom = isoSeconds(facts.issuedAt);
  const validUntil = isoSeconds(startOfLocalDay(facts.expiresOn, facts.timeZone));
  const course = facts.courseTitle;
  const version = facts.courseVersion;
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: url(CREDENTIAL_PATHS.certificate(facts.code)),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: t("openBadges.credentialName", { course }),
    description: t("openBadges.credentialDescription", { course, version, issuer: facts.issuerName }),
    issuer: { id: url(CREDENTIAL_PATHS.issuer), type: ["Profile"], name: facts.issuerName, url: url("/") },
    validFrom,
    validUntil,
    issuanceDate: validFrom,
    expirationDate: validUntil,
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [
        { type: "IdentityObject", identityType: "emailAddress", hashed: true, identityHash: facts.holderEmailHash, salt: facts.code },
        { type: "IdentityObject", identityType: "name", hashed: false, identityHash: facts.holderName },
      ],
      creditsEarned: facts.cpdCredits,
      achievement: {
        id: `${facts.courseUrl}#version-${version}`,
        type: ["Achievement"],
        achievementType: "CertificateOfCompletion",
        name: course,
        description: t("openBadges.achievementDescription", { course, version }),
        criteria: { id: facts.courseUrl, narrative: t("openBadges.criteria") },
        creditsAvailable: facts.cpdCredits,
        version: String(version),
      },
    },
    credentialStatus: { id: url(CREDENTIAL_PATHS.status(facts.code)), type: STATUS_METHOD },
    credentialSchema: [{ id: OB_SCHEMA_ID, type: "1EdTechJsonSchemaValidator2019" }],
  };
}

/** The registered JWT claims that repeat the credential (VC-JWT as OB 3.0 describes it). */
export function jwtClaimsFor(credential: OpenBadgeCredential, signedAt: Date) {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  return {
    iss: credential.issuer.id,
    jti: credential.id,
    nbf: seconds(credential.validFrom),
    exp: seconds(credential.validUntil),
    iat: Math.floor(signedAt.getTime() / 1000),
  };
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type UploadProblem = "credentialCheck.empty" | "credentialCheck.notJson" | "credentialCheck.notJwt" | "credentialCheck.unsigned";

/**
 * The compact JWS in what someone uploaded or pasted: the token itself, our download file
 * (`{ "jwt": …, "credential": … }`), or the token as a JSON string. Anything else is a problem
 * the page can explain.
 */
export function readUploadedCredential(text: string): { jwt: string } | { problem: UploadProblem } {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) return { problem: "credentialCheck.empty" };
  if (COMPACT_JWS.test(trimmed)) return { jwt: trimmed };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { problem: "credentialCheck.notJson" };
  }
  const candidate = typeof parsed === "string" ? parsed : isRecord(parsed) && typeof parsed.jwt === "string" ? parsed.jwt : null;
  if (candidate !== null) return COMPACT_JWS.test(candidate.trim()) ? { jwt: candidate.trim() } : { problem: "credentialCheck.notJwt" };
  if (isRecord(parsed) && ("credentialSubject" in parsed || "credential" in parsed)) return { problem: "credentialCheck.unsigned" };
  return { problem: "credentialCheck.notJwt" };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
