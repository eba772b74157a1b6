import { LOCALES, type Locale, type LocalisedText } from "~/content/schema.ts";
import { readYaml } from "./yaml-edit.ts";

// The parts of course.yaml every editor page depends on, read leniently: a draft may be broken
// while a trainer works on it, and the pages must still open.

export type CourseSettingsView = {
  title: LocalisedText;
  locales: Locale[];
  outcomes: Array<{ id: string; text: LocalisedText }>;
  /** Module folders in course order. */
  modules: string[];
};

export function readCourseSettings(text: string): CourseSettingsView {
  const data = (readYaml(text) ?? {}) as Record<string, unknown>;
  const locales = Array.isArray(data.locales) ? data.locales.filter((l): l is Locale => (LOCALES as readonly string[]).includes(l)) : [];
  return {
    title: isRecord(data.title) ? (data.title as LocalisedText) : {},
    locales: locales.length ? locales : ["sl", "en"],
    outcomes: Array.isArray(data.outcomes) ? data.outcomes.filter((o) => isRecord(o) && typeof o.id === "string").map((o) => ({ id: o.id as string, text: isRecord(o.text) ? (o.text as LocalisedText) : {} })) : [],
    modules: Array.isArray(data.modules) ? data.modules.filter((m): m is string => typeof m === "string") : [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
