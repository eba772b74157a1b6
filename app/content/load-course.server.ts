import { readdir } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { buildLoadedCourse } from "./build-loaded-course";
import { type CheckCourseOptions, checkCourse, listedModuleFolders } from "./check-course.server";
import { splitLesson } from "./lesson-file";
import type { Parsed, ParsedCourse, ParsedLessonFile, ParsedModule } from "./parsed-course";
import { ProblemList } from "./problem-list";
import { type CourseListing, readCourseFolder } from "./read-course-folder.server";
import {
  CASE_FILE_PATTERN,
  CaseFileSchema,
  CourseFileSchema,
  LessonFrontmatterSchema,
  LOCALES,
  type Locale,
  ModuleFileSchema,
  NUMBERED_NAME_PATTERN,
  QUIZ_FILE_PATTERN,
  QuizFileSchema,
} from "./schema";
import { validateSource } from "./schema-problems";
import type { CourseAsset, LoadedCourse, Problem } from "./types";
import { parseYamlSource } from "./yaml-source";

export type LoadCourseResult = { course: LoadedCourse | null; problems: Problem[] };

/**
 * Reads and checks one course folder. `course` is null whenever there is any problem: a course is
 * imported whole or not at all. Problem paths start with `dir` as given (relative to the cwd when
 * `dir` is), so they can be clicked in a terminal.
 */
export async function loadCourse(dir: string, options: CheckCourseOptions = {}): Promise<LoadCourseResult> {
  const absoluteDir = path.resolve(dir);
  const displayDir = toPosix(path.normalize(dir)).replace(/(?<=.)\/$/, "");
  const listing = await readCourseFolder(absoluteDir);
  if (!listing) {
    return { course: null, problems: [{ file: displayDir, line: 1, message: "the course folder does not exist" }] };
  }
  return loadCourseListing(listing, {
    ...options,
    displayDir,
    folderName: path.basename(absoluteDir),
    dir: absoluteDir,
    asset: (relativePath) => ({ path: relativePath, absolutePath: path.join(absoluteDir, ...relativePath.split("/")) }),
  });
}

export type ListingSource = CheckCourseOptions & {
  /** Shown at the start of every problem's path. */
  displayDir: string;
  /** The folder's name, which must equal the course slug. */
  folderName: string;
  /** Where the files live, for messages and `LoadedCourse.dir` (empty for a course held in memory). */
  dir: string;
  /** Where the importer finds a linked image or video. */
  asset: (relativePath: string) => CourseAsset;
};

/** Checks a course given as a listing: a folder read from disk, a draft or an uploaded zip. */
export function loadCourseListing(listing: CourseListing, source: ListingSource): LoadCourseResult {
  const { displayDir } = source;
  const display = (relativePath: string) => path.posix.join(displayDir, relativePath);
  const problems = new ProblemList();
  const { files, folders, texts, contentHash } = listing;
  const courseText = texts.get("course.yaml");
  if (courseText === undefined) {
    return { course: null, problems: [{ file: display("course.yaml"), line: 1, message: "course.yaml is missing" }] };
  }

  const courseSource = parseYamlSource(courseText, display("course.yaml"));
  problems.push(courseSource.problems);
  const courseFile = validateSource(CourseFileSchema, courseSource);
  problems.push(courseFile.problems);

  const modules = new Map<string, ParsedModule>();
  for (const folder of listedModuleFolders(courseSource)) {
    if (!folders.includes(folder) || modules.has(folder)) continue;
    modules.set(folder, parseModuleFolder(folder, files, texts, display, problems));
  }

  const parsed: ParsedCourse = {
    folderName: source.folderName,
    displayDir,
    files: new Set(files),
    folders,
    courseSource,
    courseFile: courseFile.data,
    modules,
  };
  problems.push(checkCourse(parsed, source));

  const sorted = sortProblems(problems.items);
  if (sorted.length > 0) return { course: null, problems: sorted };
  const course = buildLoadedCourse(parsed, { dir: source.dir, contentHash, texts, asset: source.asset });
  return { course, problems: [] };
}

export type LoadCourseTreeResult = {
  /** Courses without problems. */
  courses: LoadedCourse[];
  /** Every problem of every course. */
  problems: Problem[];
  /** One entry per course folder, in folder order. */
  results: Array<LoadCourseResult & { dir: string }>;
};

