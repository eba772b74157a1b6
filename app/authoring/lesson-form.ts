import { z } from "zod";
import { ID_PATTERN, type Locale } from "~/content/schema.ts";
import { MAX_TEXT_FILE_BYTES } from "./draft-paths.ts";
import { composeLesson, type LessonFields, readLesson } from "./lesson-text.ts";

// The lesson editor's form: one column per course locale (title, minutes, sources, body) and the
// id all locale files share. What the page shows, what a post sends back and what is saved are the
// same values, so a refused save redisplays exactly what the trainer typed. Pure: the page uses it.

export const MAX_SOURCES = 30;
export const MAX_LESSON_MINUTES = 600;
const MAX_TITLE = 300;
const MAX_SOURCE_TITLE = 500;
const MAX_URL = 2000;

export type LessonSourceRow = { title: string; url: string };

export type LessonLocaleValues = {
  locale: Locale;
  /** The file's revision when the page was loaded; 0 for a translation not written yet. */
  revision: number;
  /** Fingerprint of the file as loaded (see lessonDigest), so an untouched column is not written again. */
  digest: string;
  title: string;
  /** As typed, so "ten" comes back to the trainer rather than vanishing. */
  minutes: string;
  sources: LessonSourceRow[];
  body: string;
};

export type LessonFormValues = { id: string; locales: LessonLocaleValues[] };

/** Form field names, shared by the page and the parser. */
export const lessonField = {
  id: "id",
  revision: (locale: string) => `revision.${locale}`,
  digest: (locale: string) => `digest.${locale}`,
  title: (locale: string) => `title.${locale}`,
  minutes: (locale: string) => `minutes.${locale}`,
  sourceTitle: (locale: string, index: number) => `sources.${locale}.${index}.title`,
  sourceUrl: (locale: string, index: number) => `sources.${locale}.${index}.url`,
  body: (locale: string) => `body.${locale}`,
};

/**
 * The form as the page first shows it. The first course locale that has a file gives the id; a
 * locale without a file starts empty but with that file's minutes and sources, which translations
 * usually share, and is only written when the trainer gives it a title or text.
 */
export function lessonFormFromFiles(files: ReadonlyMap<Locale, { text: string; revision: number }>, locales: readonly Locale[], digestOf: (values: LessonLocaleValues, id: string) => string): LessonFormValues {
  const read = new Map([...files].map(([locale, file]) => [locale, readLesson(file.text)]));
  const reference = locales.map((locale) => read.get(locale)).find(Boolean) ?? [...read.values()][0];
  const id = reference?.fields.id ?? "";
  return {
    id,
    locales: locales.map((locale) => {
      const lesson = read.get(locale);
      if (!lesson) {
        return { locale, revision: 0, digest: "", title: "", minutes: String(reference?.fields.minutes ?? 5), sources: rowsOf(reference?.fields.sources ?? []), body: "" };
      }
      const values: LessonLocaleValues = {
        locale,
        revision: files.get(locale)?.revision ?? 0,
        digest: "",
        title: lesson.fields.title,
        minutes: String(lesson.fields.minutes),
        sources: rowsOf(lesson.fields.sources),
        body: lesson.body,
      };
      return { ...values, digest: digestOf(values, id) };
    }),
  };
}

function rowsOf(sources: LessonFields["sources"]): LessonSourceRow[] {
  const rows = sources.map((source) => ({ title: source.title, url: source.url ?? "" }));
  return rows.length ? rows : [{ title: "", url: "" }];
}

/** The posted form, kept as typed (within length limits) so it can be shown again. */
export function readLessonForm(form: FormData, locales: readonly Locale[]): LessonFormValues {
  const text = (name: string, max: number) => String(form.get(name) ?? "").slice(0, max);
  return {
    id: text(lessonField.id, 100).trim(),
    locales: locales.map((locale) => ({
      locale,
      revision: /^\d{1,9}$/.test(text(lessonField.revision(locale), 10)) ? Number(text(lessonField.revision(locale), 10)) : -1,
      digest: text(lessonField.digest(locale), 128),
      title: text(lessonField.title(locale), MAX_TITLE),
      minutes: text(lessonField.minutes(locale), 10).trim(),
      sources: readSourceRows(form, locale),
      // Browsers send a textarea's line breaks as CRLF.
      body: text(lessonField.body(locale), MAX_TEXT_FILE_BYTES).replace(/\r\n?/g, "\n"),
    })),
  };
}

