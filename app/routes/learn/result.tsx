import { redirect } from "react-router";
import type { Route } from "./+types/result";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { Markdown } from "~/components/markdown.tsx";
import type { Question } from "~/content/schema.ts";
import { getQuizAttempt } from "~/domain/quiz-attempts.server.ts";
import { loadLearnerCourse } from "~/domain/learner-course.server.ts";
import { itemPath } from "~/learning/course-state.ts";
import type { QuizResponse } from "~/learning/quiz-logic.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const view = await orErrorPage(() => getQuizAttempt({ actor: user, attemptId: params.attemptId }));
  if (!view.attempt.submittedAt) throw redirect(`/learn/${params.slug}/attempt/${params.attemptId}`);
  const { state, enrolment } = await loadLearnerCourse({ actor: user, slug: params.slug });
  return {
    slug: params.slug,
    itemKey: view.attempt.itemKey,
    score: view.attempt.score ?? 0,
    passed: Boolean(view.attempt.passed),
    passMark: view.passMark,
    closedByTime: view.attempt.closedBy === "TIME",
    review: view.review,
    answers: view.answers,
    courseComplete: Boolean(enrolment.completedAt),
    next: state.next ? itemPath(params.slug, { kind: state.next.kind, key: state.next.itemKey }) : null,
  };
}

function answerText(question: Question, response: QuizResponse | undefined, locale: string, t: ReturnType<typeof useT>): string {
  if (!response) return t("quiz.noAnswer");
  switch (question.kind) {
    case "single":
      return "optionId" in response ? pick(question.options.find((o) => o.id === response.optionId)?.text, locale) : "";
    case "multiple":
      return "optionIds" in response ? response.optionIds.map((id) => pick(question.options.find((o) => o.id === id)?.text, locale)).join("; ") : "";
    case "true_false":
      return "value" in response ? (response.value ? t("quiz.true") : t("quiz.false")) : "";
    case "matching":
      return "pairs" in response ? question.pairs.map((p) => `${pick(p.left, locale)} → ${pick(question.pairs.find((q) => q.id === response.pairs[p.id])?.right, locale) || "—"}`).join("; ") : "";
    case "ordering":
      return "order" in response ? response.order.map((id, i) => `${i + 1}. ${pick(question.items.find((item) => item.id === id)?.text, locale)}`).join("; ") : "";
    case "short_answer":
      return "text" in response ? response.text : "";
  }
}

function correctText(question: Question, locale: string, t: ReturnType<typeof useT>): string {
  switch (question.kind) {
    case "single":
    case "multiple":
      return question.options.filter((o) => o.correct).map((o) => pick(o.text, locale)).join("; ");
    case "true_false":
      return question.answer ? t("quiz.true") : t("quiz.false");
    case "matching":
      return question.pairs.map((p) => `${pick(p.left, locale)} → ${pick(p.right, locale)}`).join("; ");
    case "ordering":
      return question.items.map((item, i) => `${i + 1}. ${pick(item.text, locale)}`).join("; ");
    case "short_answer":
      return (question.accept[locale as "sl" | "en"] ?? question.accept.sl ?? question.accept.en ?? []).join(" / ");
  }
}

function feedbackFor(question: Question, response: QuizResponse | undefined, locale: string) {
  if (!response) return [];
  if ((question.kind === "single" || question.kind === "multiple") && ("optionId" in response || "optionIds" in response)) {
    const chosen = "optionId" in response ? [response.optionId] : response.optionIds;
    return question.options.filter((o) => chosen.includes(o.id) && o.feedback).map((o) => pick(o.feedback, locale));
  }
  if (question.kind === "true_false" && "value" in response) {
    const feedback = response.value ? question.feedback?.true : question.feedback?.false;
    return feedback ? [pick(feedback, locale)] : [];
  }
  return [];
}

export default function Result({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { review, answers } = loaderData;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeading>{t("quiz.resultTitle")}</PageHeading>
      <Card className={loaderData.passed ? "border-emerald-300" : "border-amber-300"}>
        <p className="text-2xl font-semibold">{t("quiz.yourScore", { score: loaderData.score })}</p>
        <p className="mt-1 text-slate-700">{t("quiz.passMark", { passMark: loaderData.passMark })}</p>
        <p className={`mt-3 font-medium ${loaderData.passed ? "text-emerald-800" : "text-amber-900"}`} role="status">
          {loaderData.passed ? t("quiz.passedMessage") : t("quiz.failedMessage")}
        </p>
        {loaderData.closedByTime ? <p className="mt-2 text-sm text-slate-700">{t("quiz.closedByTime")}</p> : null}
        {loaderData.courseComplete ? <p className="mt-2 font-medium text-emerald-800">{t("learn.courseComplete")}</p> : null}
        <div className="mt-4 flex flex-wrap gap-3">
          {loaderData.passed && loaderData.next ? <LinkButton to={loaderData.next}>{t("learn.continue")} →</LinkButton> : null}
          {!loaderData.passed ? <LinkButton to={`/learn/${loaderData.slug}/quiz/${loaderData.itemKey}`}>{t("quiz.tryAgain")}</LinkButton> : null}
          <LinkButton to={`/learn/${loaderData.slug}`} variant="secondary">
            {t("learn.backToCourse")}
          </LinkButton>
        </div>
      </Card>
      {review ? (
        <ol className="space-y-4">
          {review.map((question, index) => {
            const answer = answers[question.id];
            const points = answer?.points ?? 0;
            return (
              <li key={question.id}>
                <Card className={points === 1 ? "border-emerald-300" : points > 0 ? "border-amber-300" : "border-red-300"}>
                  <p className="text-sm font-medium text-slate-600">
                    {t("quiz.questionOf", { number: index + 1, total: review.length })} · {t("quiz.points", { points: Math.round(points * 100) / 100 })}
                  </p>
                  <div className="mt-1 font-medium">
                    <Markdown>{pick(question.prompt, locale)}</Markdown>
                  </div>
                  <dl className="mt-2 space-y-2 text-sm">
                    <div>
                      <dt className="font-semibold">{t("quiz.yourAnswer")}</dt>
                      <dd>{answerText(question, answer?.response, locale, t)}</dd>
                    </div>
                    <div>
                      <dt className="font-semibold">{t("quiz.correctAnswer")}</dt>
                      <dd>{correctText(question, locale, t)}</dd>
                    </div>
                    {feedbackFor(question, answer?.response, locale).map((feedback) => (
                      <div key={feedback} className="rounded bg-slate-50 p-2">
                        <dt className="font-semibold">{t("quiz.feedback")}</dt>
                        <dd>{feedback}</dd>
                      </div>
                    ))}
                    <div>
                      <dt className="font-semibold">{t("quiz.explanation")}</dt>
                      <dd>
                        <Markdown>{pick(question.explanation, locale)}</Markdown>
                      </dd>
                    </div>
                  </dl>
                </Card>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="text-slate-700">{t("quiz.reviewHidden")}</p>
      )}
    </div>
  );
}
