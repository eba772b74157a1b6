import { useEffect, useRef } from "react";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/lesson";
import { PageHeading } from "~/components/app-shell.tsx";
import { SubmitButton } from "~/components/form.tsx";
import { RenderedMarkdown } from "~/components/markdown.tsx";
import { LessonSources } from "~/components/lesson-sources.tsx";
import { cachedCourseMarkdown, cachedSupportHtml } from "~/content/render-markdown.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { SupportBox } from "~/components/support-box.tsx";
import { requireOpenItem } from "~/domain/learner-course.server.ts";
import { completeLesson, recordItemVisit } from "~/domain/record-lesson-progress.server.ts";
import { itemPath } from "~/learning/course-state.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { systemClock } from "~/utils/clock.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";

type LessonContent = { minutes: number; body: Record<string, string>; sources: Record<string, Array<{ title: string; url?: string }>> };

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const opened = await orErrorPage(() => requireOpenItem({ actor: user, slug: params.slug, itemKey: params.itemKey, kind: "LESSON" }));
  await recordItemVisit({ enrolment: opened.enrolment, started: opened.started, itemKey: params.itemKey, now: systemClock.now() });
  const content = opened.item.content as LessonContent;
  const locale = await resolveLocale(request, user);
  const versionId = opened.enrolment.courseVersionId;
  const folder = opened.outline.modules[opened.moduleIndex].folder;
  const done = opened.module.items.find((i) => i.key === params.itemKey)?.done ?? false;
  return {
    slug: params.slug,
    title: opened.item.title,
    moduleTitle: opened.outline.modules[opened.moduleIndex].title,
    minutes: content.minutes,
    bodyHtml: cachedCourseMarkdown(`${versionId}:${params.itemKey}`, pick(content.body, locale), { assetBase: `/course-assets/${versionId}/${folder}`, locale }),
    sources: content.sources,
    supportHtml: cachedSupportHtml(versionId, pick(opened.outline.meta.support, locale), locale),
    done,
    previous: opened.previous ? itemPath(params.slug, opened.previous) : null,
    next: opened.next ? itemPath(params.slug, opened.next) : null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const seconds = Number(form.get("secondsSpent") ?? 0);
  const result = await orErrorPage(() => completeLesson({ actor: user, slug: params.slug, itemKey: params.itemKey, secondsSpent: seconds }));
  return redirect(result.next ? itemPath(params.slug, result.next) : `/learn/${params.slug}`);
}

/** Seconds the page was visible with some activity in the last two minutes: time on task without idle time. */
function useActiveSeconds() {
  const seconds = useRef(0);
  useEffect(() => {
    let lastActivity = Date.now();
    const mark = () => {
      lastActivity = Date.now();
    };
    const events = ["scroll", "keydown", "pointerdown", "pointermove"] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - lastActivity < 120_000) seconds.current += 5;
    }, 5_000);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, []);
  return seconds;
}

export default function Lesson({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const seconds = useActiveSeconds();
  const sources = loaderData.sources[locale] ?? loaderData.sources.sl ?? [];
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <nav aria-label={t("learn.breadcrumb")} className="text-sm">
        <Link to={`/learn/${loaderData.slug}`} className="text-brand-700 underline">
          {pick(loaderData.moduleTitle, locale)}
        </Link>
      </nav>
      <PageHeading lead={t("learn.lessonOf", { minutes: loaderData.minutes })}>{pick(loaderData.title, locale)}</PageHeading>
      <div className="rounded-lg bg-white p-4 shadow-sm sm:p-8">
        <RenderedMarkdown html={loaderData.bodyHtml} />
      </div>
      <LessonSources sources={sources} />
      <SupportBox html={loaderData.supportHtml} />
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        {loaderData.previous ? (
          <Link to={loaderData.previous} className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            ← {t("learn.previous")}
          </Link>
        ) : (
          <span />
        )}
        <Form method="post" onSubmit={(event) => ((event.currentTarget.elements.namedItem("secondsSpent") as HTMLInputElement).value = String(seconds.current))}>
          <input type="hidden" name="secondsSpent" defaultValue="0" />
          <SubmitButton>{t("learn.doneContinue")} →</SubmitButton>
        </Form>
      </div>
    </article>
  );
}
