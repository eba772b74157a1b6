import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { getDraftView, saveDraftFiles } from "./draft.server.ts";
import { slugify } from "./slug.ts";
import { readYaml, setYamlValues, type YamlPath } from "./yaml-edit.ts";

// The course settings page writes course.yaml: titles and texts per language, time, CPD, validity,
// pass mark, sequential unlock, self-enrolment, the content note, support text and outcomes.

type Texts = Record<string, string>;
export type CourseSettingsInput = {
  revision: number;
  locales: string[];
  title: Texts;
  summary: Texts;
  description: Texts;
  contentNote: Texts;
  support: Texts;
  estimatedMinutes: number;
  validityMonths: number;
  passMark: number;
  sequential: boolean;
  selfEnrol: boolean;
  cpd: { credits: number; category: Texts; basis: Texts; categoryId: string };
  /** Existing outcomes keep their id (quiz questions refer to it); new ones have an empty id. */
  outcomes: Array<{ id: string; text: Texts }>;
};

export async function getCourseSettings({ actor, slug }: { actor: Actor; slug: string }) {
  const view = await getDraftView({ actor, slug, paths: ["course.yaml"] });
  const file = view.files["course.yaml"];
  return { view, revision: file?.revision ?? 0, data: ((file?.text ? readYaml(file.text) : null) ?? {}) as Record<string, unknown> };
}

export async function saveCourseSettings({ actor, slug, input, clock = systemClock }: { actor: Actor; slug: string; input: CourseSettingsInput; clock?: Clock }) {
  const { view, data } = await getCourseSettings({ actor, slug });
  const text = view.files["course.yaml"]?.text;
  if (!text) throw new DomainError("CONFLICT", "authoring.draft.noSource");
  const locales = input.locales.filter((l) => ["sl", "en", "uk"].includes(l));
  if (!locales.length) throw new DomainError("INVALID", "editor.settings.localesRequired", "locales");
  for (const [name, value, min, max] of [["estimatedMinutes", input.estimatedMinutes, 1, 10_000], ["validityMonths", input.validityMonths, 1, 240], ["passMark", input.passMark, 0, 100]] as const) {
    if (!Number.isInteger(value) || value < min || value > max) throw new DomainError("INVALID", "editor.settings.outOfRange", name, `${min}–${max}`);
  }
  if (!Number.isFinite(input.cpd.credits) || input.cpd.credits < 0 || input.cpd.credits > 100) throw new DomainError("INVALID", "editor.settings.outOfRange", "cpd.credits", "0–100");

  // Texts in languages the form does not show (a course may list uk) are kept as they were.
  const merged = (key: string, texts: Texts, from: Record<string, unknown> = data) => {
    const old = (from[key] ?? {}) as Texts;
    const next: Texts = { ...old };
    for (const locale of locales) {
      const value = texts[locale]?.trim() ?? "";
      if (value) next[locale] = value;
      else delete next[locale];
    }
    return next;
  };
  const used = new Set(view.usedIds);
  const outcomes = input.outcomes
    .filter((o) => o.id || Object.values(o.text).some((v) => v.trim()))
    .map((outcome) => {
      let id = outcome.id;
      if (!id) {
        const base = slugify(outcome.text.en || outcome.text.sl || "outcome");
        id = base;
        for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
        used.add(id);
      }
      const old = (Array.isArray(data.outcomes) ? data.outcomes : []).find((o: { id?: string }) => o?.id === outcome.id) as { text?: Texts } | undefined;
      return { id, text: merged("text", outcome.text, (old ?? {}) as Record<string, unknown>) };
    });
  const cpd = (data.cpd ?? {}) as Record<string, unknown>;
  const values: Array<readonly [YamlPath, unknown]> = [
    [["locales"], locales],
    [["title"], merged("title", input.title)],
    [["summary"], merged("summary", input.summary)],
    [["description"], Object.values(input.description).some((v) => v.trim()) ? merged("description", input.description) : undefined],
    [["estimatedMinutes"], input.estimatedMinutes],
    [["cpd", "credits"], input.cpd.credits],
    [["cpd", "category"], merged("category", input.cpd.category, cpd)],
    [["cpd", "basis"], merged("basis", input.cpd.basis, cpd)],
    [["cpd", "categoryId"], input.cpd.categoryId || undefined],
    [["validityMonths"], input.validityMonths],
    [["passMark"], input.passMark],
    [["sequential"], input.sequential],
    [["selfEnrol"], input.selfEnrol],
    [["contentNote"], merged("contentNote", input.contentNote)],
    [["support"], merged("support", input.support)],
    [["outcomes"], outcomes],
  ];
  return saveDraftFiles({ actor, slug, changes: [{ path: "course.yaml", expectedRevision: input.revision, text: setYamlValues(text, values) }], clock });
}
