import { useEffect, useRef, useState } from "react";
import { type FetcherWithComponents, useLocation } from "react-router";
import { SaveMessage } from "~/components/authoring.tsx";
import type { Locale, LocalisedText } from "~/content/schema.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { type FormProblem, questionProblems } from "./quiz-checks.ts";
import { buttonClass, errorOf, FieldProblems, fieldId, LocalisedField, primaryButtonClass, RowButtons, useProblemText } from "./quiz-fields.tsx";
import { fieldName, type ItemDraft, MAX_PARTS, type OptionDraft, type PairDraft, type QuestionDraft } from "./quiz-form.ts";

// One question of the pool, edited on its own page. Rows (options, pairs, items) are added, moved
// and removed in the page and sent with Save; new rows have no id until the server gives them one.
// The checks run on every change and are shown next to the field they concern.

type Keyed<T> = T & { key: string };
type ListName = "options" | "pairs" | "items";
type EditorState = Omit<QuestionDraft, ListName | "accept"> & { options: Keyed<OptionDraft>[]; pairs: Keyed<PairDraft>[]; items: Keyed<ItemDraft>[]; accept: Partial<Record<Locale, string>> };

let nextKey = 1;
const keyed = <T extends { id: string }>(rows: T[]): Keyed<T>[] => rows.map((row) => ({ ...row, key: row.id || `new-${nextKey++}` }));

function initialState(question: QuestionDraft): EditorState {
  return {
    ...question,
    options: keyed(question.options),
    pairs: keyed(question.pairs),
    items: keyed(question.items),
    accept: Object.fromEntries(Object.entries(question.accept).map(([locale, answers]) => [locale, (answers ?? []).join("\n")])),
  };
}

/** The state as the checks see it: accepted answers as lists, as the server will read them. */
function asDraft(state: EditorState): QuestionDraft {
  const accept = Object.fromEntries(Object.entries(state.accept).map(([locale, lines]) => [locale, (lines ?? "").split("\n").map((line) => line.trim()).filter(Boolean)]));
  return { ...state, accept };
}

/**
 * `fetcher` belongs to the page, which stays mounted when this form starts again from a saved
 * question, so the result of the save is still shown.
 */
