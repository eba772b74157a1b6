import { useEffect, useRef } from "react";
import { Link, redirect, useActionData, useFetcher } from "react-router";
import { z } from "zod";
import { editorAction } from "~/authoring/editor-action.server.ts";
import { changeQuiz, getQuizEditor, type QuizChange } from "~/authoring/quiz-editor.server.ts";
import { parseQuestionForm, parseSettingsForm, QUESTION_KINDS } from "~/authoring/quiz-form.ts";
import { QuestionPool, RemoveQuestionForm, SettingsForm } from "~/authoring/quiz-pool.tsx";
import { QuestionEditor } from "~/authoring/quiz-question-editor.tsx";
import { PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor, SaveMessage } from "~/components/authoring.tsx";
import { pick, translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/quiz";

// A quiz of the course draft: its settings and its question pool. The pool is a list; each question
// opens on its own page (?question=id), so a pool of thirty or more stays workable on a phone.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const questionId = new URL(request.url).searchParams.get("question");
  return orErrorPage(() => getQuizEditor({ actor: user, slug: params.slug, folder: params.folder, file: params.file, questionId }));
}

const RequestSchema = z.object({
  intent: z.enum(["settings", "save-question", "add-question", "move-up", "move-down", "remove-question"]),
  revision: z.coerce.number().int().min(0),
  question: z.string().max(64).default(""),
  kind: z.enum(QUESTION_KINDS).optional(),
  outcome: z.string().max(64).default(""),
  from: z.enum(["list", "question"]).default("list"),
});

