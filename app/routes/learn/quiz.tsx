import { Form, redirect, useActionData } from "react-router";
import type { Route } from "./+types/quiz";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { getQuizOverview, startQuizAttempt } from "~/domain/quiz-attempts.server.ts";
import { formatDateTime, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const overview = await orErrorPage(() => getQuizOverview({ actor: user, slug: params.slug, itemKey: params.itemKey }));
  return { slug: params.slug, ...overview };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const result = await orFormError(() => startQuizAttempt({ actor: user, slug: params.slug, itemKey: params.itemKey }));
  if (!result.ok) return result.response;
  return redirect(`/learn/${params.slug}/attempt/${result.value.attemptId}`);
}

export default function QuizIntro({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { slug } = loaderData;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeading>{pick(loaderData.title, locale)}</PageHeading>
      <Card>
        <ul className="space-y-1">
          <li>{t("quiz.questionsDrawn", { count: loaderData.draw })}</li>
          <li>{t("quiz.passMark", { passMark: loaderData.passMark })}</li>
          <li>{loaderData.timeLimitMinutes ? t("quiz.timeLimit", { minutes: loaderData.timeLimitMinutes }) : t("quiz.noTimeLimit")}</li>
          <li>{loaderData.attemptsLeft === null ? t("quiz.unlimitedAttempts") : t("quiz.attemptsLeft", { count: loaderData.attemptsLeft })}</li>
        </ul>
        <div className="mt-4">
          {loaderData.passed ? (
            <p className="font-medium text-emerald-800">{t("quiz.alreadyPassed")}</p>
          ) : (
            <Form method="post" className="space-y-3">
              <FormErrorMessage error={result?.formError} />
              {loaderData.nextAttemptAt ? <p>{t("quiz.nextAttemptAt", { time: formatDateTime(loaderData.nextAttemptAt, locale) })}</p> : null}
              <SubmitButton>{loaderData.openAttempt ? t("quiz.resume") : t("quiz.start")}</SubmitButton>
            </Form>
          )}
        </div>
      </Card>
      {loaderData.attempts.some((a) => a.submittedAt) ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("quiz.previousAttempts")}</h2>
          <ul className="mt-2 space-y-1">
            {loaderData.attempts
              .filter((a) => a.submittedAt)
              .map((attempt) => (
                <li key={attempt.id}>
                  <a href={`/learn/${slug}/attempt/${attempt.id}/result`} className="text-brand-700 underline">
                    {t("quiz.attemptRow", { number: attempt.number, score: attempt.score ?? 0, result: attempt.passed ? t("quiz.passed") : t("quiz.failed") })}
                  </a>{" "}
                  <span className="text-sm text-slate-600">{formatDateTime(attempt.submittedAt!, locale)}</span>
                </li>
              ))}
          </ul>
        </Card>
      ) : null}
      <LinkButton to={`/learn/${slug}`} variant="secondary">
        {t("learn.backToCourse")}
      </LinkButton>
    </div>
  );
}
