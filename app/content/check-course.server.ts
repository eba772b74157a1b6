import { checkModule } from "./check-module";
import { checkTranslations } from "./check-translations";
import { isRecord } from "./describe-path";
import type { CheckContext, ParsedCourse } from "./parsed-course";
import { IdRegistry, ProblemList } from "./problem-list";
import { CourseFileSchema, type CourseFile, type Locale } from "./schema";
import type { Problem } from "./types";
import type { YamlSource } from "./yaml-source";

// Pure: works on a course already read from disk (see load-course.server.ts), so it needs no fs.
// Named .server because only the loader and the CLI use it today.

export type CheckCourseOptions = {
  /** Slugs of every course in the tree; prerequisites are checked against them when given. */
  knownCourseSlugs?: ReadonlySet<string>;
};

/**
 * The rules that need more than one file: translations for the course's locales, ids unique across
 * the course, outcome tags, module folders, lesson locales, case graphs. Each file already passed or
 * failed its own schema; a file that failed is skipped here so one mistake is reported once.
 */
export function checkCourse(parsed: ParsedCourse, options: CheckCourseOptions = {}): Problem[] {
  const source = parsed.courseSource;
  if (!source) return [];
  const problems = new ProblemList();
  const raw = isRecord(source.data) ? source.data : {};
  // Even when course.yaml has a mistake, its locales, outcomes and modules usually parse on their
  // own; using them keeps the rest of the course checked instead of hiding every other problem.
  const locales: readonly Locale[] = salvage(CourseFileSchema.shape.locales, raw.locales) ?? [];
  const listedModules = listedModuleFolders(source);
  const ctx: CheckContext = {
    locales,
    outcomeIds: salvageOutcomeIds(raw.outcomes),
    ids: new IdRegistry(problems, parsed.displayDir),
    problems,
  };

  if (parsed.courseFile) checkCourseFile(parsed.courseFile, source, parsed, ctx, options);
  checkModuleFolders(parsed, listedModules, source, problems);
  for (const folder of new Set(listedModules)) {
    const module = parsed.modules.get(folder);
    if (module) checkModule(module, parsed.files, ctx);
  }
  return problems.items;
}

function checkCourseFile(
  course: CourseFile,
  source: YamlSource,
  parsed: ParsedCourse,
  ctx: CheckContext,
  options: CheckCourseOptions,
): void {
  const { problems } = ctx;
  if (course.slug !== parsed.folderName) {
    problems.at(source, ["slug"], `slug "${course.slug}" must equal the folder name "${parsed.folderName}"`);
  }
  course.outcomes.forEach((outcome, index) => {
    ctx.ids.claim("outcome", outcome.id, source, ["outcomes", index, "id"]);
  });
  course.referrals.forEach((referral, index) => {
    ctx.ids.claim("referral", referral.id, source, ["referrals", index, "id"]);
    if (referral.phone !== undefined && referral.source === undefined) {
      problems.at(
        source,
        ["referrals", index, "phone"],
        `referral "${referral.id}": a phone number needs a source (where it was confirmed); omit it when unconfirmed`,
      );
    }
  });
  course.recertification?.modules.forEach((folder, index) => {
    if (!course.modules.includes(folder)) {
      problems.at(
        source,
        ["recertification", "modules", index],
        `recertification module "${folder}" is not listed in modules`,
      );
    }
  });
  course.recertification?.retake.forEach((folder, index) => {
    if (!course.modules.includes(folder)) {
      problems.at(source, ["recertification", "retake", index], `module to retake "${folder}" is not listed in modules`);
    } else if (course.recertification?.modules.includes(folder)) {
      problems.at(source, ["recertification", "retake", index], `"${folder}" is a refresher module; list it once, under recertification.modules`);
    }
  });
  course.prerequisites.forEach((slug, index) => {
    if (slug === course.slug) {
      problems.at(source, ["prerequisites", index], "a course cannot be its own prerequisite");
    } else if (options.knownCourseSlugs && !options.knownCourseSlugs.has(slug)) {
      problems.at(source, ["prerequisites", index], `prerequisite "${slug}" is not a course in this tree`);
    }
  });
  checkTranslations(source, course, ctx.locales, problems);
}

function checkModuleFolders(
  parsed: ParsedCourse,
  listed: readonly string[],
  source: YamlSource,
  problems: ProblemList,
): void {
  const present = new Set(parsed.folders);
  const seen = new Set<string>();
  listed.forEach((folder, index) => {
    if (seen.has(folder)) {
      problems.at(source, ["modules", index], `module "${folder}" is listed twice`);
      return;
    }
    seen.add(folder);
    if (!present.has(folder)) {
      problems.at(source, ["modules", index], `module folder "${folder}" does not exist`);
    } else if (!parsed.modules.get(folder)?.hasModuleFile) {
      problems.at(source, ["modules", index], `module folder "${folder}" has no module.yaml`);
    }
  });
  for (const folder of parsed.folders) {
    if (!seen.has(folder)) problems.at(source, ["modules"], `folder "${folder}" is not listed in modules`);
  }
}

/** Module folders course.yaml lists, as far as they can be read; the loader parses these. */
export function listedModuleFolders(source: YamlSource): string[] {
  const raw = isRecord(source.data) ? source.data : {};
  // Entry by entry: one badly named entry (reported by the schema) must not make every other
  // folder look unlisted.
  return Array.isArray(raw.modules) ? raw.modules.filter((entry): entry is string => typeof entry === "string") : [];
}

function salvage<T>(schema: { safeParse: (value: unknown) => { success: true; data: T } | { success: false } }, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

function salvageOutcomeIds(outcomes: unknown): ReadonlySet<string> | null {
  if (!Array.isArray(outcomes)) return null;
  return new Set(outcomes.flatMap((outcome) => (isRecord(outcome) && typeof outcome.id === "string" ? [outcome.id] : [])));
}
