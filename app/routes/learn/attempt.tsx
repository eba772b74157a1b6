import { useCallback, useEffect, useRef, useState } from "react";
import { data, Form, Link, redirect, useActionData, useNavigate, useSubmit } from "react-router";
import type { Route } from "./+types/attempt";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { QuizQuestionFields } from "~/components/quiz-question.tsx";
import { getQuizAttempt, submitQuizAttempt } from "~/domain/quiz-attempts.server.ts";
import { type MessageKey, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { saveAnswerFromForm } from "~/learning/answer-form.server.ts";
import type { AnswerFields, OutboxStatus, PendingAnswer } from "~/learning/answer-outbox.ts";
import { readResponse } from "~/learning/quiz-form.ts";
import type { QuizResponse } from "~/learning/quiz-logic.ts";
import { useAnswerOutbox } from "~/learning/use-answer-outbox.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { systemClock } from "~/utils/clock.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";

// One question at a time. Without JavaScript each "Save and next" posts the answer and the server
// shows the next question. With JavaScript the page holds every question of the attempt: an answer
// goes to the outbox (app/learning/answer-outbox.ts), which saves it in the background and keeps
// it on the device until the server has it, so a dropped connection neither stops the learner nor
// loses an answer; submitting waits until every answer is saved.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const view = await orErrorPage(() => getQuizAttempt({ actor: user, attemptId: params.attemptId }));
  if (view.attempt.submittedAt) throw redirect(`/learn/${params.slug}/attempt/${params.attemptId}/result`);
  const url = new URL(request.url);
  const firstUnanswered = view.questions.findIndex((q) => !view.answers[q.id]);
  const index = Math.min(Math.max(Number(url.searchParams.get("q") ?? Math.max(firstUnanswered, 0)) || 0, 0), view.questions.length - 1);
  return {
    slug: params.slug,
    attemptId: params.attemptId,
    title: view.title,
    reviewing: url.searchParams.has("review"),
    index,
    questions: view.questions,
    answers: Object.fromEntries(Object.entries(view.answers).map(([key, answer]) => [key, answer.response])) as Record<string, QuizResponse>,
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
  const saved = await orErrorPage(() => saveAnswerFromForm({ actor: user, attemptId: params.attemptId, form }));
  if (saved.kind === "closed") return redirect(`${base}/result`);
  if (saved.kind === "invalid") return data({ formError: saved.error, fieldErrors: {}, message: undefined }, { status: 400 });
  const next = nextPosition({ index: saved.index, reviewing: false }, String(form.get("goto") ?? "next"), saved.total);
  return redirect(`${base}${positionSearch(next)}`);
}

type Position = { index: number; reviewing: boolean };

/** Where "Save and next / back / review / question n" leads from a question. */
function nextPosition(from: Position, goto: string, total: number): Position {
  if (goto === "review" || (goto === "next" && from.index === total - 1)) return { index: from.index, reviewing: true };
  if (goto === "previous") return { index: Math.max(0, from.index - 1), reviewing: false };
  if (/^\d+$/.test(goto)) return { index: Math.min(Number(goto), total - 1), reviewing: false };
  return { index: Math.min(from.index + 1, total - 1), reviewing: false };
}

function positionSearch(position: Position) {
  return position.reviewing ? "?review" : `?q=${position.index}`;
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

/** What the learner is told about saving: nothing until there is something to tell. */
function savingMessage(status: OutboxStatus | null, { submitWhenSaved, savedBefore }: { submitWhenSaved: boolean; savedBefore: boolean }): MessageKey[] {
  if (!status) return [];
  const then: MessageKey[] = submitWhenSaved ? ["quiz.submitWhenSaved"] : [];
  switch (status.state) {
    case "signed-out":
      return ["quiz.signedOut"];
    case "waiting":
      return [status.offline ? "quiz.notSavedOffline" : "quiz.notSavedYet", ...then];
    case "saving":
      return submitWhenSaved ? then : ["quiz.saving"];
    case "idle":
      if (status.offline) return ["quiz.offline", ...then];
      return savedBefore ? ["quiz.allSaved"] : [];
    default:
      return [];
  }
}

/** The outbox's state as the learner reads it (announced politely by screen readers). */
function SavingStatus({ status, submitWhenSaved }: { status: OutboxStatus | null; submitWhenSaved: boolean }) {
  const t = useT();
  const savedBefore = useRef(false);
  if (status && status.pending.length > 0) savedBefore.current = true;
  const messages = savingMessage(status, { submitWhenSaved, savedBefore: savedBefore.current });
  const warn = status?.state === "waiting" || status?.state === "signed-out" || Boolean(status?.offline);
  return (
    <p role="status" aria-live="polite" data-saving={status?.state ?? "off"} className={`min-h-6 text-sm ${warn ? "rounded-md bg-amber-50 px-3 py-2 font-semibold text-amber-900" : "text-slate-600"}`}>
      {messages.map((key) => t(key)).join(" ")}
      {status?.state === "signed-out" ? (
        <>
          {" "}
          <a href={`/login?redirectTo=${encodeURIComponent(typeof window === "undefined" ? "/" : window.location.pathname)}`} className="underline">
            {t("nav.login")}
          </a>
        </>
      ) : null}
    </p>
  );
}

/** The answer the fields of an unsent save stand for (restored from the device after a reload). */
function responseOf(kind: Route.ComponentProps["loaderData"]["questions"][number]["kind"], fields: AnswerFields) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return readResponse(kind, form).response;
}

export default function Attempt({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const submit = useSubmit();
  const { questions, attemptId } = loaderData;
  const total = questions.length;
  const base = `/learn/${loaderData.slug}/attempt/${attemptId}`;
  const [position, setPosition] = useState<Position>({ index: loaderData.index, reviewing: loaderData.reviewing });
  const [answers, setAnswers] = useState(loaderData.answers);
  const [localError, setLocalError] = useState<string | undefined>();
  const [submitWhenSaved, setSubmitWhenSaved] = useState(false);
  const heading = useRef<HTMLParagraphElement>(null);
  const submitForm = useRef<HTMLFormElement>(null);

  // A server round trip (no JavaScript yet, or the countdown's reload) decides the position again;
  // answers known on this page and not yet on the server stay.
  useEffect(() => {
    setPosition({ index: loaderData.index, reviewing: loaderData.reviewing });
    setAnswers((mine) => ({ ...loaderData.answers, ...mine }));
  }, [loaderData]);

  const outbox = useAnswerOutbox({
    attemptId,
    saveUrl: `${base}/answer`,
    restored: useCallback(
      (pending: PendingAnswer[]) => {
        const restored: Record<string, QuizResponse> = {};
        for (const { questionKey, fields } of pending) {
          const question = questions.find((q) => q.id === questionKey);
          const response = question ? responseOf(question.kind, fields) : null;
          if (response) restored[questionKey] = response;
        }
        setAnswers((mine) => ({ ...mine, ...restored }));
      },
      [questions],
    ),
    onRejected: (questionKey, error) => {
      setAnswers(({ [questionKey]: _refused, ...rest }) => rest);
      setLocalError(error);
    },
    onClosed: () => navigate(`${base}/result`, { replace: true }),
  });
  const pending = outbox.status?.pending ?? [];

  // Submitting waited for the outbox: once every answer is saved, it goes.
  useEffect(() => {
    if (submitWhenSaved && outbox.status?.state === "idle" && !outbox.status.offline && submitForm.current) {
      setSubmitWhenSaved(false);
      submit(submitForm.current);
    }
  }, [submitWhenSaved, outbox.status, submit]);

  function moveTo(next: Position) {
    setPosition(next);
    setLocalError(undefined);
    // The address follows, so a reload opens the same question; React Router's own state is kept.
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${positionSearch(next)}`);
    window.requestAnimationFrame(() => heading.current?.focus());
  }

  function onAnswer(event: React.FormEvent<HTMLFormElement>) {
    if (!outbox.ready) return;
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const form = new FormData(event.currentTarget);
    const question = questions[position.index];
    const { response, error } = readResponse(question.kind, form);
    if (error) {
      setLocalError(error);
      return;
    }
    if (response) {
      setAnswers((mine) => ({ ...mine, [question.id]: response }));
      outbox.enqueue(question.id, [...form].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    }
    moveTo(nextPosition(position, submitter?.value ?? "next", total));
  }

  // Offline, the submission itself would fail: it waits for the connection as unsaved answers do.
  function onSubmitAttempt(event: React.FormEvent<HTMLFormElement>) {
    if (!outbox.ready || (pending.length === 0 && !outbox.status?.offline)) return;
    event.preventDefault();
    setSubmitWhenSaved(true);
  }

  const question = questions[position.index];
  const formError = localError ?? result?.formError;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PageHeading>{pick(loaderData.title, locale)}</PageHeading>
        {loaderData.secondsLeft !== null ? <Countdown seconds={loaderData.secondsLeft} /> : null}
      </div>
      <SavingStatus status={outbox.status} submitWhenSaved={submitWhenSaved} />
      {position.reviewing ? (
        <Card>
          <h2 className="text-lg font-semibold" ref={heading} tabIndex={-1}>
            {t("quiz.reviewTitle")}
          </h2>
          <ol className="mt-3 space-y-2">
            {questions.map((q, i) => (
              <li key={q.id} className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                <span className="min-w-0 flex-1">
                  {i + 1}. {pick(q.prompt, locale).split("\n")[0].slice(0, 120)}
                </span>
                <span className={`text-sm ${answers[q.id] ? "text-emerald-800" : "font-medium text-red-800"}`}>
                  {answers[q.id] ? (pending.includes(q.id) ? t("quiz.answeredNotSaved") : t("quiz.answered")) : t("quiz.unanswered")}
                </span>
                <Link
                  to={`?q=${i}`}
                  onClick={(event) => {
                    if (!outbox.ready) return;
                    event.preventDefault();
                    moveTo({ index: i, reviewing: false });
                  }}
                  className="text-sm text-brand-700 underline"
                  aria-label={`${t("quiz.change")} ${i + 1}`}
                >
                  {t("quiz.change")}
                </Link>
              </li>
            ))}
          </ol>
          <Form method="post" ref={submitForm} onSubmit={onSubmitAttempt} className="mt-4 space-y-3">
            <FormErrorMessage error={formError} />
            <p className="text-sm text-slate-700">{t("quiz.submitWarning")}</p>
            <input type="hidden" name="intent" value="submit" />
            <SubmitButton>{t("quiz.submit")}</SubmitButton>
          </Form>
        </Card>
      ) : (
        <Card>
          <p className="mb-3 text-sm font-medium text-slate-600" ref={heading} tabIndex={-1}>
            {t("quiz.questionOf", { number: position.index + 1, total })}
          </p>
          <Form method="post" key={question.id} onSubmit={onAnswer} className="space-y-4">
            <FormErrorMessage error={formError} />
            <input type="hidden" name="questionKey" value={question.id} />
            <QuizQuestionFields question={question} saved={answers[question.id]} />
            {/* "Next" comes first in the markup so Enter in a text field moves forward, not back. */}
            <div className="flex flex-row-reverse flex-wrap justify-between gap-3 pt-2">
              <SubmitButton name="goto" value={position.index === total - 1 ? "review" : "next"}>
                {position.index === total - 1 ? t("quiz.saveReview") : t("quiz.saveNext")} →
              </SubmitButton>
              {position.index > 0 ? (
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
