import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Problem } from "../content/types.ts";
import { parseYamlSource } from "../content/yaml-source.ts";
import { type CpdScheme, parseCpdSchemes, schemeCategoryIds } from "./schemes.ts";

// Relative imports only: scripts/courses-check.ts runs this under tsx, which does not resolve `~/`.

export const CPD_SCHEMES_FILE = "cpd-schemes.yaml";

/** The schemes file beside the course folders (COURSES_DIR, as scripts/seed.ts reads it). */
export function cpdSchemesPath(coursesRoot = process.env.COURSES_DIR ?? "courses") {
  return path.join(coursesRoot, CPD_SCHEMES_FILE);
}

/**
 * The schemes file, checked. An installation without one simply offers no schemes (`present` is
 * false); a file that exists must be valid.
 */
export function readCpdSchemes(file = cpdSchemesPath()): { schemes: CpdScheme[] | null; problems: Problem[]; present: boolean } {
  if (!existsSync(file)) return { schemes: [], problems: [], present: false };
  return { ...parseCpdSchemes(readFileSync(file, "utf8"), file.split(path.sep).join("/")), present: true };
}

let loaded: CpdScheme[] | undefined;

/**
 * The schemes, read once per process (like courses, the file changes with a deployment). A broken
 * file is a deployment mistake that `npm run courses:check` reports; here it fails loudly.
 */
export function loadCpdSchemes(): CpdScheme[] {
  if (loaded) return loaded;
  const { schemes, problems } = readCpdSchemes();
  if (!schemes) throw new Error(`Invalid CPD schemes file:\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n")}`);
  loaded = schemes;
  return schemes;
}

export function findCpdScheme(id: string | null | undefined) {
  if (!id) return null;
  return loadCpdSchemes().find((scheme) => scheme.id === id) ?? null;
}

/**
 * `cpd.categoryId` of each course must name a category of some scheme, or its credits would never
 * count towards a category minimum. Reported on the line in course.yaml.
 */
export function checkCourseCategoryIds(courses: ReadonlyArray<{ dir: string; cpd: { categoryId?: string } }>, schemes: readonly CpdScheme[]): Problem[] {
  const known = schemeCategoryIds(schemes);
  const problems: Problem[] = [];
  for (const course of courses) {
    const id = course.cpd.categoryId;
    if (id === undefined || known.has(id)) continue;
    // Also without a schemes file: the id could then never match anything.
    // `dir` as the loader was given it, so the path reads like the loader's own problems.
    const file = path.join(course.dir, "course.yaml");
    const source = parseYamlSource(readFileSync(file, "utf8"), file.split(path.sep).join("/"));
    problems.push({ file: source.file, line: source.lineAt(["cpd", "categoryId"]), message: `cpd.categoryId "${id}" is not a category in ${CPD_SCHEMES_FILE} (known: ${[...known].join(", ") || "none"})` });
  }
  return problems;
}
