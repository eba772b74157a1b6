import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importCourse } from "../../app/content/import-course.server.ts";
import { loadCourse } from "../../app/content/load-course.server.ts";

/**
 * Imports tests/fixtures/courses/valid-minimal under a new slug, after `edit` changes its files:
 * one course module (two lessons, a case that requires the safe ending, a quiz) and a refresher.
 */
export async function importFixtureCourse(slug: string, edit: (dir: string) => void = () => {}) {
  const dir = join(mkdtempSync(join(tmpdir(), "opora-course-")), slug);
  cpSync(new URL("../fixtures/courses/valid-minimal", import.meta.url).pathname, dir, { recursive: true });
  replaceIn(join(dir, "course.yaml"), "slug: valid-minimal", `slug: ${slug}`);
  replaceIn(join(dir, "01-basics/module.yaml"), "  - quiz: quiz.yaml\n    required: false", "  - quiz: quiz.yaml");
  edit(dir);
  const { course, problems } = await loadCourse(dir);
  if (!course) throw new Error(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n"));
  await importCourse(course);
  return course;
}

export function replaceIn(file: string, from: string, to: string) {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`"${from}" not found in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

export { correctResponse, wrongResponse } from "./responses.ts";
