import { describePath, isRecord, withContext } from "./describe-path";
import type { ProblemList } from "./problem-list";
import { LOCALES, type Locale } from "./schema";
import type { PathKey, YamlSource } from "./yaml-source";

const LOCALE_KEYS = new Set<string>(LOCALES);

/** One localised text without one of the course's locales: where it is, named as trainers read it. */
export type MissingTranslation = {
  path: PathKey[];
  locale: Locale;
  /** The list elements on the way (`question "q1", option "b"`), empty at the top of a file. */
  context: string;
  /** The field left after the last element (`prompt`, `title`). */
  field: string;
};

/**
 * Every localised text in a file's data that lacks one of `locales` (absent or blank). Localised
 * texts are recognised by shape: an object whose keys are all locales and whose values are all
 * strings. `accept` of short answers is keyed by locale too but holds lists; it is checked with its
 * own message in check-quiz.ts. Pure, so the editor's translations view counts exactly what the
 * checker reports.
 */
export function findMissingTranslations(data: unknown, locales: readonly Locale[]): MissingTranslation[] {
  const missing: MissingTranslation[] = [];
  const visit = (value: unknown, path: PathKey[]) => {
    if (isLocalisedText(value)) {
      for (const locale of locales) {
        const text = value[locale];
        if (typeof text === "string" && text.trim() !== "") continue;
        missing.push({ path, locale, ...describePath(data, path) });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        visit(item, [...path, index]);
      });
    } else if (isRecord(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key !== "accept") visit(child, [...path, key]);
      }
    }
  };
  visit(data, []);
  return missing;
}

/** Reports every missing translation in a validated file (see findMissingTranslations). */
export function checkTranslations(
  source: YamlSource,
  data: unknown,
  locales: readonly Locale[],
  problems: ProblemList,
): void {
  for (const { path, locale, context, field } of findMissingTranslations(data, locales)) {
    const what = field === "" ? `missing translation "${locale}"` : `missing translation "${locale}" for ${field}`;
    problems.at(source, path, withContext(context, what));
  }
}

function isLocalisedText(value: unknown): value is Partial<Record<Locale, string>> {
  if (!isRecord(value)) return false;
  return Object.entries(value).every(
    ([key, text]) => LOCALE_KEYS.has(key) && (typeof text === "string" || text === undefined),
  );
}
