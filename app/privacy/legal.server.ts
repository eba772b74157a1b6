import { type Locale, translator } from "~/i18n/index.ts";
import { env, legalContacts } from "~/utils/env.server.ts";
import { DELETION_GRACE_DAYS } from "./account.server.ts";
import privacyEn from "./content/privacy.en.md?raw";
import privacySl from "./content/privacy.sl.md?raw";
import termsEn from "./content/terms.en.md?raw";
import termsSl from "./content/terms.sl.md?raw";

// The privacy notice and terms are Markdown files per language in ./content, so that whoever runs
// Opora can read and adjust them as documents. `{name}` placeholders are filled from configuration:
// the controller's details and the retention periods actually in force.

const DOCUMENTS = {
  privacy: { sl: privacySl, en: privacyEn },
  terms: { sl: termsSl, en: termsEn },
} satisfies Record<string, Record<Locale, string>>;

export type LegalDocumentName = keyof typeof DOCUMENTS;

/** A configured value as literal Markdown text: a "*" or "_" in a name must not start emphasis. */
function literal(text: string) {
  return text.replace(/\s*\n\s*/g, ", ").replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, "\\$&");
}

/** An email address stays as it is, so that Markdown makes it a link; a placeholder is shown literally. */
function emailAddress(text: string) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? text : literal(text);
}

type LegalContacts = typeof legalContacts;

function placeholders(locale: Locale, contacts: LegalContacts): Record<string, string> {
  const t = translator(locale);
  return {
    controllerName: literal(contacts.controllerName),
    controllerAddress: literal(contacts.controllerAddress),
    controllerEmail: emailAddress(contacts.controllerEmail),
    dpoContact: contacts.dpoEmail ? t("legal.dpo", { email: emailAddress(contacts.dpoEmail) }) : "",
    quizAnswersMonths: String(env.RETENTION_QUIZ_ANSWERS_MONTHS),
    emailLogMonths: String(env.RETENTION_EMAIL_LOG_MONTHS),
    exportsDays: String(env.RETENTION_EXPORTS_DAYS),
    deletionGraceDays: String(DELETION_GRACE_DAYS),
  };
}

/** The document's Markdown in the reader's language, with the installation's details filled in. */
export function legalDocument(name: LegalDocumentName, locale: Locale, contacts: LegalContacts = legalContacts) {
  const values = placeholders(locale, contacts);
  return DOCUMENTS[name][locale].replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}
