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
  /** retention (app/privacy/retention.server.ts): raw quiz answers and case choices, months after the course was completed */
  RETENTION_QUIZ_ANSWERS_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  /** retention: days a certificate ZIP is kept after it was prepared */
  RETENTION_EXPORTS_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** retention: months the log of sent emails is kept */
  RETENTION_EMAIL_LOG_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /** the data controller named in the privacy notice and terms (/privacy, /terms); required in production, see legalContacts */
  CONTROLLER_NAME: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).max(200).optional()),
  CONTROLLER_ADDRESS: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).max(300).optional()),
  CONTROLLER_EMAIL: z.preprocess((value) => (value === "" ? undefined : value), z.email({ message: "CONTROLLER_EMAIL must be an email address people can write to about their data" }).optional()),
  /** the data protection officer, when the controller has one */
  DPO_EMAIL: z.preprocess((value) => (value === "" ? undefined : value), z.email({ message: "DPO_EMAIL must be an email address" }).optional()),
  /** set by scripts/start.mjs for demo installations: legal placeholders are then allowed in production mode */
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  /** where SCORM package files are served from: another site than PUBLIC_URL (app/scorm/content-origin.server.ts) */
  CONTENT_ORIGIN: z.preprocess((value) => (value === "" ? undefined : value), z.url({ message: "CONTENT_ORIGIN must be a URL, e.g. https://content.opora.example" }).optional()),
  /** treat a SCORM 1.2 package that ends without setting a status as completed (some only call LMSInitialize and LMSFinish) */
  SCORM_12_COMPLETE_ON_FINISH: z.enum(["0", "1"]).default("1"),
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

/**
 * Who is responsible for personal data in this installation, as the privacy notice and terms name
 * them. A real installation must say (start-up fails otherwise); development, tests and demo
 * installations show placeholders that tell the operator what to set.
 */
export function readLegalContacts(settings: Pick<Env, "NODE_ENV" | "OPORA_DEMO" | "SEED_DEMO" | "CONTROLLER_NAME" | "CONTROLLER_ADDRESS" | "CONTROLLER_EMAIL" | "DPO_EMAIL">) {
  const required = { CONTROLLER_NAME: settings.CONTROLLER_NAME, CONTROLLER_ADDRESS: settings.CONTROLLER_ADDRESS, CONTROLLER_EMAIL: settings.CONTROLLER_EMAIL };
  const missing = Object.entries(required).filter(([, value]) => !value).map(([name]) => name);
  const placeholdersAllowed = settings.NODE_ENV !== "production" || settings.OPORA_DEMO === "1" || settings.SEED_DEMO === "1";
  if (missing.length && !placeholdersAllowed) {
    throw new Error(`Opora cannot start: the privacy notice must name the data controller.\n${missing.map((name) => `  ${name}: required in production`).join("\n")}\nSee .env.example.`);
  }
  const placeholder = (name: string) => `[configure ${name}]`;
  return {
    controllerName: settings.CONTROLLER_NAME ?? placeholder("CONTROLLER_NAME"),
    controllerAddress: settings.CONTROLLER_ADDRESS ?? placeholder("CONTROLLER_ADDRESS"),
    controllerEmail: settings.CONTROLLER_EMAIL ?? placeholder("CONTROLLER_EMAIL"),
    dpoEmail: settings.DPO_EMAIL ?? null,
  };
}

export const legalContacts = readLegalContacts(env);

export const isSecureDeployment = new URL(env.PUBLIC_URL).protocol === "https:";

/** The dev mailbox and file mail transport exist only where no real mail is sent. */
export const devMailboxEnabled = !env.SMTP_URL && (env.NODE_ENV !== "production" || env.OPORA_DEMO === "1");

export function publicUrl(path: string) {
  return new URL(path, env.PUBLIC_URL).toString();
}