export function QuestionEditor({ question, number, count, locales, outcomes, revision, fetcher }: { question: QuestionDraft; number: number; count: number; locales: readonly Locale[]; outcomes: Array<{ id: string; text: LocalisedText }>; revision: number; fetcher: FetcherWithComponents<unknown> }) {
  const t = useT();
  const locale = useLocale();
  const problemText = useProblemText();
  const location = useLocation();
  const [state, setState] = useState(() => initialState(question));
  const [announcement, setAnnouncement] = useState("");
  const focusAfterRender = useRef<string[] | null>(null);
  const problems = questionProblems(asDraft(state), locales, outcomes.map((outcome) => outcome.id));
  const error = errorOf(fetcher.data);
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    // After a row is added, moved or removed, focus goes where the trainer expects it; a moved row's
    // button may now be disabled (top or bottom), so the other direction is the fallback.
    if (!focusAfterRender.current) return;
    for (const id of focusAfterRender.current) {
      const element = document.getElementById(id) as HTMLButtonElement | HTMLInputElement | null;
      if (element && !element.disabled) {
        element.focus();
        break;
      }
    }
    focusAfterRender.current = null;
  });

  const rowLabel = (list: ListName, index: number) => t(`editor.quiz.row.${list}`, { number: index + 1 });
  const set = <K extends keyof EditorState>(key: K, value: EditorState[K]) => setState((current) => ({ ...current, [key]: value }));
  const setRow = <L extends ListName>(list: L, index: number, change: Partial<EditorState[L][number]>) =>
    setState((current) => ({ ...current, [list]: (current[list] as Array<EditorState[L][number]>).map((row, i) => (i === index ? { ...row, ...change } : row)) }));
  const addRow = (list: ListName) => {
    const empty = () => Object.fromEntries(locales.map((l) => [l, ""])) as LocalisedText;
    const row = { id: "", key: `new-${nextKey++}`, ...(list === "options" ? { text: empty(), correct: false, feedback: {} } : list === "pairs" ? { left: empty(), right: empty() } : { text: empty() }) };
    const index = state[list].length;
    setState((current) => ({ ...current, [list]: [...current[list], row] }));
    focusAfterRender.current = [fieldId(fieldName.text(fieldName.part(list, index, list === "pairs" ? "left" : "text"), locales[0] ?? "sl"))];
    setAnnouncement(t("editor.quiz.rowAdded", { row: rowLabel(list, index) }));
  };
  const moveRow = (list: ListName, index: number, direction: "up" | "down") => {
    const target = direction === "up" ? index - 1 : index + 1;
    const rows = [...state[list]];
    if (target < 0 || target >= rows.length) return;
    const moved = rows[index];
    [rows[index], rows[target]] = [rows[target], moved];
    setState((current) => ({ ...current, [list]: rows }));
    focusAfterRender.current = [`quiz-row-${moved.key}-${direction}`, `quiz-row-${moved.key}-${direction === "up" ? "down" : "up"}`];
    setAnnouncement(t("editor.quiz.rowMoved", { row: rowLabel(list, index), position: target + 1 }));
  };
  const removeRow = (list: ListName, index: number) => {
    setState((current) => ({ ...current, [list]: current[list].filter((_, i) => i !== index) }));
    focusAfterRender.current = [`quiz-add-${list}`];
    setAnnouncement(t("editor.quiz.rowRemoved", { row: rowLabel(list, index) }));
  };
  const listProblems = (list: string) => problems.filter((problem) => problem.field === list);
  const rows = <L extends ListName>(list: L, render: (row: EditorState[L][number], index: number) => React.ReactNode, hint?: string) => {
    const own = listProblems(list);
    return (
      <fieldset id={fieldId(list)} className="min-w-0 space-y-3" aria-describedby={[hint ? `${fieldId(list)}-hint` : null, own.length ? `${fieldId(list)}-problems` : null].filter(Boolean).join(" ") || undefined}>
        <legend className="text-base font-semibold text-slate-900">{t(`editor.quiz.list.${list}`)}</legend>
        {hint ? (
          <p id={`${fieldId(list)}-hint`} className="text-sm text-slate-600">
            {hint}
          </p>
        ) : null}
        <FieldProblems id={`${fieldId(list)}-problems`} problems={own} />
        <ol className="space-y-3">
          {(state[list] as Array<EditorState[L][number]>).map((row, index) => (
            <li key={row.key}>
              <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-300 p-3">
                <legend className="px-1 text-sm font-semibold text-slate-800">{rowLabel(list, index)}</legend>
                <input type="hidden" name={fieldName.part(list, index, "id")} value={row.id} />
                {render(row, index)}
                <RowButtons idPrefix={`quiz-row-${row.key}`} rowLabel={rowLabel(list, index)} first={index === 0} last={index === state[list].length - 1} canRemove onMove={(direction) => moveRow(list, index, direction)} onRemove={() => removeRow(list, index)} />
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" id={`quiz-add-${list}`} className={buttonClass} disabled={state[list].length >= MAX_PARTS} onClick={() => addRow(list)}>
          {t(`editor.quiz.add.${list}`)}
        </button>
      </fieldset>
    );
  };

  const kindFields = () => {
    switch (state.kind) {
      case "single":
      case "multiple":
        return rows("options", (option, index) => (
          <>
            <LocalisedField label={t("editor.quiz.optionText")} name={fieldName.part("options", index, "text")} value={option.text} locales={locales} onChange={(text) => setRow("options", index, { text })} problems={problems} />
            <label className="flex min-h-11 items-center gap-3 text-base">
              {state.kind === "single" ? (
                <input type="radio" name="correct" value={index} checked={option.correct} onChange={() => setState((current) => ({ ...current, options: current.options.map((other, i) => ({ ...other, correct: i === index })) }))} className="h-5 w-5" />
              ) : (
                <input type="checkbox" name={fieldName.part("options", index, "correct")} checked={option.correct} onChange={(event) => setRow("options", index, { correct: event.target.checked })} className="h-5 w-5" />
              )}
              {t("editor.quiz.correct")}
            </label>
            <LocalisedField label={t("editor.quiz.optionFeedback")} hint={t("editor.quiz.optionFeedbackHint")} name={fieldName.part("options", index, "feedback")} value={option.feedback} locales={locales} onChange={(feedback) => setRow("options", index, { feedback })} problems={problems} multiline rows={2} />
          </>
        ));
      case "true_false":
        return (
          <>
            <fieldset className="space-y-1">
              <legend className="text-base font-semibold text-slate-900">{t("editor.quiz.answer")}</legend>
              <div className="flex flex-wrap gap-4">
                {[true, false].map((answer) => (
                  <label key={String(answer)} className="flex min-h-11 items-center gap-3 text-base">
                    <input type="radio" name="answer" value={String(answer)} checked={state.answer === answer} onChange={() => set("answer", answer)} className="h-5 w-5" />
                    {t(answer ? "quiz.true" : "quiz.false")}
                  </label>
                ))}
              </div>
            </fieldset>
            {(["true", "false"] as const).map((answer) => (
              <LocalisedField key={answer} label={t(`editor.quiz.feedback.${answer}`)} hint={t("editor.quiz.optionFeedbackHint")} name={`feedback.${answer}`} value={state.feedback[answer]} locales={locales} onChange={(text) => set("feedback", { ...state.feedback, [answer]: text })} problems={problems} multiline rows={2} />
            ))}
          </>
        );
      case "matching":
        return rows(
          "pairs",
          (pair, index) => (
            <>
              <LocalisedField label={t("editor.quiz.pairLeft")} name={fieldName.part("pairs", index, "left")} value={pair.left} locales={locales} onChange={(left) => setRow("pairs", index, { left })} problems={problems} />
              <LocalisedField label={t("editor.quiz.pairRight")} name={fieldName.part("pairs", index, "right")} value={pair.right} locales={locales} onChange={(right) => setRow("pairs", index, { right })} problems={problems} />
            </>
          ),
          t("editor.quiz.pairsHint"),
        );
      case "ordering":
        return rows("items", (item, index) => <LocalisedField label={t("editor.quiz.itemText")} name={fieldName.part("items", index, "text")} value={item.text} locales={locales} onChange={(text) => setRow("items", index, { text })} problems={problems} />, t("editor.quiz.itemsHint"));
      case "short_answer":
        return (
          <>
            <fieldset className="min-w-0 space-y-1">
              <legend className="text-base font-semibold text-slate-900">{t("editor.quiz.accept")}</legend>
              <p id="quiz-accept-hint" className="text-sm text-slate-600">
                {t("editor.quiz.acceptHint")}
              </p>
              <div className={`grid gap-3 ${locales.length > 1 ? "md:grid-cols-2" : ""}`}>
                {locales.map((l) => {
                  const name = fieldName.text("accept", l);
                  const own = problems.filter((problem) => problem.field === name);
                  return (
                    <div key={l} className="min-w-0">
                      <label htmlFor={fieldId(name)} className="text-sm text-slate-700">
                        <span className="sr-only">{t("editor.quiz.accept")}, </span>
                        {t(`language.${l}`)}
                      </label>
                      <textarea id={fieldId(name)} name={name} lang={l} rows={4} value={state.accept[l] ?? ""} onChange={(event) => set("accept", { ...state.accept, [l]: event.target.value })} aria-describedby={["quiz-accept-hint", own.length ? `${fieldId(name)}-problems` : null].filter(Boolean).join(" ")} className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm" />
                      <FieldProblems id={`${fieldId(name)}-problems`} problems={own} />
                    </div>
                  );
                })}
              </div>
            </fieldset>
            <label className="flex min-h-11 items-center gap-3 text-base">
              <input type="checkbox" name="ignoreDiacritics" checked={state.ignoreDiacritics} onChange={(event) => set("ignoreDiacritics", event.target.checked)} className="h-5 w-5" />
              {t("editor.quiz.ignoreDiacritics")}
            </label>
          </>
        );
      default:
        return null;
    }
  };

  const outcomeProblems = problems.filter((problem) => problem.field === "outcome");
  const knownOutcome = outcomes.some((outcome) => outcome.id === state.outcome);
  const saveButton = (
    <button type="submit" name="intent" value="save-question" className={primaryButtonClass} disabled={saving} aria-busy={saving || undefined}>
      {t("editor.quiz.saveQuestion")}
    </button>
  );
  return (
    <fetcher.Form method="post" className="space-y-6" aria-labelledby="quiz-question-heading">
      <h2 id="quiz-question-heading" tabIndex={-1} className="text-xl font-semibold outline-none">
        {t("editor.quiz.questionHeading", { number, count, kind: state.kind ? t(`analysis.kind.${state.kind}`) : "?" })}
      </h2>
      <input type="hidden" name="revision" value={revision} />
      <input type="hidden" name="question" value={state.id} />
      <p className="text-sm text-slate-600">{t("editor.quiz.questionId", { id: state.id })}</p>
      <ProblemSummary problems={problems} text={problemText} />
      <LocalisedField label={t("editor.quiz.prompt")} hint={t("editor.quiz.markdownHint")} name="prompt" value={state.prompt} locales={locales} onChange={(prompt) => set("prompt", prompt)} problems={problems} multiline rows={3} />
      {kindFields()}
      <LocalisedField label={t("editor.quiz.explanation")} hint={t("editor.quiz.explanationHint")} name="explanation" value={state.explanation} locales={locales} onChange={(explanation) => set("explanation", explanation)} problems={problems} multiline rows={3} />
      <div>
        <label htmlFor={fieldId("outcome")} className="block text-sm font-semibold text-slate-800">
          {t("editor.quiz.outcome")}
        </label>
        <select id={fieldId("outcome")} name="outcome" value={state.outcome} onChange={(event) => set("outcome", event.target.value)} aria-describedby={outcomeProblems.length ? `${fieldId("outcome")}-problems` : undefined} className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
          {!state.outcome ? <option value="">{t("editor.quiz.chooseOutcome")}</option> : null}
          {state.outcome && !knownOutcome ? <option value={state.outcome}>{t("editor.quiz.unknownOutcome", { outcome: state.outcome })}</option> : null}
          {outcomes.map((outcome) => (
            <option key={outcome.id} value={outcome.id}>
              {pick(outcome.text, locale) || outcome.id}
            </option>
          ))}
        </select>
        <FieldProblems id={`${fieldId("outcome")}-problems`} problems={outcomeProblems} />
      </div>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <div className="sticky bottom-0 -mx-4 space-y-2 border-t border-slate-200 bg-white/95 px-4 py-3 sm:mx-0 sm:rounded-md">
        <SaveMessage result={fetcher.data} savedKey="editor.quiz.saved" />
        {error?.key === "authoring.draft.conflict" ? (
          <p className="text-sm">
            <a href={`${location.pathname}${location.search}`} className="text-brand-700 underline">
              {t("editor.quiz.reload")}
            </a>
          </p>
        ) : null}
        {saveButton}
      </div>
    </fetcher.Form>
  );
}

/** Everything the checks found, each linking to its field: the list a trainer works through. */
function ProblemSummary({ problems, text }: { problems: FormProblem[]; text: (problem: FormProblem) => string }) {
  const t = useT();
  if (!problems.length) return <p className="text-sm text-emerald-800">{t("editor.quiz.check.none")}</p>;
  // `options.1.text.en` → "Option 2, text"; the message itself names the language.
  const where = (field: string) => {
    const [first, second, third] = field.split(".");
    if ((first === "options" || first === "pairs" || first === "items") && second !== undefined) return `${t(`editor.quiz.row.${first}`, { number: Number(second) + 1 })}, ${t(`editor.quiz.part.${third}`)}`;
    if (first === "feedback") return t(`editor.quiz.feedback.${second}`);
    return t(`editor.quiz.field.${first}`);
  };
  return (
    <section aria-labelledby="quiz-question-problems" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <h3 id="quiz-question-problems" className="font-semibold text-amber-900">
        {t("editor.quiz.check.summary", { count: problems.length })}
      </h3>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {problems.map((problem) => (
          <li key={`${problem.field}:${problem.key}`}>
            <a
              href={`#${fieldId(problem.field)}`}
              onClick={(event) => {
                // Following the link should put the caret in the field, not only scroll to it.
                const target = document.getElementById(fieldId(problem.field));
                if (!target) return;
                event.preventDefault();
                target.scrollIntoView({ block: "center" });
                (target.matches("fieldset") ? target.querySelector<HTMLElement>("input, textarea, select, button") : target)?.focus();
              }}
              className="text-brand-700 underline"
            >
              {where(problem.field)}: {text(problem)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
