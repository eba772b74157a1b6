import { Link } from "react-router";
import { PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor } from "~/components/authoring.tsx";
import { Markdown, RenderedMarkdown } from "~/components/markdown.tsx";
import { LessonSources } from "~/components/lesson-sources.tsx";
import { SupportBox } from "~/components/support-box.tsx";
import { previewDraft } from "~/authoring/draft.server.ts";
import { renderCourseMarkdown } from "~/content/render-markdown.server.ts";
import { pick } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/preview";

// "Preview as learner": one module of the draft at a time, rendered by the learner pages' renderer
// and markup. Nothing is recorded: it is the trainer's view of unpublished content.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  return orErrorPage(async () => {
    const { course, problems } = await previewDraft({ actor: user, slug: params.slug });
    if (!course) return { course: null, problems, modules: [], module: null };
    const wanted = new URL(request.url).searchParams.get("module");
    const module = course.modules.find((m) => m.folder === wanted) ?? course.modules[0];
    const assetBase = `/author/courses/${params.slug}/draft-files/${module?.folder ?? ""}`;
    return {
      course: { title: course.title, summary: course.summary, support: course.support, contentNote: course.contentNote, estimatedMinutes: course.estimatedMinutes },
      problems,
      modules: course.modules.map((m) => ({ folder: m.folder, title: m.title })),
      module: module && {
        folder: module.folder,
        title: module.title,
        items: module.items.map((item) => {
          if (item.type === "lesson") {
            const body = pick(item.lesson.body, locale);
            return { kind: "lesson" as const, id: item.lesson.id, title: item.lesson.title, minutes: item.lesson.minutes, html: renderCourseMarkdown(body, { assetBase, locale }), sources: item.lesson.sources[locale] ?? item.lesson.sources.sl ?? [] };
          }
          if (item.type === "quiz") return { kind: "quiz" as const, id: item.quiz.id, title: item.quiz.title, draw: item.quiz.draw, questions: item.quiz.questions.map((q) => ({ id: q.id, kind: q.kind, prompt: q.prompt, choices: "options" in q ? q.options.map((o) => o.text) : "pairs" in q ? q.pairs.map((p) => p.left) : "items" in q ? q.items.map((i) => i.text) : [] })) };
          return { kind: "case" as const, id: item.case.id, title: item.case.title, summary: item.case.summary, nodes: item.case.nodes.map((n) => ({ id: n.id, debrief: n.debrief, text: n.text, choices: n.choices.map((c) => ({ text: c.text, next: c.next })) })) };
        }),
      },
    };
  });
}

export default function Preview({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { course, module, modules, problems } = loaderData;
  const title = course ? pick(course.title, locale) : params.slug;
  return (
    <div className="space-y-6">
      <EditorNav slug={params.slug} current="preview" title={title} />
      <p role="note" className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900">
        {t("editor.preview.note")}
      </p>
      {!course || !module ? (
        <>
          <PageHeading lead={t("editor.preview.blocked")}>{t("editor.nav.preview")}</PageHeading>
          <DraftProblems problems={problems} linkFor={(file) => editorLinkFor(params.slug, file)} />
        </>
      ) : (
        <>
          <PageHeading lead={pick(course.summary, locale)}>{title}</PageHeading>
          <nav aria-label={t("editor.preview.modules")}>
            <ol className="flex flex-wrap gap-2 text-sm">
              {modules.map((m, i) => (
                <li key={m.folder}>
                  <Link to={`?module=${m.folder}`} aria-current={m.folder === module.folder ? "page" : undefined} className={`inline-flex min-h-11 items-center rounded-md border px-3 ${m.folder === module.folder ? "border-brand-700 bg-brand-50 font-semibold" : "border-slate-300"}`}>
                    {i + 1}. {pick(m.title, locale)}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
          {module.items.map((item) => (
            <article key={item.id} className="mx-auto max-w-3xl space-y-4 border-t border-slate-200 pt-6">
              <h2 className="text-2xl font-semibold">{pick(item.title, locale)}</h2>
              {item.kind === "lesson" ? (
                <>
                  <p className="text-slate-700">{t("learn.lessonOf", { minutes: item.minutes })}</p>
                  <div className="rounded-lg bg-white p-4 shadow-sm sm:p-8">
                    <RenderedMarkdown html={item.html} />
                  </div>
                  <LessonSources sources={item.sources} level={3} />
                </>
              ) : item.kind === "quiz" ? (
                <>
                  <p className="text-slate-700">{t("editor.preview.quizDraws", { draw: item.draw, pool: item.questions.length })}</p>
                  <ol className="list-decimal space-y-4 pl-6">
                    {item.questions.map((question) => (
                      <li key={question.id} className="space-y-2">
                        <Markdown>{pick(question.prompt, locale)}</Markdown>
                        {question.choices.length ? (
                          <ul className="list-disc pl-6 text-slate-800">
                            {question.choices.map((choice, i) => (
                              <li key={`${question.id}:${i}`}>{pick(choice, locale)}</li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                </>
              ) : (
                <>
                  <p className="text-slate-700">{pick(item.summary, locale)}</p>
                  <ol className="space-y-3">
                    {item.nodes.map((node) => (
                      <li key={node.id} id={`${item.id}-${node.id}`} className="rounded-md border border-slate-200 bg-white p-3">
                        <p className="text-xs font-semibold uppercase text-slate-600">{node.debrief ? t("case.debrief") : node.id}</p>
                        <Markdown>{pick(node.text, locale)}</Markdown>
                        {node.choices.length ? (
                          <ul className="mt-2 list-disc pl-6">
                            {node.choices.map((choice) => (
                              <li key={`${node.id}:${choice.next}:${pick(choice.text, locale)}`}>
                                <a href={`#${item.id}-${choice.next}`} className="underline">
                                  {pick(choice.text, locale)}
                                </a>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </article>
          ))}
          <SupportBox text={pick(course.support, locale)} />
        </>
      )}
    </div>
  );
}
