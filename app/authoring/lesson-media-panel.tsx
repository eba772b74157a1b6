import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import type { Locale } from "~/content/schema.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { TextInput } from "./lesson-editor-form.tsx";

// Adding an image or a video to a lesson: upload a file (a video with its captions) into the
// module's images/ folder, or give the address of a YouTube or Vimeo video. Both ask for the alt
// text in every course language and answer with the Markdown for each language's text, which the
// trainer can insert at the cursor. Uploading does not touch the lesson form, so unsaved text stays.

export type MediaResult = { target: string; video: boolean; markdown: Partial<Record<Locale, string>> };
export type MediaActionData = { intent: "upload" | "video-link"; media: MediaResult } | { intent: "upload" | "video-link"; error: { key: string; detail: string; field: string } };

export function LessonMediaPanel({
  locales,
  files,
  fallback,
  limits,
  onInsert,
}: {
  locales: Locale[];
  /** Images and videos already in the module's images/ folder, as lessons link them. */
  files: Array<{ target: string; video: boolean }>;
  /** The result of a form sent without JavaScript (a whole-page post). */
  fallback: MediaActionData | null;
  limits: { imageMb: number; videoMb: number };
  onInsert: (locale: Locale, markdown: string) => void;
}) {
  const t = useT();
  const upload = useFetcher<MediaActionData>();
  const video = useFetcher<MediaActionData>();
  const uploadForm = useRef<HTMLFormElement>(null);
  const videoForm = useRef<HTMLFormElement>(null);
  const uploadResult = upload.data ?? (fallback?.intent === "upload" ? fallback : null);
  const videoResult = video.data ?? (fallback?.intent === "video-link" ? fallback : null);
  const [latest, setLatest] = useState<"upload" | "video-link">(fallback?.intent ?? "upload");

  useEffect(() => {
    if (upload.state === "idle" && upload.data && "media" in upload.data) {
      uploadForm.current?.reset();
      setLatest("upload");
    }
  }, [upload.state, upload.data]);
  useEffect(() => {
    if (video.state === "idle" && video.data && "media" in video.data) {
      videoForm.current?.reset();
      setLatest("video-link");
    }
  }, [video.state, video.data]);

  const offered = latest === "upload" ? uploadResult : videoResult;
  return (
    <section aria-labelledby="lesson-media" className="space-y-4 rounded-lg border border-slate-300 bg-white p-4 shadow-sm">
      <h2 id="lesson-media" className="text-lg font-semibold">
        {t("editor.media.title")}
      </h2>
      <p className="text-sm text-slate-700">{t("editor.media.lead")}</p>
      <noscript>
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">{t("editor.media.saveFirst")}</p>
      </noscript>
      <div className="grid gap-6 lg:grid-cols-2">
        <upload.Form ref={uploadForm} method="post" encType="multipart/form-data" className="min-w-0">
          <input type="hidden" name="intent" value="upload" />
          <fieldset className="space-y-3">
            <legend className="font-semibold">{t("editor.media.upload")}</legend>
            <ActionError result={uploadResult} />
            <FileInput id="media-file" name="file" label={t("editor.media.file")} hint={t("editor.media.fileHint", limits)} accept="image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm" required error={fieldError(uploadResult, "file")} />
            <FileInput id="media-captions" name="captions" label={t("editor.media.captions")} hint={t("editor.media.captionsHint")} accept=".vtt,text/vtt" error={fieldError(uploadResult, "captions")} />
            <AltTexts prefix="media" locales={locales} label="editor.media.alt" hint="editor.media.altHint" result={uploadResult} />
            <SubmitBusy busy={upload.state !== "idle"} label={t("editor.media.submitUpload")} busyLabel={t("editor.media.busy")} />
          </fieldset>
        </upload.Form>
        <video.Form ref={videoForm} method="post" className="min-w-0">
          <input type="hidden" name="intent" value="video-link" />
          <fieldset className="space-y-3">
            <legend className="font-semibold">{t("editor.media.videoLink")}</legend>
            <ActionError result={videoResult} />
            <TextInput id="video-url" name="url" label={t("editor.media.videoUrl")} hint={t("editor.media.videoUrlHint")} type="url" inputMode="url" required maxLength={2048} error={fieldError(videoResult, "url")} />
            <AltTexts prefix="video" locales={locales} label="editor.media.videoTitle" hint="editor.media.videoTitleHint" result={videoResult} />
            <SubmitBusy busy={video.state !== "idle"} label={t("editor.media.submitVideo")} busyLabel={t("editor.media.busy")} />
          </fieldset>
        </video.Form>
      </div>
      {offered && "media" in offered ? <MarkdownOffer result={offered.media} locales={locales} onInsert={onInsert} /> : null}
      <div>
        <h3 className="text-sm font-semibold">{t("editor.media.existing")}</h3>
        {files.length ? (
          <ul className="mt-1 space-y-1 text-sm">
            {files.map((file) => (
              <li key={file.target}>
                <code className="break-all">{file.target}</code> <span className="text-slate-600">({t(file.video ? "editor.media.kindVideo" : "editor.media.kindImage")})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t("editor.media.none")}</p>
        )}
      </div>
    </section>
  );
}

function fieldError(result: MediaActionData | null, field: string) {
  return result && "error" in result && result.error.field === field ? result.error.key : undefined;
}

function ActionError({ result }: { result: MediaActionData | null }) {
  const t = useT();
  if (!result || !("error" in result)) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {t(result.error.key, { detail: result.error.detail })}
    </p>
  );
}

/** One alt text (or video title) per course language, each in its own language. */
function AltTexts({ prefix, locales, label, hint, result }: { prefix: string; locales: Locale[]; label: "editor.media.alt" | "editor.media.videoTitle"; hint: "editor.media.altHint" | "editor.media.videoTitleHint"; result: MediaActionData | null }) {
  const t = useT();
  return (
    <>
      {locales.map((locale) => (
        <TextInput key={locale} id={`${prefix}-alt-${locale}`} name={`alt.${locale}`} lang={locale} label={t(label, { language: t(`language.${locale}`) })} hint={t(hint)} required maxLength={300} error={fieldError(result, `alt.${locale}`)} />
      ))}
    </>
  );
}

function FileInput({ id, name, label, hint, error, ...input }: { id: string; name: string; label: string; hint: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const t = useT();
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-sm text-slate-600">
        {hint}
      </p>
      <input id={id} name={name} type="file" aria-invalid={error ? true : undefined} aria-describedby={describedBy} className="mt-1 block w-full text-base file:mr-3 file:min-h-11 file:rounded-md file:border file:border-slate-400 file:bg-white file:px-3" {...input} />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

function SubmitBusy({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <button type="submit" disabled={busy} aria-busy={busy || undefined} className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-70">
      {busy ? busyLabel : label}
    </button>
  );
}

/** The Markdown for each language's text; with JavaScript, a button puts it where that text's cursor was. */
function MarkdownOffer({ result, locales, onInsert }: { result: MediaResult; locales: Locale[]; onInsert: (locale: Locale, markdown: string) => void }) {
  const t = useT();
  const ui = useLocale();
  const [hydrated, setHydrated] = useState(false);
  const [inserted, setInserted] = useState<Locale | null>(null);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="space-y-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
      <p role="status" className="font-medium text-emerald-900">
        {t(result.video ? "editor.media.readyVideo" : "editor.media.readyImage", { file: result.target })}
      </p>
      <dl className="space-y-3">
        {locales.map((locale) => {
          const markdown = result.markdown[locale] ?? "";
          const language = t(`language.${locale}`);
          return (
            <div key={locale}>
              <dt>{t("editor.media.markdownFor", { language })}</dt>
              <dd className="mt-1 flex flex-wrap items-center gap-2">
                <code lang={locale} className="block max-w-full break-all rounded bg-white px-2 py-1">
                  {markdown}
                </code>
                {hydrated ? (
                  <button
                    type="button"
                    lang={ui}
                    onClick={() => {
                      onInsert(locale, markdown);
                      setInserted(locale);
                    }}
                    className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-3 py-1 hover:bg-slate-100"
                  >
                    {t("editor.media.insert", { language })}
                  </button>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <p role="status" className="empty:hidden">
        {inserted ? t("editor.media.inserted", { language: t(`language.${inserted}`) }) : ""}
      </p>
    </div>
  );
}
