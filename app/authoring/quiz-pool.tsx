import { useEffect, useRef, useState } from "react";
import { type FetcherWithComponents, Link, useFetcher } from "react-router";
import { SaveMessage } from "~/components/authoring.tsx";
import type { Locale, LocalisedText } from "~/content/schema.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { settingsProblems } from "./quiz-checks.ts";
import type { QuestionSummary } from "./quiz-editor.server.ts";
import { buttonClass, errorOf, FieldProblems, fieldId, LocalisedField, primaryButtonClass } from "./quiz-fields.tsx";
import { MAX_QUESTIONS, QUESTION_KINDS, type QuizSettings } from "./quiz-form.ts";

// The quiz page without a question open: its settings, and the pool as a list a phone can scroll
// (one line per question, its text, kind, outcome and what is left to fix) with Up, Down and Remove
// on every question and a form to add one. Each form saves on its own against the file's revision.

type Outcome = { id: string; text: LocalisedText };

/** `fetcher` belongs to the page, so the result of a save outlives the form starting again from it. */
export function SettingsForm({ settings, poolSize, locales, revision, fetcher }: { settings: QuizSettings; poolSize: number; locales: readonly Locale[]; revision: number; fetcher: FetcherWithComponents<unknown> }) {
  const t = useT();
  const [title, setTitle] = useState(settings.title);
  const [draw, setDraw] = useState(settings.draw === null ? "" : String(settings.draw));
  const problems = settingsProblems({ title, draw: /^\d+$/.test(draw) ? Number(draw) : null }, poolSize, locales);
  const error = errorOf(fetcher.data);
  const saving = fetcher.state !== "idle";
  const numberField = (name: "draw" | "passMark" | "attempts" | "cooldownMinutes" | "timeLimitMinutes", options: { min: number; max: number; hint?: string; value?: string; onChange?: (value: string) => void; defaultValue?: number | null }) => {
    const id = fieldId(name);
    const own = problems.filter((problem) => problem.field === name);
    const invalid = error?.field === name;
    const describedBy = [options.hint ? `${id}-hint` : null, own.length ? `${id}-problems` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div>
        <label htmlFor={id} className="block text-sm font-semibold text-slate-800">
          {t(`editor.quiz.settings.${name}`)}
        </label>
        {options.hint ? (
          <p id={`${id}-hint`} className="text-sm text-slate-600">
            {options.hint}
          </p>
        ) : null}
        <input
          id={id}
          name={name}
          type="number"
          inputMode="numeric"
          min={options.min}
          max={options.max}
          step={1}
          required={name === "draw"}
          {...(options.onChange ? { value: options.value, onChange: (event: React.ChangeEvent<HTMLInputElement>) => options.onChange?.(event.target.value) } : { defaultValue: options.defaultValue ?? "" })}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className="mt-1 block w-32 rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm aria-invalid:border-red-600"
        />
        {invalid ? (
          <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
            {t("editor.quiz.invalidNumber", { min: options.min, max: options.max })}
          </p>
        ) : null}
        <FieldProblems id={`${id}-problems`} problems={own} />
      </div>
    );
  };
  return (
    <fetcher.Form method="post" className="space-y-5" aria-labelledby="quiz-settings-heading">
      <h2 id="quiz-settings-heading" className="text-xl font-semibold">
        {t("editor.quiz.settings")}
      </h2>
      <input type="hidden" name="revision" value={revision} />
      <LocalisedField label={t("editor.quiz.settings.title")} name="title" value={title} locales={locales} onChange={setTitle} problems={problems} />
      <div className="grid gap-4 sm:grid-cols-2">
        {numberField("draw", { min: 1, max: MAX_QUESTIONS, hint: t("editor.quiz.settings.drawHint", { count: poolSize }), value: draw, onChange: setDraw })}
        {numberField("passMark", { min: 0, max: 100, hint: t("editor.quiz.settings.passMarkHint"), defaultValue: settings.passMark })}
        {numberField("attempts", { min: 0, max: 1000, hint: t("editor.quiz.settings.attemptsHint"), defaultValue: settings.attempts })}
        {numberField("cooldownMinutes", { min: 0, max: 525_600, hint: t("editor.quiz.settings.cooldownHint"), defaultValue: settings.cooldownMinutes })}
        {numberField("timeLimitMinutes", { min: 1, max: 1440, hint: t("editor.quiz.settings.timeLimitHint"), defaultValue: settings.timeLimitMinutes })}
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold text-slate-800">{t("editor.quiz.settings.review")}</legend>
        {(["after-attempt", "after-pass"] as const).map((review) => (
          <label key={review} className="flex min-h-11 items-center gap-3 text-base">
            <input type="radio" name="review" value={review} defaultChecked={settings.review === review} className="h-5 w-5" />
            {t(`editor.quiz.settings.review.${review}`)}
          </label>
        ))}
      </fieldset>
      <div className="space-y-1">
        <label className="flex min-h-11 items-center gap-3 text-base">
          <input type="checkbox" name="shuffle" defaultChecked={settings.shuffle} className="h-5 w-5" />
          {t("editor.quiz.settings.shuffle")}
        </label>
        <label className="flex min-h-11 items-center gap-3 text-base">
          <input type="checkbox" name="drawPerOutcome" defaultChecked={settings.drawPerOutcome} className="h-5 w-5" />
          {t("editor.quiz.settings.drawPerOutcome")}
        </label>
      </div>
      <SaveMessage result={fetcher.data} savedKey="editor.quiz.saved" />
      <button type="submit" name="intent" value="settings" className={primaryButtonClass} disabled={saving} aria-busy={saving || undefined}>
        {t("editor.quiz.settings.save")}
      </button>
    </fetcher.Form>
  );
}

