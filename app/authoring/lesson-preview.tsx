import { useId } from "react";
import { RenderedMarkdown } from "~/components/markdown.tsx";
import { LessonSources } from "~/components/lesson-sources.tsx";
import type { Translate } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";

/**
 * One locale's lesson as a learner reading in that language sees it: the markup of the learner's
 * lesson page (routes/learn/lesson.tsx) with its words in `t`, the lesson's language, and the body
 * rendered on the server by the learner's pipeline. Headings are paragraphs styled as on that page,
 * so the editor's own heading outline stays intact.
 */
export function LessonPreview({
  locale,
  label,
  title,
  minutes,
  sources,
  html,
  updating,
  failed,
  t,
}: {
  locale: string;
  label: string;
  title: string;
  minutes: string;
  sources: Array<{ title: string; url: string }>;
  html: string;
  updating: boolean;
  failed: boolean;
  t: Translate;
}) {
  const ui = useLocale();
  const editorT = useT();
  const headingId = useId();
  const listed = sources.filter((source) => source.title.trim());
  return (
    <section aria-labelledby={headingId} lang={ui} className="space-y-3 rounded-lg border border-dashed border-slate-400 bg-slate-50 p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-700">
          {label}
        </h2>
        <span aria-hidden="true" className="text-xs text-slate-600">
          {updating ? editorT("editor.lesson.previewUpdating") : ""}
        </span>
      </div>
      <p role="status" className="text-sm text-red-800 empty:hidden">
        {failed ? editorT("editor.lesson.previewFailed") : ""}
      </p>
      <div lang={locale} className="space-y-6">
        <div className="mb-6">
          <p className="text-2xl font-semibold tracking-tight sm:text-3xl">{title}</p>
          <p className="mt-2 max-w-prose text-slate-700">{t("learn.lessonOf", { minutes })}</p>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm sm:p-8">
          <RenderedMarkdown html={html} />
        </div>
        <LessonSources sources={listed} level={3} />
      </div>
    </section>
  );
}
