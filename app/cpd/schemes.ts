import { z } from "zod";
import { ProblemList } from "../content/problem-list.ts";
import { IdSchema } from "../content/schema.ts";
import { validateSource } from "../content/schema-problems.ts";
import type { Problem } from "../content/types.ts";
import { parseYamlSource } from "../content/yaml-source.ts";
import { PROFESSIONS } from "../utils/roles.ts";

// CPD schemes (licence renewal rules) are data in courses/cpd-schemes.yaml, documented in
// courses/README.md. Pure and free of `~/` imports: `npm run courses:check` runs it under tsx.

const SchemeTextSchema = z.strictObject({
  sl: z.string().trim().min(1),
  en: z.string().trim().min(1),
  uk: z.string().trim().min(1).optional(),
});

const CreditsSchema = z.number().min(0).max(1000);

export const CpdCategorySchema = z.strictObject({
  id: IdSchema,
  name: SchemeTextSchema,
  minCredits: CreditsSchema.default(0),
});
export type CpdCategory = z.infer<typeof CpdCategorySchema>;

export const CpdSchemeSchema = z.strictObject({
  id: IdSchema,
  name: SchemeTextSchema,
  /** Who the scheme is for; the learner's profession puts these first in the list. */
  professions: z.array(z.enum(PROFESSIONS, { error: `must be one of ${PROFESSIONS.join(", ")}` })).min(1),
  /** Length of a licence period; omitted when periods are open-ended (an own target). */
  periodYears: z.number().int().min(1).max(20).optional(),
  /** Omitted: the learner sets their own total (1–1000 credits). */
  totalCredits: z.number().positive().max(1000).optional(),
  categories: z.array(CpdCategorySchema).default([]),
  source: z
    .strictObject({
      title: z.string().trim().min(1),
      url: z.url({ protocol: /^https?$/, error: "must be a web address (https://…)" }).optional(),
      note: SchemeTextSchema.optional(),
    })
    .optional(),
});
export type CpdScheme = z.infer<typeof CpdSchemeSchema>;

export const CpdSchemesFileSchema = z.strictObject({ schemes: z.array(CpdSchemeSchema).min(1) });

/** The total a learner works towards: the scheme's, else (own target) the one they set. */
export function schemeTarget(scheme: CpdScheme | null, ownTarget: number | null) {
  if (!scheme) return null;
  return scheme.totalCredits ?? ownTarget;
}

/**
 * Parses and checks the schemes file. Problems carry the file and line like course problems do;
 * `schemes` is null whenever there is any.
 */
export function parseCpdSchemes(text: string, file: string): { schemes: CpdScheme[] | null; problems: Problem[] } {
  const source = parseYamlSource(text, file);
  if (source.problems.length) return { schemes: null, problems: source.problems };
  const parsed = validateSource(CpdSchemesFileSchema, source);
  if (!parsed.data) return { schemes: null, problems: parsed.problems };
  const problems = new ProblemList();
  const schemeIds = new Set<string>();
  parsed.data.schemes.forEach((scheme, index) => {
    const at = (path: Array<string | number>, message: string) => problems.at(source, ["schemes", index, ...path], `scheme "${scheme.id}": ${message}`);
    if (schemeIds.has(scheme.id)) at(["id"], "this id is used by another scheme");
    schemeIds.add(scheme.id);
    const categoryIds = new Set<string>();
    scheme.categories.forEach((category, categoryIndex) => {
      if (categoryIds.has(category.id)) at(["categories", categoryIndex, "id"], `category "${category.id}" is listed twice`);
      categoryIds.add(category.id);
    });
    if (scheme.totalCredits !== undefined) {
      // A number a licence depends on must say where it comes from.
      if (!scheme.source) at(["totalCredits"], "a scheme with a fixed total needs a source (the chamber's rules)");
      const minimums = scheme.categories.reduce((sum, category) => sum + category.minCredits, 0);
      if (minimums > scheme.totalCredits) at(["categories"], `the categories' minimums (${minimums}) exceed totalCredits (${scheme.totalCredits})`);
    }
  });
  if (![...parsed.data.schemes].some((scheme) => scheme.totalCredits === undefined)) {
    problems.at(source, ["schemes"], "one scheme must leave out totalCredits, so learners whose rules are not listed can set their own target");
  }
  if (problems.items.length) return { schemes: null, problems: problems.items };
  return { schemes: parsed.data.schemes, problems: [] };
}

/** Every category id any scheme defines: a course's `cpd.categoryId` must be one of them. */
export function schemeCategoryIds(schemes: readonly CpdScheme[]) {
  return new Set(schemes.flatMap((scheme) => scheme.categories.map((category) => category.id)));
}
