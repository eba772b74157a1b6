import { en } from "./en.ts";
import { sl } from "./sl.ts";

export const LOCALES = ["sl", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "sl";
export type MessageKey = keyof typeof en;
export type Translate = (key: MessageKey | (string & {}), vars?: Record<string, string | number>) => string;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { sl, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** `t("key", { name })` replaces `{name}`; unknown keys show themselves so gaps are visible, not blank. */
export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, vars) => {
    const template = (dictionary as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match)) : template;
  };
}

/** The best of our locales for an Accept-Language header, honouring q-values. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { base: tag.toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.base).find(isLocale) ?? null;
}

/** Localised course text `{ sl, en, uk? }`: the user's locale, else Slovene, else any. */
export function pick(text: Partial<Record<string, string>> | null | undefined, locale: string): string {
  if (!text) return "";
  return text[locale] ?? text[DEFAULT_LOCALE] ?? text.en ?? Object.values(text).find(Boolean) ?? "";
}

// Building an Intl formatter costs far more than using one, and a page of 50 people formats 100
// dates: one formatter per (kind, locale, time zone), kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "date" | "dateTime", locale: Locale, timeZone: string) {
  const key = `${kind}|${locale}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const style: Intl.DateTimeFormatOptions = kind === "date" ? { dateStyle: "long" } : { dateStyle: "medium", timeStyle: "short" };
    found = new Intl.DateTimeFormat(locale === "sl" ? "sl-SI" : "en-GB", { ...style, timeZone });
    formatters.set(key, found);
  }
  return found;
}

export function formatDate(date: Date | string, locale: Locale, timeZone = "Europe/Ljubljana") {
  return formatter("date", locale, timeZone).format(new Date(date));
}

/** A calendar date stored as YYYY-MM-DD (certificate dates): the same day in every time zone. */
export function formatCalendarDay(day: string, locale: Locale) {
  return formatter("date", locale, "UTC").format(new Date(`${day}T12:00:00Z`));
}

export function formatDateTime(date: Date | string, locale: Locale, timeZone = "Europe/Ljubljana") {
  return formatter("dateTime", locale, timeZone).format(new Date(date));
}
