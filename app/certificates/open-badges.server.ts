import { resolve } from "node:path";
import { SignJWT } from "jose";
import { DEFAULT_LOCALE, isLocale, type Locale, pick, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { env, publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { actsForOrganisation } from "~/domain/organisations.server.ts";
import { recordRecordAccess } from "~/privacy/record-access.server.ts";
import { beginAttempt } from "~/utils/throttle.server.ts";
import { parseCertificateCode } from "./code.ts";
import { certificateState } from "./expiry.ts";
import { type CredentialKeys, loadCredentialKeys, SIGNING_ALGORITHM } from "./keys.server.ts";
import { buildOpenBadgeCredential, CREDENTIAL_PATHS, credentialStatusOf, identityHash, jwtClaimsFor, OB_CONTEXT, type OpenBadgeCredential, VC_CONTEXT } from "./open-badges.ts";

// Open Badges 3.0 credentials for certificates: the holder's download, the public status of one
// credential, and the issuer profile and keys verifiers need. Checking an uploaded credential is in
// open-badges-verify.server.ts.

let platformKeys: Promise<CredentialKeys> | undefined;

/** The platform's signing keys, loaded once per process (from the environment, else .data/keys). */
export function platformCredentialKeys() {
  platformKeys ??= loadCredentialKeys({ signingKey: env.CREDENTIAL_SIGNING_KEY, retiredKeys: env.CREDENTIAL_RETIRED_KEYS, dir: resolve(env.CREDENTIAL_KEYS_DIR) }).catch((error) => {
    platformKeys = undefined;
    throw error;
  });
  return platformKeys;
}

/** A credential signed as a VC-JWT (compact JWS, EdDSA) with the active key. */
export async function signCredential(credential: OpenBadgeCredential, keys: CredentialKeys, signedAt: Date) {
  return new SignJWT({ vc: credential, ...jwtClaimsFor(credential, signedAt) }).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.kid, typ: "JWT" }).sign(keys.privateKey);
}

/**
 * The certificate as a signed OpenBadgeCredential, for its holder, an organiser of the issuing
 * organisation or an admin (the same people as the PDF); anyone else cannot tell it exists. Texts
 * follow the holder's language, whoever downloads it, so one certificate reads the same for all.
 * Someone else's download is logged for the holder to see ("Who has seen my record"), at most hourly.
 */
export async function certificateCredential({ actor, code, keys, clock = systemClock }: { actor: Actor; code: string; keys?: CredentialKeys; clock?: Clock }) {
  const parsed = parseCertificateCode(code);
  const row = parsed
    ? await db.certificate.findUnique({
        where: { code: parsed },
        select: {
          id: true,
          code: true,
          userId: true,
          organisationId: true,
          courseId: true,
          holderName: true,
          courseTitle: true,
          courseVersion: true,
          issuerName: true,
          issuedAt: true,
          expiresOn: true,
          timeZone: true,
          cpdCredits: true,
          enrolment: { select: { user: { select: { email: true, locale: true } } } },
        },
      })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (row.userId !== actor.id && !(await actsForOrganisation(actor, row.organisationId, row.userId))) throw new DomainError("NOT_FOUND", "errors.notFound");
  await recordRecordAccess({ actor, subjectUserId: row.userId, organisationId: row.organisationId, action: "certificate.credential", subjectType: "Certificate", subjectId: row.id, clock });
  const course = await db.course.findUniqueOrThrow({ where: { id: row.courseId }, select: { slug: true } });
  const holder = row.enrolment.user;
  const locale: Locale = isLocale(holder.locale) ? holder.locale : DEFAULT_LOCALE;
  const credential = buildOpenBadgeCredential(
    {
      code: row.code,
      holderName: row.holderName,
      holderEmailHash: await identityHash(holder.email, row.code),
      courseTitle: pick(row.courseTitle as Record<string, string>, locale),
      courseVersion: row.courseVersion,
      courseUrl: publicUrl(`/courses/${course.slug}`),
      issuerName: row.issuerName,
      issuedAt: row.issuedAt,
      expiresOn: row.expiresOn,
      timeZone: row.timeZone,
      cpdCredits: row.cpdCredits,
    },
    { t: translator(locale), url: publicUrl },
  );
  const jwt = await signCredential(credential, keys ?? (await platformCredentialKeys()), clock.now());
  return { jwt, credential, filename: `opora-credential-${row.code}.json` };
}

// The same budget as the verification page (same key): someone trying codes is slowed whichever
// door they use; valid look-ups leave nothing counted.
const UNKNOWN_LIMITS = [{ scope: "client", max: 20, windowMs: 10 * 60_000 }];

/** Whether a credential is active, revoked, superseded or expired: nothing about its holder. */
export async function credentialStatus({ input, clientIp, clock = systemClock }: { input: string; clientIp: string; clock?: Clock }) {
  const keys = { client: `verify:${clientIp}` };
  const attempt = await beginAttempt(keys, UNKNOWN_LIMITS, clock);
  if (!attempt) throw new DomainError("TOO_MANY_REQUESTS", "check.throttled");
  const code = parseCertificateCode(input);
  const row = code ? await db.certificate.findUnique({ where: { code }, select: { code: true, expiresOn: true, timeZone: true, revokedAt: true, supersededAt: true } }) : null;
  if (!row) throw new DomainError("NOT_FOUND", "check.unknown");
  await attempt.forget();
  const now = clock.now();
  return { id: publicUrl(CREDENTIAL_PATHS.certificate(row.code)), status: credentialStatusOf(certificateState(row, now, row.timeZone)), checkedAt: now.toISOString() };
}

/** The public keys as a JWK Set: the active key and every retired one. */
export async function credentialJwks({ keys }: { keys?: CredentialKeys } = {}) {
  return { keys: (keys ?? (await platformCredentialKeys())).publicKeys };
}

/** Opora's OB 3.0 issuer Profile: the `issuer.id` every credential points at. */
export function issuerProfile(locale: Locale) {
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: publicUrl(CREDENTIAL_PATHS.issuer),
    type: ["Profile"],
    name: "Opora",
    url: publicUrl("/"),
    description: translator(locale)("openBadges.issuerDescription"),
  };
}
