import { useEffect, useRef, useState } from "react";
import { Form, useFetcher } from "react-router";
import type { Locale } from "~/content/schema.ts";
import { translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { type LessonFormValues, type LessonLocaleValues, lessonField, MAX_LESSON_MINUTES, MAX_SOURCES } from "./lesson-form.ts";
import { LessonPreview } from "./lesson-preview.tsx";

// The lesson editor's form: the shared id, then one column per course locale (title, minutes,
// sources, Markdown text and the learner's preview of it), side by side on a wide screen and
// stacked on a phone. Every button is a real submit button (add or remove a source, preview, save),
// so the form works without JavaScript; with it, sources change in place and the preview follows
// the typing.

type SourceRow = { key: number; title: string; url: string };
/** A column's text area and where its cursor was when the trainer left it, so Markdown can be inserted there. */
export type BodyTextarea = { element: HTMLTextAreaElement | null; selection: [number, number] | null };
export type LessonColumnState = Omit<LessonLocaleValues, "sources"> & { sources: SourceRow[] };

let nextRowKey = 1;
const withKeys = (sources: LessonLocaleValues["sources"]): SourceRow[] => sources.map((source) => ({ key: nextRowKey++, ...source }));

function bodyTextarea(all: Record<string, BodyTextarea>, locale: string) {
  all[locale] ??= { element: null, selection: null };
  return all[locale];
}

export function initialColumns(values: LessonFormValues): LessonColumnState[] {
  return values.locales.map((column) => ({ ...column, sources: withKeys(column.sources) }));
}

export const fieldId = (name: string) => `lesson-${name.replace(/[^a-z0-9]+/gi, "-")}`;

export function LessonEditorForm({
  slug,
  folder,
  id,
  columns,
  setColumns,
  previews,
  fieldErrors,
  openSources,
  textareas,
}: {
  slug: string;
  folder: string;
  id: string;
  columns: LessonColumnState[];
  setColumns: (update: (columns: LessonColumnState[]) => LessonColumnState[]) => void;
  previews: Record<string, string>;
  fieldErrors: Record<string, string>;
  /** After a source row was added or removed without JavaScript: show the rows. */
  openSources: boolean;
  textareas: React.RefObject<Record<string, BodyTextarea>>;
}) {
  const t = useT();
  const [refreshPreview, setRefreshPreview] = useState(0);
  const update = (locale: string, change: Partial<LessonColumnState>) => setColumns((all) => all.map((column) => (column.locale === locale ? { ...column, ...change } : column)));
  const buttons = (
    <div className="flex flex-wrap gap-3">
      <button type="submit" name="intent" value="save" className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        {t("editor.lesson.save")}
      </button>
      <button
        type="submit"
        name="intent"
        value="preview"
        onClick={(event) => {
          // With JavaScript the preview is already live; the button then only refreshes it now.
          event.preventDefault();
          setRefreshPreview((n) => n + 1);
        }}
        className="inline-flex min-h-11 items-center justify-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100"
      >
        {t("editor.lesson.preview")}
      </button>
    </div>
  );
  return (
    <Form method="post" className="space-y-6" aria-label={t("editor.lesson.formLabel")}>
      {/* The first submit button is the one Enter in a field presses: Save, never "remove source". */}
      {buttons}
      <input type="hidden" name="locales" value={columns.map((column) => column.locale).join(",")} />
      <TextInput label={t("editor.lesson.id")} hint={t("editor.lesson.idHint")} name={lessonField.id} defaultValue={id} error={fieldErrors[lessonField.id]} required pattern="[a-z0-9\-]{2,64}" maxLength={64} autoComplete="off" spellCheck={false} />
      <div className="grid gap-6 lg:grid-cols-2">
        {columns.map((column) => (
          <LocaleColumn
            key={column.locale}
            slug={slug}
            folder={folder}
            column={column}
            update={(change) => update(column.locale, change)}
            previewHtml={previews[column.locale] ?? ""}
            refreshPreview={refreshPreview}
            fieldErrors={fieldErrors}
            openSources={openSources}
            textarea={bodyTextarea(textareas.current, column.locale)}
          />
        ))}
      </div>
      <div className="sticky bottom-0 -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 sm:mx-0 sm:rounded-md">{buttons}</div>
    </Form>
  );
}

function LocaleColumn({
  slug,
  folder,
  column,
  update,
  previewHtml,
  refreshPreview,
  fieldErrors,
  openSources,
  textarea,
}: {
  slug: string;
  folder: string;
  column: LessonColumnState;
  update: (change: Partial<LessonColumnState>) => void;
  previewHtml: string;
  refreshPreview: number;
  fieldErrors: Record<string, string>;
  openSources: boolean;
  textarea: BodyTextarea;
}) {
  const t = useT();
  const ui = useLocale();
  const { locale } = column;
  const language = t(`language.${locale}`);
  const sourceErrors = Object.keys(fieldErrors).some((name) => name.startsWith(`sources.${locale}.`));
  // Decided once: the trainer opens and closes the list after that.
  const [sourcesOpen] = useState(() => openSources || sourceErrors || column.sources.some((row) => !row.title.trim()));
  // Slovene writes language names in lower case; a column's heading starts with a capital.
  const heading = language.charAt(0).toLocaleUpperCase() + language.slice(1);
  const html = useLivePreview({ slug, folder, locale, body: column.body, html: previewHtml, refresh: refreshPreview });
  const bodyName = lessonField.body(locale);
  const setSource = (key: number, change: Partial<SourceRow>) => update({ sources: column.sources.map((row) => (row.key === key ? { ...row, ...change } : row)) });
  return (
    <fieldset lang={locale} className="min-w-0 space-y-4 rounded-lg border border-slate-300 bg-white p-4 shadow-sm">
      <legend lang={ui} className="px-1 text-lg font-semibold">
        {heading}
      </legend>
      {column.revision === 0 ? (
        <p lang={ui} className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900">
          {t("editor.lesson.notWritten", { language })}
        </p>
      ) : null}
      <input type="hidden" name={lessonField.revision(locale)} value={column.revision} />
      <input type="hidden" name={lessonField.digest(locale)} value={column.digest} />
      <TextInput label={t("editor.lesson.fieldTitle")} name={lessonField.title(locale)} value={column.title} onChange={(event) => update({ title: event.target.value })} error={fieldErrors[lessonField.title(locale)]} maxLength={300} />
      <TextInput
        label={t("editor.lesson.minutes")}
        hint={t("editor.lesson.minutesHint")}
        name={lessonField.minutes(locale)}
        value={column.minutes}
        onChange={(event) => update({ minutes: event.target.value })}
        error={fieldErrors[lessonField.minutes(locale)]}
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_LESSON_MINUTES}
        width="w-28"
      />
      {/* Closed once the sources are written, so the text and its preview stay near the top. */}
      <details open={sourcesOpen} className="rounded-md border border-slate-300">
        <summary lang={ui} className="min-h-11 cursor-pointer px-3 py-3 text-sm font-semibold text-slate-800">
          {t("editor.lesson.sourcesSummary", { count: column.sources.filter((row) => row.title.trim()).length })}
        </summary>
        <fieldset className="space-y-3 p-3 pt-0">
          <legend lang={ui} className="sr-only">
            {t("editor.lesson.sources")}
          </legend>
          <p lang={ui} className="text-sm text-slate-600">
            {t("editor.lesson.sourcesHint")}
          </p>
          {column.sources.map((row, index) => (
            <fieldset key={row.key} className="space-y-2 rounded-md border border-slate-200 p-3">
              <legend lang={ui} className="px-1 text-sm font-medium text-slate-700">
                {t("editor.lesson.source", { number: index + 1 })}
              </legend>
              <TextInput label={t("editor.lesson.sourceTitle")} name={lessonField.sourceTitle(locale, index)} value={row.title} onChange={(event) => setSource(row.key, { title: event.target.value })} error={fieldErrors[lessonField.sourceTitle(locale, index)]} maxLength={500} />
              <TextInput label={t("editor.lesson.sourceUrl")} name={lessonField.sourceUrl(locale, index)} value={row.url} onChange={(event) => setSource(row.key, { url: event.target.value })} error={fieldErrors[lessonField.sourceUrl(locale, index)]} type="url" inputMode="url" maxLength={2000} />
              <button
                type="submit"
                name="intent"
                value={`remove-source:${locale}:${index}`}
                onClick={(event) => {
                  event.preventDefault();
                  const rest = column.sources.filter((other) => other.key !== row.key);
                  update({ sources: rest.length ? rest : withKeys([{ title: "", url: "" }]) });
                }}
                lang={ui}
                className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-3 py-1 text-sm hover:bg-slate-100"
              >
                {t("editor.lesson.removeSource", { number: index + 1 })}
              </button>
            </fieldset>
          ))}
          {column.sources.length < MAX_SOURCES ? (
            <button
              type="submit"
              name="intent"
              value={`add-source:${locale}`}
              onClick={(event) => {
                event.preventDefault();
                update({ sources: [...column.sources, ...withKeys([{ title: "", url: "" }])] });
              }}
              lang={ui}
              className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-3 py-1 text-sm hover:bg-slate-100"
            >
              {t("editor.lesson.addSource")}
            </button>
          ) : null}
        </fieldset>
      </details>
      <div>
        <label htmlFor={fieldId(bodyName)} lang={ui} className="block text-sm font-medium text-slate-800">
          {t("editor.lesson.body")}
        </label>
        <p id={`${fieldId(bodyName)}-hint`} lang={ui} className="text-sm text-slate-600">
          {t("editor.lesson.bodyHint")}
        </p>
        <textarea
          ref={(element) => {
            textarea.element = element;
          }}
          onBlur={(event) => {
            textarea.selection = [event.target.selectionStart, event.target.selectionEnd];
          }}
          id={fieldId(bodyName)}
          name={bodyName}
          value={column.body}
          onChange={(event) => update({ body: event.target.value })}
          rows={18}
          aria-describedby={`${fieldId(bodyName)}-hint`}
          className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm leading-relaxed shadow-sm"
        />
        <a href="#lesson-media" lang={ui} className="mt-1 inline-flex min-h-11 items-center text-sm text-brand-700 underline">
          {t("editor.lesson.addMedia")}
        </a>
      </div>
      <LessonPreview locale={locale} label={t("editor.lesson.previewOf", { language: heading })} title={column.title} minutes={column.minutes} sources={column.sources} html={html.value} updating={html.updating} failed={html.failed} t={translator(locale === "sl" ? "sl" : "en")} />
    </fieldset>
  );
}

