import { describeItem } from "./check-module";
import { captionsPathFor, isExternalLink, isVideoLink, resolveMediaLink } from "./lesson-file";
import type { ParsedCourse, ParsedLessonFile, ParsedModule } from "./parsed-course";
import { LOCALES, type CourseFile, type LessonSource, type Locale } from "./schema";
import type { CourseAsset, LoadedCourse, LoadedItem, LoadedLesson, LoadedModule } from "./types";

/**
 * Resolves a course that passed every check into the importer's shape. Only called when there are no
 * problems, so a missing piece here is a bug in the checks, not in the course: it throws.
 */
export function buildLoadedCourse(
  parsed: ParsedCourse,
  extra: { dir: string; contentHash: string; texts: ReadonlyMap<string, string>; asset: (relativePath: string) => CourseAsset },
): LoadedCourse {
  const course = required(parsed.courseFile, "course.yaml");
  const { modules: folders, recertification, ...metadata } = course;
  const recertificationFolders = new Set(recertification?.modules ?? []);
  const retakeFolders = new Set(recertification?.retake ?? []);
  const modules = folders.map((folder, index) =>
    buildModule(required(parsed.modules.get(folder), folder), index + 1, { isRecertification: recertificationFolders.has(folder), retakeOnRenewal: retakeFolders.has(folder) }, course),
  );
  const media = new Set<string>();
  for (const module of modules) {
    for (const item of module.items) {
      if (item.type !== "lesson") continue;
      for (const image of item.lesson.images) {
        media.add(image);
        if (isVideoLink(image)) media.add(captionsPathFor(image));
      }
    }
  }
  return {
    ...metadata,
    dir: extra.dir,
    modules,
    contentHash: extra.contentHash,
    sourceFiles: Object.fromEntries([...extra.texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    assets: [...media].sort().map((path) => extra.asset(path)),
  };
}

function buildModule(module: ParsedModule, position: number, renewal: { isRecertification: boolean; retakeOnRenewal: boolean }, course: CourseFile): LoadedModule {
  const { data } = required(module.moduleFile, `${module.folder}/module.yaml`);
  const items = data.items.map((item, index): LoadedItem => {
    const { type, ref } = describeItem(item);
    const base = { position: index + 1, required: item.required, file: ref };
    if (type === "lesson") {
      const files = required(module.lessons.get(ref), `${module.folder}/${ref}`);
      return { ...base, type, lesson: buildLesson(files, module.folder, course.locales) };
    }
    if (type === "quiz") {
      return { ...base, type, quiz: required(module.quizzes.get(ref), `${module.folder}/${ref}`).data };
    }
    return { ...base, type, case: required(module.cases.get(ref), `${module.folder}/${ref}`).data };
  });
  return {
    folder: module.folder,
    id: data.id,
    position,
    title: data.title,
    summary: data.summary ?? null,
    outcomes: data.outcomes,
    kind: "LESSONS",
    ...renewal,
    items,
  };
}

function buildLesson(
  files: ReadonlyMap<Locale, ParsedLessonFile>,
  moduleFolder: string,
  courseLocales: readonly Locale[],
): LoadedLesson {
  // Course locales first, so id and minutes come from the same file the checks compared against.
  const locales = [...courseLocales, ...LOCALES.filter((locale) => !courseLocales.includes(locale))];
  const present = locales.flatMap((locale) => {
    const file = files.get(locale);
    return file ? [{ locale, file, frontmatter: required(file.frontmatter, file.file).data }] : [];
  });
  const first = required(present[0], "lesson file");
  const title: Partial<Record<Locale, string>> = {};
  const body: Partial<Record<Locale, string>> = {};
  const sources: Partial<Record<Locale, LessonSource[]>> = {};
  const images = new Set<string>();
  for (const { locale, file, frontmatter } of present) {
    title[locale] = frontmatter.title;
    body[locale] = file.body;
    sources[locale] = frontmatter.sources;
    for (const { target } of file.media) {
      if (isExternalLink(target)) continue;
      const resolved = resolveMediaLink(moduleFolder, target);
      if ("path" in resolved) images.add(resolved.path);
    }
  }
  return {
    id: first.frontmatter.id,
    title,
    minutes: first.frontmatter.minutes,
    body,
    sources,
    images: [...images].sort(),
  };
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new Error(`buildLoadedCourse: ${what} is missing although the course passed its checks`);
  }
  return value;
}