function quizChange(form: FormData, request: z.infer<typeof RequestSchema>): QuizChange {
  switch (request.intent) {
    case "settings": {
      const settings = parseSettingsForm(form);
      if (!settings.ok) throw new DomainError("INVALID", "editor.quiz.invalidField", settings.field);
      return { op: "settings", settings: settings.value };
    }
    case "save-question":
      return { op: "save-question", question: parseQuestionForm(form) };
    case "add-question":
      if (!request.kind) throw new DomainError("INVALID", "errors.badRequest", "kind");
      return { op: "add-question", kind: request.kind, outcome: request.outcome };
    case "move-up":
    case "move-down":
      return { op: "move-question", questionId: request.question, direction: request.intent === "move-up" ? "up" : "down" };
    case "remove-question":
      return { op: "remove-question", questionId: request.question };
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const base = `/author/courses/${params.slug}/modules/${params.folder}/quizzes/${params.file}`;
  return editorAction(async () => {
    const parsed = RequestSchema.safeParse(Object.fromEntries([...form.entries()].filter(([name]) => name in RequestSchema.shape)));
    if (!parsed.success) throw new DomainError("INVALID", "errors.badRequest");
    const change = quizChange(form, parsed.data);
    const result = await changeQuiz({ actor: user, slug: params.slug, folder: params.folder, file: params.file, revision: parsed.data.revision, change });
    if (change.op === "add-question") return redirect(`${base}?question=${encodeURIComponent(result.questionId ?? "")}`);
    if (change.op === "remove-question" && parsed.data.from === "question") return redirect(base);
    return result;
  });
}

export default function QuizEditorPage({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  // Without JavaScript the forms post as pages; their result then arrives here.
  const result = useActionData<typeof action>();
  const { settings, questions, selected, revision, locales, outcomes, path } = loaderData;
  const title = (settings && pick(settings.title, locale)) || params.file;
  const heading = useRef<HTMLDivElement>(null);
  const selectedId = selected?.question?.id ?? null;
  const shownId = useRef(selectedId);
  useEffect(() => {
    // Moving between questions keeps this page mounted: put focus at the top of the new content,
    // as a page load would, so a screen reader starts at the question's heading.
    if (shownId.current === selectedId) return;
    shownId.current = selectedId;
    (document.getElementById("quiz-question-heading") ?? heading.current)?.focus();
  }, [selectedId]);
  const key = (kind: string, id = "") => `quiz:${path}:${kind}:${id}`;
  const questionFetcher = useFetcher({ key: key("question", selectedId ?? "") });
  const settingsFetcher = useFetcher({ key: key("settings") });
  const questionLink = (index: number) => {
    const question = questions[index];
    return question?.id ? `?question=${encodeURIComponent(question.id)}` : null;
  };
  return (
    <div className="space-y-6">
      <EditorNav slug={params.slug} current={null} title={pick(loaderData.courseTitle, locale) || params.slug} />
      <p>
        <Link to={`/author/courses/${params.slug}/modules/${params.folder}`} className="text-brand-700 underline">
          {t("editor.quiz.backToModule")}
        </Link>
      </p>
      <div ref={heading} tabIndex={-1} className="outline-none">
        <PageHeading lead={t("editor.quiz.lead")}>{t("editor.quiz.title", { quiz: title })}</PageHeading>
      </div>
      {result ? <SaveMessage result={result} savedKey="editor.quiz.saved" /> : null}
      {loaderData.problems.length || !loaderData.problemsInQuestions ? <DraftProblems problems={loaderData.problems} files={[path]} linkFor={(file) => editorLinkFor(params.slug, file)} /> : null}
      {loaderData.problemsInQuestions ? <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t("editor.quiz.problemsInQuestions", { count: loaderData.problemsInQuestions })}</p> : null}
      {!settings ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {t("editor.quiz.unreadable")}
        </p>
      ) : selected ? (
        <div className="space-y-4">
          <nav aria-label={t("editor.quiz.questionNav")} className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
            <Link to={`?${selectedId ? `#quiz-pool-${selectedId}` : ""}`} className="text-brand-700 underline">
              {t("editor.quiz.allQuestions")}
            </Link>
            {selected.index > 0 && questionLink(selected.index - 1) ? (
              <Link to={questionLink(selected.index - 1) as string} className="text-brand-700 underline">
                {t("editor.quiz.previous")}
              </Link>
            ) : null}
            {selected.index >= 0 && questionLink(selected.index + 1) ? (
              <Link to={questionLink(selected.index + 1) as string} className="text-brand-700 underline">
                {t("editor.quiz.next")}
              </Link>
            ) : null}
          </nav>
          {!selected.question ? (
            <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
              {t("editor.quiz.noQuestion")}
            </p>
          ) : selected.question.kind ? (
            // Keyed by the saved question: after a save the form starts again from what was saved
            // (with the ids the server gave new rows); a refused save changes nothing, so the
            // trainer's input stays.
            <QuestionEditor key={JSON.stringify(selected.question)} question={selected.question} number={selected.index + 1} count={questions.length} locales={locales} outcomes={outcomes} revision={revision} fetcher={questionFetcher} />
          ) : (
            <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t("editor.quiz.unknownKind")}</p>
          )}
          {selected.question ? <RemoveQuestionForm questionId={selected.question.id} number={selected.index + 1} revision={revision} fetcherKey={key("remove", selected.question.id)} /> : null}
        </div>
      ) : (
        <>
          <nav aria-label={t("editor.quiz.onThisPage")} className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
            {[
              ["quiz-settings-heading", t("editor.quiz.settings")],
              ["quiz-pool-heading", t("editor.quiz.pool", { count: questions.length })],
              ["quiz-add-heading", t("editor.quiz.addQuestion")],
            ].map(([id, label]) => (
              <a key={id} href={`#${id}`} className="text-brand-700 underline">
                {label}
              </a>
            ))}
          </nav>
          <SettingsForm key={JSON.stringify(settings)} settings={settings} poolSize={questions.length} locales={locales} revision={revision} fetcher={settingsFetcher} />
          <QuestionPool questions={questions} outcomes={outcomes} revision={revision} fetcherKey={(id) => key("pool", id)} />
        </>
      )}
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("editor.quiz.pageTitle")} · Opora` }];
}
