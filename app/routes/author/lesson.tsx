import { useRef, useState } from "react";
import { data, Link } from "react-router";
import { PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor, SaveMessage } from "~/components/authoring.tsx";
import { MAX_VIDEO_BYTES } from "~/authoring/draft-media.server.ts";
import { type BodyTextarea, fieldId, initialColumns, type LessonColumnState, LessonEditorForm } from "~/authoring/lesson-editor-form.tsx";
import { getLessonEditor, previewLessonMarkdown, saveLesson } from "~/authoring/lesson-editor.server.ts";
import { changeSourceRows, type LessonFormValues, parseLessonSave, readLessonForm } from "~/authoring/lesson-form.ts";
import { insertMarkdown } from "~/authoring/lesson-media.ts";
import { LessonMediaPanel, type MediaActionData } from "~/authoring/lesson-media-panel.tsx";
import { addLessonMedia, embedLessonVideo } from "~/authoring/lesson-media.server.ts";
import { MAX_CAPTIONS_BYTES, maxImageBytes } from "~/authoring/media.server.ts";
import { MiB } from "~/authoring/media.ts";
import { LOCALES, type Locale } from "~/content/schema.ts";
import { pick, translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage, statusOf } from "~/utils/errors.server.ts";
import { readLimitedForm } from "~/utils/limited-form.server.ts";
import type { Route } from "./+types/lesson";

// A lesson's editor: every course language side by side, saved together; the learner's rendering
// of each as the trainer types; images and videos added to the module's images/ folder.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const editor = await orErrorPage(() => getLessonEditor({ actor: user, slug: params.slug, folder: params.folder, stem: params.stem }));
  return { ...editor, limits: { imageMb: Math.round((maxImageBytes() / MiB) * 10) / 10, videoMb: MAX_VIDEO_BYTES / MiB } };
}

type ErrorInfo = { key: string; detail: string; field: string };
const errorOf = (error: DomainError): ErrorInfo => ({ key: error.messageKey, detail: error.detail ?? "", field: error.field ?? "" });

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const { slug, folder, stem } = params;
  let form: FormData;
  try {
    // The largest post is a video with its captions; the lesson form itself is two texts at most.
    form = await readLimitedForm(request, Math.max(maxImageBytes(), MAX_VIDEO_BYTES) + MAX_CAPTIONS_BYTES + 256 * 1024, { tooLarge: "editor.media.tooLarge", unreadable: "editor.media.fileMissing", field: "file" });
  } catch (error) {
    if (error instanceof DomainError) return data({ intent: "upload" as const, error: errorOf(error) }, { status: statusOf(error) });
    throw error;
  }
  const intent = String(form.get("intent") ?? "save");

  if (intent === "upload" || intent === "video-link") {
    const alt = Object.fromEntries(LOCALES.map((locale) => [locale, String(form.get(`alt.${locale}`) ?? "")]));
    try {
      const media =
        intent === "upload"
          ? await addLessonMedia({ actor: user, slug, folder, file: await uploaded(form.get("file")), captions: await uploaded(form.get("captions")), alt })
          : await embedLessonVideo({ actor: user, slug, url: String(form.get("url") ?? ""), titles: alt });
      return { intent, media } satisfies MediaActionData;
    } catch (error) {
      if (error instanceof DomainError) return data({ intent, error: errorOf(error) } satisfies MediaActionData, { status: statusOf(error) });
      throw error;
    }
  }

  const locales = String(form.get("locales") ?? "")
    .split(",")
    .filter((locale): locale is Locale => (LOCALES as readonly string[]).includes(locale));
  const values = readLessonForm(form, locales);
  // Without JavaScript, adding or removing a source row is a round trip that saves nothing.
  const withRows = changeSourceRows(values, intent);
  if (withRows) return { intent: "rows" as const, values: withRows };
  try {
    if (intent === "preview") {
      const previews: Record<string, string> = {};
      for (const column of values.locales) previews[column.locale] = (await previewLessonMarkdown({ actor: user, slug, folder, locale: column.locale, markdown: column.body })).html;
      return { intent: "preview" as const, values, previews };
    }
    const parsed = parseLessonSave(values);
    if (!parsed.ok) return data({ intent: "save" as const, values, fieldErrors: parsed.fieldErrors, error: { key: "editor.lesson.invalid", detail: "", field: "" } }, { status: 400 });
    const saved = await saveLesson({ actor: user, slug, folder, stem, lesson: parsed.lesson });
    return { intent: "save" as const, saved: true, files: saved.files.length };
  } catch (error) {
    // The trainer's text comes back with the error, so a conflict or a refusal loses nothing typed.
    if (error instanceof DomainError) return data({ intent: "save" as const, values, error: errorOf(error) }, { status: statusOf(error) });
    throw error;
  }
}

