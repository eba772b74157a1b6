import { useEffect, useState } from "react";
import { data, Form, Link, redirect, useActionData, useNavigate } from "react-router";
import type { Route } from "./+types/attempt";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { QuizQuestionFields } from "~/components/quiz-question.tsx";
import { getQuizAttempt, saveQuizAnswer, submitQuizAttempt } from "~/domain/quiz-attempts.server.ts";
import { readResponse } from "~/learning/quiz-form.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { systemClock } from "~/utils/clock.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const view = await orErrorPage(() => getQuizAttempt({ actor: user, attemptId: params.attemptId }));
  if (view.attempt.submittedAt) throw redirect(`/learn/${params.slug}/attempt/${params.attemptId}/result`);
  const url = new URL(request.url);
  const reviewing = url.searchParams.has("review");
  const firstUnanswered = view.questions.findIndex((q) => !view.answers[q.id]);
  const index = Math.min(Math.max(Number(url.searchParams.get("q") ?? (Math.max(firstUnanswered , 0))) || 0, 0), view.questions.length - 1);
  return {
    slug: params.slug,
    title: view.title,
    reviewing,
    index,
    total: view.questions.length,
    question: view.questions[index],
    saved: view.answers[view.questions[index].id]?.response,
    answered: view.questions.map((q) => Boolean(view.answers[q.id])),
    prompts: view.questions.map((q) => q.prompt),
    secondsLeft: view.attempt.deadlineAt ? Math.max(0, Math.floor((view.attempt.deadlineAt.getTime() - systemClock.now().getTime()) / 1000)) : null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const base = `/learn/${params.slug}/attempt/${params.attemptId}`;
  if (form.get("intent") === "submit") {
    const result = await orFormError(() => submitQuizAttempt({ actor: user, attemptId: params.attemptId }));
    if (!result.ok) return result.response;
    return redirect(`${base}/result`);
  }
  const view = await orErrorPage(() => getQuizAttempt({ actor: user, attemptId: params.attemptId }));
  if (view.attempt.submittedAt) return redirect(`${base}/result`);
  const questionKey = String(form.get("questionKey") ?? "");
  const question = view.questions.find((q) => q.id === questionKey);
  if (!question) return data({ formError: "quiz.notInAttempt", fieldErrors: {}, message: undefined }, { status: 400 });
  const { response, error } = readResponse(question.kind, form);
  if (error) return data({ formError: error, fieldErrors: {}, message: undefined }, { status: 400 });
  if (response) {
    const saved = await orFormError(() => saveQuizAnswer({ actor: user, attemptId: params.attemptId, questionKey, response }));
    if (!saved.ok) {
      const body = (saved.response as { data?: { formError?: string } }).data;
      if (body?.formError === "quiz.timeUp" || body?.formError === "quiz.alreadySubmitted") return redirect(`${base}/result`);
      return saved.response;
    }
  }
  const goto = String(form.get("goto") ?? "next");
  const index = view.questions.indexOf(question);
  if (goto === "review" || (goto === "next" && index === view.questions.length - 1)) return redirect(`${base}?review`);
  if (goto === "previous") return redirect(`${base}?q=${Math.max(0, index - 1)}`);
  if (/^\d+$/.test(goto)) return redirect(`${base}?q=${goto}`);
  return redirect(`${base}?q=${index + 1}`);
}

/** Counts down from the server's figure; at zero it reloads, and the server closes the attempt. */
function Countdown({ seconds }: { seconds: number }) {
  const t = useT();
  const navigate = useNavigate();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        window.clearInterval(timer);
        navigate(".", { replace: true });
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [seconds, navigate]);
  const minutes = Math.floor(left / 60);
  const text = `${minutes}:${String(left % 60).padStart(2, "0")}`;
  return (
    <p className={`rounded-md px-3 py-1 font-mono text-sm ${left < 120 ? "bg-red-100 text-red-900" : "bg-slate-100"}`}>
      {t("quiz.timeLeft")}: <span role="timer" aria-live={left < 120 && left % 30 === 0 ? "polite" : "off"}>{text}</span>
    </p>
  );
}

export default function Attempt({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { question, index, total } = loaderData;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PageHeading>{pick(loaderData.title, locale)}</PageHeading>
        {loaderData.secondsLeft !== null ? <Countdown seconds={loaderData.secondsLeft} /> : null}
      </div>
      {loaderData.reviewing ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("quiz.reviewTitle")}</h2>
          <ol className="mt-3 space-y-2">
            {loaderData.prompts.map((prompt, i) => (
              <li key={i} className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                <span className="min-w-0 flex-1">
                  {i + 1}. {pick(prompt, locale).split("\n")[0].slice(0, 120)}
                </span>
                <span className={`text-sm ${loaderData.answered[i] ? "text-emerald-800" : "font-medium text-red-800"}`}>{loaderData.answered[i] ? t("quiz.answered") : t("quiz.unanswered")}</span>
                <Link to={`?q=${i}`} className="text-sm text-brand-700 underline" aria-label={`${t("quiz.change")} ${i + 1}`}>
                  {t("quiz.change")}
                </Link>
              </li>
            ))}
          </ol>
          <Form method="post" className="mt-4 space-y-3">
            <FormErrorMessage error={result?.formError} />
            <p className="text-sm text-slate-700">{t("quiz.submitWarning")}</p>
            <input type="hidden" name="intent" value="submit" />
            <SubmitButton>{t("quiz.submit")}</SubmitButton>
          </Form>
        </Card>
      ) : (
        <Card>
          <p className="mb-3 text-sm font-medium text-slate-600">{t("quiz.questionOf", { number: index + 1, total })}</p>
          <Form method="post" key={question.id} className="space-y-4">
            <FormErrorMessage error={result?.formError} />
            <input type="hidden" name="questionKey" value={question.id} />
            <QuizQuestionFields question={question} saved={loaderData.saved} />
            {/* "Next" comes first in the markup so Enter in a text field moves forward, not back. */}
            <div className="flex flex-row-reverse flex-wrap justify-between gap-3 pt-2">
              <SubmitButton name="goto" value={index === total - 1 ? "review" : "next"}>
                {index === total - 1 ? t("quiz.saveReview") : t("quiz.saveNext")} →
              </SubmitButton>
              {index > 0 ? (
                <SubmitButton name="goto" value="previous" variant="secondary">
                  ← {t("quiz.savePrevious")}
                </SubmitButton>
              ) : null}
            </div>
          </Form>
        </Card>
      )}
    </div>
  );
}
