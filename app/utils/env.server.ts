import { z } from "zod";
import { RetiredKeysEnvSchema, SigningKeyEnvSchema } from "../certificates/open-badges-jwk.ts";

// Every setting Opora reads from the environment, validated once at start-up. `.env.example`
// lists them all with safe examples.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL (npm start sets it for the embedded database)" }),
  PUBLIC_URL: z.url({ message: "PUBLIC_URL must be the URL users reach Opora at, e.g. https://opora.example.org" }).default("http://localhost:3000"),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Opora <no-reply@opora.test>"),
  MAIL_DIR: z.string().default(".data/mail"),
  OPORA_DEMO: z.enum(["0", "1"]).default("0"),
  TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** milliseconds added to the real time; only honoured in tests (see clock.server.ts) */
  OPORA_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  /** Open Badges signing key (private Ed25519 JWK with a kid); unset: generated once into CREDENTIAL_KEYS_DIR */
  CREDENTIAL_SIGNING_KEY: z.preprocess((value) => (value === "" ? undefined : value), SigningKeyEnvSchema.optional()),
  /** public JWKs of earlier signing keys, still published so that what they signed verifies */
  CREDENTIAL_RETIRED_KEYS: z.preprocess((value) => (value === "" ? undefined : value), RetiredKeysEnvSchema.default([])),
  CREDENTIAL_KEYS_DIR: z.string().default(".data/keys"),
});

export type Env = z.infer<typeof EnvSchema>;

function readEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Opora cannot start: invalid environment.\n${lines.join("\n")}\nSee .env.example.`);
  }
  return parsed.data;
}

export const env = readEnv();

export const isSecureDeployment = new URL(env.PUBLIC_URL).protocol === "https:";

/** The dev mailbox and file mail transport exist only where no real mail is sent. */
export const devMailboxEnabled = !env.SMTP_URL && (env.NODE_ENV !== "production" || env.OPORA_DEMO === "1");

export function publicUrl(path: string) {
  return new URL(path, env.PUBLIC_URL).toString();
}