function readSourceRows(form: FormData, locale: string): LessonSourceRow[] {
  const pattern = new RegExp(`^sources\\.${locale}\\.(\\d{1,3})\\.(title|url)$`);
  const rows = new Map<number, LessonSourceRow>();
  for (const [name, value] of form) {
    const match = pattern.exec(name);
    if (!match || typeof value !== "string") continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? { title: "", url: "" };
    row[match[2] as "title" | "url"] = value.slice(0, match[2] === "url" ? MAX_URL : MAX_SOURCE_TITLE);
    rows.set(index, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .slice(0, MAX_SOURCES);
}

/** A source row added to, or removed from, one locale's column (the buttons that work without JavaScript). */
export function changeSourceRows(values: LessonFormValues, intent: string): LessonFormValues | null {
  const match = /^(add-source|remove-source):([a-z]{2})(?::(\d{1,3}))?$/.exec(intent);
  if (!match) return null;
  const [, action, locale, index] = match;
  return {
    ...values,
    locales: values.locales.map((column) => {
      if (column.locale !== locale) return column;
      if (action === "add-source") return column.sources.length >= MAX_SOURCES ? column : { ...column, sources: [...column.sources, { title: "", url: "" }] };
      const sources = column.sources.filter((_, i) => i !== Number(index));
      return { ...column, sources: sources.length ? sources : [{ title: "", url: "" }] };
    }),
  };
}

const SourceRowSchema = z
  .object({
    title: z.string().trim(),
    url: z
      .string()
      .trim()
      .refine((url) => url === "" || /^https?:\/\/[^\s]+$/i.test(url), { error: "editor.lesson.sourceUrlInvalid", path: ["url"] }),
  })
  .refine((row) => row.title !== "" || row.url === "", { error: "editor.lesson.sourceTitleRequired", path: ["title"] });

const LocaleColumnSchema = z.object({
  locale: z.string(),
  revision: z.number().int().min(0, { error: "editor.lesson.reload" }),
  digest: z.string(),
  title: z.string().trim(),
  minutes: z
    .string()
    .regex(/^\d{1,3}$/, { error: "editor.lesson.minutesInvalid" })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: "editor.lesson.minutesInvalid" }).max(MAX_LESSON_MINUTES, { error: "editor.lesson.minutesInvalid" })),
  sources: z.array(SourceRowSchema).transform((rows) => rows.filter((row) => row.title !== "").map((row) => (row.url ? { title: row.title, url: row.url } : { title: row.title }))),
  body: z.string().transform((body) => body.trim()),
});

export const LessonSaveSchema = z.object({
  id: z.string().regex(ID_PATTERN, { error: "editor.lesson.idInvalid" }),
  locales: z.array(LocaleColumnSchema),
});
export type LessonSave = z.output<typeof LessonSaveSchema>;
export type LessonSaveColumn = LessonSave["locales"][number];

/** Field errors by form field name (the i18n key of each message), or the values ready to save. */
export function parseLessonSave(values: LessonFormValues): { ok: true; lesson: LessonSave } | { ok: false; fieldErrors: Record<string, string> } {
  const result = LessonSaveSchema.safeParse(values);
  if (result.success) return { ok: true, lesson: result.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const name = fieldNameOf(values, issue.path);
    if (!(name in fieldErrors)) fieldErrors[name] = issue.message;
  }
  return { ok: false, fieldErrors };
}

/** ["locales", 1, "sources", 0, "url"] → "sources.en.0.url". */
function fieldNameOf(values: LessonFormValues, path: ReadonlyArray<PropertyKey>) {
  if (path[0] !== "locales") return lessonField.id;
  const locale = values.locales[Number(path[1])]?.locale ?? "";
  const [field, index, part] = path.slice(2);
  if (field === "sources") return part === "url" ? lessonField.sourceUrl(locale, Number(index)) : lessonField.sourceTitle(locale, Number(index));
  if (field === "minutes") return lessonField.minutes(locale);
  if (field === "title") return lessonField.title(locale);
  if (field === "revision") return lessonField.revision(locale);
  return lessonField.body(locale);
}

/** One locale's lesson file as it would be saved. */
export function lessonColumnText(id: string, column: LessonSaveColumn) {
  return composeLesson({ id, title: column.title, minutes: column.minutes, sources: column.sources }, column.body);
}

/** The file text a column of the form stands for, or null when it cannot be saved as it is. */
export function lessonValuesText(values: LessonLocaleValues, id: string) {
  const parsed = LocaleColumnSchema.safeParse(values);
  return parsed.success ? lessonColumnText(id, parsed.data) : null;
}

/** Whether a translation that has no file yet was started: it is created once it has a title or text. */
export function isStarted(column: LessonSaveColumn) {
  return column.revision > 0 || column.title !== "" || column.body !== "";
}
