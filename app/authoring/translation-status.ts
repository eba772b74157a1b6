import { findMissingTranslations } from "~/content/check-translations.ts";
import { CASE_FILE_PATTERN, type Locale, NUMBERED_NAME_PATTERN, QUIZ_FILE_PATTERN } from "~/content/schema.ts";
import { readLesson } from "./lesson-text.ts";
import { readYaml } from "./yaml-edit.ts";

// What is still to be translated in a course draft, file by file: lesson files a locale lacks (or
// whose title or text is empty), and every localised text in course.yaml, module.yaml, quiz and case
// files that lacks a locale, found by the same walk as the course checker's (check-translations.ts).

export type TranslationFileKind = "course" | "module" | "lesson" | "quiz" | "case";

/** `file`: the lesson has no file for the locale; `title`/`body`: it has one, empty there; `text`: a localised text in YAML. */
export type TranslationGap = { locale: Locale; kind: "file" | "title" | "body" | "text"; where: string };

export type TranslationFileStatus = {
  /** Relative to the course folder; for a missing lesson file, the path it will have. */
  path: string;
  kind: TranslationFileKind;
  missing: TranslationGap[];
  /** The YAML does not parse: the checker lists why on the file's page. */
  unreadable: boolean;
};

export type TranslationStatus = {
  locales: Locale[];
  total: number;
  byLocale: Partial<Record<Locale, number>>;
  files: TranslationFileStatus[];
};

const LESSON_FILE = /^(?<stem>[^/]+)\.(?<locale>[a-z]{2})\.md$/;

/**
 * `files` maps every draft path to its text (null for images, captions and videos); `modules` is
 * the module folders in course order, which the list follows.
 */
export function translationStatus(files: ReadonlyMap<string, string | null>, locales: readonly Locale[], modules: readonly string[]): TranslationStatus {
  const entries: TranslationFileStatus[] = [];
  const yamlEntry = (path: string, kind: TranslationFileKind) => {
    const data = readYaml(files.get(path) ?? "");
    if (data === null) return entries.push({ path, kind, missing: [], unreadable: true });
    const missing = findMissingTranslations(data, locales).map(({ locale, context, field }) => ({ locale, kind: "text" as const, where: [context, field].filter(Boolean).join(": ") }));
    entries.push({ path, kind, missing, unreadable: false });
  };

  if (files.has("course.yaml")) yamlEntry("course.yaml", "course");
  const folders = new Set<string>();
  for (const path of files.keys()) if (path.includes("/")) folders.add(path.slice(0, path.indexOf("/")));
  const ordered = [...modules.filter((folder) => folders.has(folder)), ...[...folders].filter((folder) => !modules.includes(folder)).sort()];

  for (const folder of ordered) {
    const inFolder = [...files.keys()].filter((path) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes("/"));
    const moduleYaml = `${folder}/module.yaml`;
    const listed = files.has(moduleYaml) ? listedItems(files.get(moduleYaml) ?? "") : [];
    if (files.has(moduleYaml)) yamlEntry(moduleYaml, "module");

    const lessonStems = new Set<string>();
    const yamlFiles: Array<{ name: string; kind: "quiz" | "case" }> = [];
    for (const item of listed) {
      if (item.lesson) lessonStems.add(item.lesson);
      if (item.quiz && files.has(`${folder}/${item.quiz}`)) yamlFiles.push({ name: item.quiz, kind: "quiz" });
      if (item.case && files.has(`${folder}/${item.case}`)) yamlFiles.push({ name: item.case, kind: "case" });
    }
    for (const path of inFolder.sort()) {
      const name = path.slice(folder.length + 1);
      const stem = LESSON_FILE.exec(name)?.groups?.stem;
      if (stem && NUMBERED_NAME_PATTERN.test(stem)) lessonStems.add(stem);
      else if (QUIZ_FILE_PATTERN.test(name) && !yamlFiles.some((f) => f.name === name)) yamlFiles.push({ name, kind: "quiz" });
      else if (CASE_FILE_PATTERN.test(name) && !yamlFiles.some((f) => f.name === name)) yamlFiles.push({ name, kind: "case" });
    }

    for (const stem of lessonStems) {
      for (const locale of locales) {
        const path = `${folder}/${stem}.${locale}.md`;
        const text = files.get(path);
        if (typeof text !== "string") {
          entries.push({ path, kind: "lesson", missing: [{ locale, kind: "file", where: "" }], unreadable: false });
          continue;
        }
        const lesson = readLesson(text);
        const missing: TranslationGap[] = [];
        if (!lesson.fields.title.trim()) missing.push({ locale, kind: "title", where: "title" });
        if (!lesson.body.trim()) missing.push({ locale, kind: "body", where: "" });
        entries.push({ path, kind: "lesson", missing, unreadable: false });
      }
    }
    for (const file of yamlFiles) yamlEntry(`${folder}/${file.name}`, file.kind);
  }

  const byLocale: Partial<Record<Locale, number>> = Object.fromEntries(locales.map((locale) => [locale, 0]));
  for (const entry of entries) for (const gap of entry.missing) byLocale[gap.locale] = (byLocale[gap.locale] ?? 0) + 1;
  return { locales: [...locales], total: entries.reduce((sum, entry) => sum + entry.missing.length, 0), byLocale, files: entries };
}

function listedItems(text: string): Array<{ lesson?: string; quiz?: string; case?: string }> {
  const data = readYaml(text) as { items?: unknown } | null;
  if (!Array.isArray(data?.items)) return [];
  return data.items.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const { lesson, quiz, case: caseFile } = item as Record<string, unknown>;
    return [{ lesson: typeof lesson === "string" ? lesson : undefined, quiz: typeof quiz === "string" ? quiz : undefined, case: typeof caseFile === "string" ? caseFile : undefined }];
  });
}

/** The files to list: only those missing something (`onlyMissing`), and only the gaps of one locale when given. */
export function filterTranslationFiles(files: readonly TranslationFileStatus[], filter: { onlyMissing: boolean; locale: Locale | null }) {
  return files
    .map((file) => (filter.locale ? { ...file, missing: file.missing.filter((gap) => gap.locale === filter.locale) } : file))
    .filter((file) => !filter.onlyMissing || file.missing.length > 0 || file.unreadable);
}
