import { createHash, randomBytes } from "node:crypto";

/** A random URL-safe secret (256 bits) and the hash we store instead of it. */
export function newSecret() {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string) {
  return createHash("sha256").update(secret).digest("hex");
}
