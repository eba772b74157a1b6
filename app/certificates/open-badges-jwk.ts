import { z } from "zod";

// The shapes of the keys that sign Open Badges credentials (Ed25519 JWKs, RFC 8037), shared by the
// environment check (app/utils/env.server.ts) and the key files (keys.server.ts). Messages never
// repeat the value: it may be a private key.

// An Ed25519 public or private key is 32 bytes: 43 base64url characters without padding.
const key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be 32 bytes in base64url");

export const PublicJwkSchema = z.object({
  kty: z.literal("OKP", "kty must be OKP"),
  crv: z.literal("Ed25519", "crv must be Ed25519"),
  x: key32,
  kid: z.string().trim().min(1, "kid is required").max(200),
});
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const PrivateJwkSchema = PublicJwkSchema.extend({ d: key32 });
export type PrivateJwk = z.infer<typeof PrivateJwkSchema>;

function jsonText(what: string) {
  return z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: `must be ${what} as JSON` });
      return z.NEVER;
    }
  });
}

/** CREDENTIAL_SIGNING_KEY: one private Ed25519 JWK with a `kid`. */
export const SigningKeyEnvSchema = jsonText("a private Ed25519 JWK").pipe(PrivateJwkSchema);

/** CREDENTIAL_RETIRED_KEYS: the public JWKs of earlier signing keys, so what they signed still verifies. */
export const RetiredKeysEnvSchema = jsonText("an array of public Ed25519 JWKs").pipe(z.array(PublicJwkSchema));