/**
 * The learner's rendering of `body`, asked of the server a moment after the trainer stops typing.
 * The page is not reloaded for it (`defaultShouldRevalidate: false`): only the preview changes.
 */
function useLivePreview({ slug, folder, locale, body, html, refresh }: { slug: string; folder: string; locale: Locale; body: string; html: string; refresh: number }) {
  const fetcher = useFetcher<{ html?: string; error?: unknown }>();
  const { submit } = fetcher;
  const sent = useRef(body);
  const refreshed = useRef(refresh);
  useEffect(() => {
    const now = refresh !== refreshed.current;
    refreshed.current = refresh;
    if (body === sent.current && !now) return;
    const timer = window.setTimeout(
      () => {
        sent.current = body;
        void submit({ folder, locale, markdown: body }, { method: "post", action: `/author/courses/${slug}/markdown-preview`, defaultShouldRevalidate: false });
      },
      now ? 0 : 400,
    );
    return () => window.clearTimeout(timer);
  }, [body, refresh, folder, locale, slug, submit]);
  const data = fetcher.data;
  return { value: typeof data?.html === "string" ? data.html : html, updating: fetcher.state !== "idle", failed: Boolean(data && "error" in data) };
}

/** A labelled input whose hint and error are tied to it; the label is in the page's language. */
export function TextInput({ label, hint, error, name, width = "w-full", ...input }: { label: string; hint?: string; error?: string; name: string; width?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const t = useT();
  const ui = useLocale();
  const id = input.id ?? fieldId(name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} lang={ui} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} lang={ui} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={`mt-1 block ${width} rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm aria-invalid:border-red-600`} {...input} />
      {error ? (
        <p id={`${id}-error`} lang={ui} className="mt-1 text-sm text-red-700">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}
