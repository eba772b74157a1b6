import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import { type PrivateJwk, PrivateJwkSchema, type PublicJwk, PublicJwkSchema } from "./open-badges-jwk.ts";

// The Ed25519 keys that sign Open Badges credentials. They come from the environment
// (CREDENTIAL_SIGNING_KEY, CREDENTIAL_RETIRED_KEYS) or, when that is unset, from a key generated once
// into a directory (.data/keys by default) and reused on every start. Retired keys stay published so
// that credentials they signed keep verifying. This file reads no environment itself, so that
// `rotateCredentialKey` can be run from a shell (see README.md).

export const SIGNING_ALGORITHM = "EdDSA";
const SIGNING_KEY_FILE = "signing-key.json";
const RETIRED_KEYS_FILE = "retired-keys.json";

/** What is published for one key: the public part only, whatever the input held. */
export type PublishedJwk = PublicJwk & { alg: typeof SIGNING_ALGORITHM; use: "sig" };

export type CredentialKeys = {
  /** the key id new credentials are signed with */
  kid: string;
  privateKey: CryptoKey;
  /** every key a credential of ours may carry: the active one first, then the retired ones */
  publicKeys: PublishedJwk[];
};

export function publishedJwk(jwk: PublicJwk): PublishedJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, alg: SIGNING_ALGORITHM, use: "sig" };
}

/** A new private key whose `kid` is its RFC 7638 thumbprint. */
export async function generateSigningJwk(): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair("Ed25519", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  return PrivateJwkSchema.parse({ ...jwk, kid });
}

/** The key set for a signing key and the keys it replaced (a retired key with the active kid is ignored). */
export async function credentialKeysFrom({ signingJwk, retiredJwks = [] }: { signingJwk: PrivateJwk; retiredJwks?: PublicJwk[] }): Promise<CredentialKeys> {
  const privateKey = (await importJWK({ kty: signingJwk.kty, crv: signingJwk.crv, x: signingJwk.x, d: signingJwk.d }, SIGNING_ALGORITHM)) as CryptoKey;
  const publicKeys = new Map<string, PublishedJwk>([[signingJwk.kid, publishedJwk(signingJwk)]]);
  for (const jwk of retiredJwks) if (!publicKeys.has(jwk.kid)) publicKeys.set(jwk.kid, publishedJwk(jwk));
  return { kid: signingJwk.kid, privateKey, publicKeys: [...publicKeys.values()] };
}

/**
 * The platform's keys: `signingKey` when given (from the environment), else the key in `dir`,
 * generated there on first use (file mode 0600). Retired keys from `dir` and from `retiredKeys` are
 * both published.
 */
export async function loadCredentialKeys({ signingKey, retiredKeys = [], dir }: { signingKey?: PrivateJwk; retiredKeys?: PublicJwk[]; dir: string }) {
  if (signingKey) return credentialKeysFrom({ signingJwk: signingKey, retiredJwks: retiredKeys });
  const signingJwk = await readOrCreateSigningKey(dir);
  return credentialKeysFrom({ signingJwk, retiredJwks: [...(await readRetiredKeys(dir)), ...retiredKeys] });
}

/**
 * Retires the key in `dir` (its public part moves to retired-keys.json) and makes a new one active.
 * Processes pick the new key up when they restart; until then they keep signing with the old one,
 * which stays published, so nothing fails in between.
 */
export async function rotateCredentialKey({ dir = ".data/keys" }: { dir?: string } = {}) {
  const current = await readOrCreateSigningKey(dir);
  const retired = await readRetiredKeys(dir);
  if (!retired.some((jwk) => jwk.kid === current.kid)) retired.push(PublicJwkSchema.parse(current));
  await replaceFile(join(dir, RETIRED_KEYS_FILE), retired, 0o644);
  const next = await generateSigningJwk();
  await replaceFile(join(dir, SIGNING_KEY_FILE), next, 0o600);
  return { retiredKid: current.kid, kid: next.kid };
}

async function readJson(file: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
}

async function readRetiredKeys(dir: string) {
  const file = join(dir, RETIRED_KEYS_FILE);
  const parsed = PublicJwkSchema.array().safeParse((await readJson(file)) ?? []);
  if (!parsed.success) throw new Error(`${file} must be an array of public Ed25519 JWKs with a kid`);
  return parsed.data;
}

async function readSigningKey(file: string) {
  const json = await readJson(file);
  if (json === undefined) return undefined;
  const parsed = PrivateJwkSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} must be a private Ed25519 JWK with a kid`);
  return parsed.data;
}

async function readOrCreateSigningKey(dir: string): Promise<PrivateJwk> {
  const file = join(dir, SIGNING_KEY_FILE);
  const existing = await readSigningKey(file);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written in full to a temporary file and then linked into place, which fails if the file exists:
  // two processes starting at once both end up with whichever key was linked first.
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(await generateSigningJwk(), null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temporary);
  }
  return (await readSigningKey(file))!;
}

async function replaceFile(file: string, value: unknown, mode: number) {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}
