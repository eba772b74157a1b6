import { describePath, isRecord, withContext } from "./describe-path";
import type { ProblemList } from "./problem-list";
import { LOCALES, type Locale } from "./schema";
import type { PathKey, YamlSource } from "./yaml-source";

const LOCALE_KEYS = new Set<string>(LOCALES);

/**
 * Reports every localised text in a validated file that lacks one of the course's locales (absent or
 * blank). Localised texts are recognised by shape: an object whose keys are all locales and whose
 * values are all strings. `accept` of short answers is keyed by locale too but holds lists; it is
 * checked with its own message in check-quiz.ts.
 */
export function checkTranslations(
  source: YamlSource,
  data: unknown,
  locales: readonly Locale[],
  problems: ProblemList,
): void {
  const visit = (value: unknown, path: PathKey[]) => {
    if (isLocalisedText(value)) {
      for (const locale of locales) {
        const text = value[locale];
        if (typeof text === "string" && text.trim() !== "") continue;
        const { context, field } = describePath(data, path);
        const what = field === "" ? `missing translation "${locale}"` : `missing translation "${locale}" for ${field}`;
        problems.at(source, path, withContext(context, what));
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
}

function isLocalisedText(value: unknown): value is Partial<Record<Locale, string>> {
  if (!isRecord(value)) return false;
  return Object.entries(value).every(
    ([key, text]) => LOCALE_KEYS.has(key) && (typeof text === "string" || text === undefined),
  );
}