export function QuestionPool({ questions, outcomes, revision, fetcherKey }: { questions: QuestionSummary[]; outcomes: Outcome[]; revision: number; fetcherKey: (id: string) => string }) {
  const t = useT();
  const [announcement, setAnnouncement] = useState("");
  return (
    <section aria-labelledby="quiz-pool-heading" className="space-y-4">
      <h2 id="quiz-pool-heading" className="text-xl font-semibold">
        {t("editor.quiz.pool", { count: questions.length })}
      </h2>
      <p className="text-sm text-slate-600">{t("editor.quiz.poolHint")}</p>
      {questions.length ? (
        <ol className="space-y-3">
          {questions.map((question, index) => (
            <PoolRow key={question.id || `row-${index}`} question={question} number={index + 1} count={questions.length} outcomes={outcomes} revision={revision} fetcherKey={fetcherKey(question.id)} onMoved={setAnnouncement} />
          ))}
        </ol>
      ) : (
        <p>{t("editor.quiz.poolEmpty")}</p>
      )}
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <AddQuestionForm outcomes={outcomes} defaultOutcome={questions.at(-1)?.outcome ?? outcomes[0]?.id ?? ""} revision={revision} disabled={questions.length >= MAX_QUESTIONS} />
    </section>
  );
}

function PoolRow({ question, number, count, outcomes, revision, fetcherKey, onMoved }: { question: QuestionSummary; number: number; count: number; outcomes: Outcome[]; revision: number; fetcherKey: string; onMoved: (text: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher({ key: fetcherKey });
  const pressed = useRef<string | null>(null);
  const label = t("editor.quiz.questionNumber", { number });
  const prompt = pick(question.prompt, locale).trim();
  const outcome = outcomes.find((o) => o.id === question.outcome);
  const busy = fetcher.state !== "idle";
  const error = errorOf(fetcher.data);
  const idPrefix = `quiz-pool-${question.id}`;

  useEffect(() => {
    // The row moved in the list: give focus back to the button pressed (or its twin at either end)
    // and say where the question is now.
    if (fetcher.state !== "idle" || !pressed.current) return;
    const direction = pressed.current;
    pressed.current = null;
    if (errorOf(fetcher.data)) return;
    const button = [direction, direction === "up" ? "down" : "up"].map((d) => document.getElementById(`${idPrefix}-${d}`) as HTMLButtonElement | null).find((element) => element && !element.disabled);
    button?.focus();
    onMoved(t("editor.quiz.questionMoved", { position: number }));
  }, [fetcher.state, fetcher.data, idPrefix, number, onMoved, t]);

  return (
    <li id={idPrefix} className="rounded-md border border-slate-300 bg-white p-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
          <p className="font-medium">
            <span className="text-slate-600">{number}. </span>
            {question.id ? (
              <Link to={`?question=${encodeURIComponent(question.id)}`} className="break-words text-brand-700 underline">
                {prompt || t("editor.quiz.noPrompt")}
                <span className="sr-only"> ({t("editor.quiz.edit")})</span>
              </Link>
            ) : (
              <span>{prompt || t("editor.quiz.noPrompt")}</span>
            )}
          </p>
          <p className="text-sm text-slate-600">
            {question.kind ? t(`analysis.kind.${question.kind}`) : t("editor.quiz.check.unknownKind")} · {outcome ? pick(outcome.text, locale) || outcome.id : question.outcome || t("editor.quiz.noOutcome")}
            {question.problems ? <span className="ml-1 font-medium text-amber-900">· {t("editor.quiz.toFix", { count: question.problems })}</span> : null}
          </p>
        </div>
        {question.id ? (
          <fetcher.Form method="post" className="flex flex-wrap gap-2">
            <input type="hidden" name="revision" value={revision} />
            <input type="hidden" name="question" value={question.id} />
            {(["up", "down"] as const).map((direction) => (
              <button key={direction} type="submit" name="intent" value={`move-${direction}`} id={`${idPrefix}-${direction}`} disabled={busy || (direction === "up" ? number === 1 : number === count)} onClick={() => (pressed.current = direction)} className={buttonClass}>
                {t(direction === "up" ? "editor.quiz.moveUp" : "editor.quiz.moveDown")}
                <span className="sr-only">: {label}</span>
              </button>
            ))}
            <button
              type="submit"
              name="intent"
              value="remove-question"
              disabled={busy}
              onClick={(event) => {
                if (!window.confirm(t("editor.quiz.removeConfirm", { number }))) event.preventDefault();
              }}
              className={buttonClass}
            >
              {t("editor.quiz.remove")}
              <span className="sr-only">: {label}</span>
            </button>
          </fetcher.Form>
        ) : null}
      </div>
      {error ? (
        <div className="mt-2">
          <SaveMessage result={fetcher.data} />
        </div>
      ) : null}
    </li>
  );
}

function AddQuestionForm({ outcomes, defaultOutcome, revision, disabled }: { outcomes: Outcome[]; defaultOutcome: string; revision: number; disabled: boolean }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher({ key: "quiz-add-question" });
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" className="space-y-3 rounded-md border border-slate-300 bg-slate-50 p-3" aria-labelledby="quiz-add-heading">
      <h3 id="quiz-add-heading" className="font-semibold">
        {t("editor.quiz.addQuestion")}
      </h3>
      <input type="hidden" name="revision" value={revision} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="quiz-add-kind" className="block text-sm font-semibold text-slate-800">
            {t("editor.quiz.kind")}
          </label>
          <select id="quiz-add-kind" name="kind" defaultValue="single" className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`analysis.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="quiz-add-outcome" className="block text-sm font-semibold text-slate-800">
            {t("editor.quiz.outcome")}
          </label>
          <select id="quiz-add-outcome" name="outcome" defaultValue={defaultOutcome} className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
            {outcomes.map((outcome) => (
              <option key={outcome.id} value={outcome.id}>
                {pick(outcome.text, locale) || outcome.id}
              </option>
            ))}
          </select>
        </div>
      </div>
      <SaveMessage result={errorOf(fetcher.data) ? fetcher.data : null} />
      <button type="submit" name="intent" value="add-question" disabled={busy || disabled} className={primaryButtonClass}>
        {t("editor.quiz.addQuestionButton")}
      </button>
      {disabled ? <p className="text-sm text-slate-600">{t("editor.quiz.tooManyQuestions", { detail: MAX_QUESTIONS })}</p> : null}
    </fetcher.Form>
  );
}

/** Removes the open question; the page then returns to the list. */
export function RemoveQuestionForm({ questionId, number, revision, fetcherKey }: { questionId: string; number: number; revision: number; fetcherKey: string }) {
  const t = useT();
  const fetcher = useFetcher({ key: fetcherKey });
  return (
    <fetcher.Form method="post" className="space-y-2 border-t border-slate-200 pt-4">
      <input type="hidden" name="revision" value={revision} />
      <input type="hidden" name="question" value={questionId} />
      <input type="hidden" name="from" value="question" />
      <SaveMessage result={errorOf(fetcher.data) ? fetcher.data : null} />
      <button
        type="submit"
        name="intent"
        value="remove-question"
        disabled={fetcher.state !== "idle"}
        onClick={(event) => {
          if (!window.confirm(t("editor.quiz.removeConfirm", { number }))) event.preventDefault();
        }}
        className={`${buttonClass} border-red-700 text-red-800`}
      >
        {t("editor.quiz.removeQuestion")}
      </button>
    </fetcher.Form>
  );
}