/** Loads every course folder under `root` (files such as README.md are skipped). */
export async function loadCourseTree(root: string): Promise<LoadCourseTreeResult> {
  let entries: string[];
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return { courses: [], problems: [{ file: toPosix(root), line: 1, message: "the folder does not exist" }], results: [] };
  }
  const knownCourseSlugs = new Set(entries);
  const results: LoadCourseTreeResult["results"] = [];
  for (const name of entries) {
    const dir = path.join(root, name);
    results.push({ dir, ...(await loadCourse(dir, { knownCourseSlugs })) });
  }
  return {
    courses: results.flatMap((result) => (result.course ? [result.course] : [])),
    problems: results.flatMap((result) => result.problems),
    results,
  };
}

function parseModuleFolder(
  folder: string,
  files: readonly string[],
  texts: ReadonlyMap<string, string>,
  display: (relativePath: string) => string,
  problems: ProblemList,
): ParsedModule {
  const module: ParsedModule = {
    folder,
    hasModuleFile: false,
    moduleFile: null,
    lessons: new Map(),
    quizzes: new Map(),
    cases: new Map(),
  };
  const prefix = `${folder}/`;
  const names = files.filter((file) => file.startsWith(prefix) && !file.slice(prefix.length).includes("/"));
  for (const relativePath of names) {
    const name = relativePath.slice(prefix.length);
    const file = display(relativePath);
    const text = texts.get(relativePath);
    if (text === undefined) continue; // not a .yaml/.md file: images, captions, notes
    if (name === "module.yaml") {
      module.hasModuleFile = true;
      module.moduleFile = parseYamlFile(ModuleFileSchema, text, file, problems);
    } else if (QUIZ_FILE_PATTERN.test(name)) {
      module.quizzes.set(name, parseYamlFile(QuizFileSchema, text, file, problems));
    } else if (CASE_FILE_PATTERN.test(name)) {
      module.cases.set(name, parseYamlFile(CaseFileSchema, text, file, problems));
    } else if (name.endsWith(".md")) {
      const lesson = parseLessonFile(name, text, file, problems);
      if (!lesson) continue;
      const byLocale = module.lessons.get(lesson.stem) ?? new Map<Locale, ParsedLessonFile>();
      byLocale.set(lesson.locale, lesson);
      module.lessons.set(lesson.stem, byLocale);
    } else {
      problems.add(
        file,
        1,
        `unexpected file "${name}": YAML files in a module folder are module.yaml, quiz.yaml, <name>.quiz.yaml or <name>.case.yaml (lower-case names)`,
      );
    }
  }
  return module;
}

function parseYamlFile<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  problems: ProblemList,
): Parsed<z.output<S>> | null {
  const source = parseYamlSource(text, file);
  problems.push(source.problems);
  const { data, problems: schemaProblems } = validateSource(schema, source);
  problems.push(schemaProblems);
  return data === null ? null : { source, data };
}

const LESSON_FILE_NAME = /^(?<stem>.+)\.(?<locale>[^.]+)\.md$/;

function parseLessonFile(name: string, text: string, file: string, problems: ProblemList): ParsedLessonFile | null {
  const match = LESSON_FILE_NAME.exec(name);
  const stem = match?.groups?.stem ?? "";
  const locale = match?.groups?.locale ?? "";
  if (!match || !NUMBERED_NAME_PATTERN.test(stem)) {
    problems.add(file, 1, 'lesson file names must look like "01-name.<locale>.md" (lower-case letters, digits and dashes)');
    return null;
  }
  if (!isLocale(locale)) {
    problems.add(file, 1, `unknown locale "${locale}" in the file name (use sl, en or uk)`);
    return null;
  }
  const split = splitLesson(text, file);
  problems.push(split.problems);
  let frontmatter: ParsedLessonFile["frontmatter"] = null;
  if (split.frontmatter) {
    problems.push(split.frontmatter.problems);
    const validated = validateSource(LessonFrontmatterSchema, split.frontmatter, "the frontmatter");
    problems.push(validated.problems);
    if (validated.data) frontmatter = { source: split.frontmatter, data: validated.data };
  }
  return { stem, locale, file, frontmatter, body: split.body, media: split.media };
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

function toPosix(value: string): string {
  return value.split(path.sep).join("/");
}