async function uploaded(entry: FormDataEntryValue | null) {
  return entry instanceof File && entry.size > 0 ? { name: entry.name, bytes: new Uint8Array(await entry.arrayBuffer()) } : null;
}

type LessonActionData = { values?: LessonFormValues; previews?: Record<string, string>; fieldErrors?: Record<string, string>; error?: ErrorInfo; saved?: boolean; files?: number; intent?: string };

export default function LessonEditor({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = (actionData ?? null) as LessonActionData | null;
  const posted = result?.values ?? null;
  // A fresh load (or a successful save) shows the saved files; a refused post shows what was typed,
  // with the revisions it was based on, so saving again cannot silently overwrite a colleague.
  const formKey = posted ? "posted" : `loaded:${loaderData.values.locales.map((column) => `${column.locale}${column.revision}`).join(",")}`;
  const columns = loaderData.values.locales;
  const title = (columns.find((column) => column.locale === locale)?.title || columns.find((column) => column.title)?.title) ?? loaderData.stem;
  const courseTitle = pick(loaderData.course.title, locale) || loaderData.course.slug;
  const mediaResult = result && (result.intent === "upload" || result.intent === "video-link") ? (result as MediaActionData) : null;
  return (
    <div className="space-y-5">
      <EditorNav slug={loaderData.course.slug} current={null} title={courseTitle} />
      <nav aria-label={t("editor.lesson.breadcrumb")} className="text-sm">
        <Link to={`/author/courses/${loaderData.course.slug}/modules/${loaderData.folder}`} className="text-brand-700 underline">
          {t("editor.lesson.backToModule", { module: loaderData.folder })}
        </Link>
      </nav>
      <PageHeading lead={t("editor.lesson.lead")}>{t("editor.lesson.title", { title })}</PageHeading>
      {result?.intent === "save" ? <SaveMessage result={result.fieldErrors ? null : result} savedKey={result.files === 0 ? "editor.lesson.unchanged" : "editor.lesson.saved"} /> : null}
      {result?.fieldErrors ? <FieldErrorSummary fieldErrors={result.fieldErrors} /> : null}
      {posted && result?.error ? (
        <p>
          <Link to="." reloadDocument className="text-brand-700 underline">
            {t("editor.lesson.discard")}
          </Link>
        </p>
      ) : null}
      <DraftProblems problems={loaderData.problems} linkFor={(file) => editorLinkFor(loaderData.course.slug, file)} />
      <LessonWorkspace key={formKey} loaderData={loaderData} values={posted ?? loaderData.values} previews={result?.previews ?? loaderData.previews} fieldErrors={result?.fieldErrors ?? {}} openSources={result?.intent === "rows"} mediaResult={mediaResult} />
    </div>
  );
}

/** The form and the media panel share the columns' state, so Markdown can be inserted into a column's text. */
function LessonWorkspace({ loaderData, values, previews, fieldErrors, openSources, mediaResult }: { loaderData: Route.ComponentProps["loaderData"]; values: LessonFormValues; previews: Record<string, string>; fieldErrors: Record<string, string>; openSources: boolean; mediaResult: MediaActionData | null }) {
  const [columns, setColumns] = useState<LessonColumnState[]>(() => initialColumns(values));
  const textareas = useRef<Record<string, BodyTextarea>>({});
  const insert = (locale: Locale, markdown: string) => {
    const textarea = textareas.current[locale];
    const column = columns.find((c) => c.locale === locale);
    if (!column) return;
    const { body, caret } = insertMarkdown(column.body, textarea?.selection ?? null, markdown);
    setColumns((all) => all.map((c) => (c.locale === locale ? { ...c, body } : c)));
    if (textarea) textarea.selection = [caret, caret];
    window.requestAnimationFrame(() => {
      textarea?.element?.focus();
      textarea?.element?.setSelectionRange(caret, caret);
    });
  };
  return (
    <>
      <LessonEditorForm slug={loaderData.course.slug} folder={loaderData.folder} id={values.id} columns={columns} setColumns={setColumns} previews={previews} fieldErrors={fieldErrors} openSources={openSources} textareas={textareas} />
      <LessonMediaPanel locales={loaderData.locales} files={loaderData.media} fallback={mediaResult} limits={loaderData.limits} onInsert={insert} />
    </>
  );
}

function FieldErrorSummary({ fieldErrors }: { fieldErrors: Record<string, string> }) {
  const t = useT();
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-semibold">{t("editor.lesson.invalid")}</p>
      <ul className="mt-1 list-disc pl-5">
        {Object.entries(fieldErrors).map(([name, key]) => (
          <li key={name}>
            <a href={`#${fieldId(name)}`} className="underline">
              {t(key)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function meta({ matches, loaderData }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("editor.lesson.title", { title: loaderData?.stem ?? "" })} · Opora` }];
}
