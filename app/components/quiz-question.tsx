import type { PublicQuestion } from "~/domain/quiz-attempts.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import type { QuizResponse } from "~/learning/quiz-logic.ts";
import { Markdown } from "./markdown.tsx";

const choiceRow = "flex min-h-11 cursor-pointer items-start gap-3 rounded-md border border-slate-300 bg-white p-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50";

/** One question as native form controls: radios, checkboxes and selects work by keyboard and on phones. */
export function QuizQuestionFields({ question, saved }: { question: PublicQuestion; saved: QuizResponse | undefined }) {
  const t = useT();
  const locale = useLocale();
  const legendId = `question-${question.id}`;
  // The prompt may be several paragraphs, which a <legend> cannot hold: label the group by id instead.
  const prompt = (
    <div id={legendId} className="mb-3 text-lg font-medium">
      <Markdown>{pick(question.prompt, locale)}</Markdown>
    </div>
  );
  switch (question.kind) {
    case "single":
    case "multiple": {
      const chosen = saved && "optionId" in saved ? [saved.optionId] : saved && "optionIds" in saved ? saved.optionIds : [];
      return (
        <fieldset aria-labelledby={legendId}>
          {prompt}
          <div className="space-y-2">
            {question.options!.map((option) => (
              <label key={option.id} className={choiceRow}>
                <input type={question.kind === "single" ? "radio" : "checkbox"} name={question.kind === "single" ? "optionId" : "optionIds"} value={option.id} defaultChecked={chosen.includes(option.id)} className="mt-1 h-5 w-5 shrink-0" />
                <span>{pick(option.text, locale)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case "true_false": {
      const value = saved && "value" in saved ? saved.value : undefined;
      return (
        <fieldset aria-labelledby={legendId}>
          {prompt}
          <div className="space-y-2">
            {[true, false].map((option) => (
              <label key={String(option)} className={choiceRow}>
                <input type="radio" name="value" value={String(option)} defaultChecked={value === option} className="mt-1 h-5 w-5 shrink-0" />
                <span>{option ? t("quiz.true") : t("quiz.false")}</span>
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case "matching": {
      const pairs = saved && "pairs" in saved ? saved.pairs : {};
      return (
        <fieldset aria-labelledby={legendId}>
          {prompt}
          <div className="space-y-3">
            {question.lefts!.map((left) => (
              <div key={left.id} className="rounded-md border border-slate-300 bg-white p-3">
                <label htmlFor={`match-${left.id}`} className="block font-medium">
                  {pick(left.text, locale)}
                </label>
                <select id={`match-${left.id}`} name={`match:${left.id}`} defaultValue={pairs[left.id] ?? ""} className="mt-2 block w-full rounded-md border border-slate-400 bg-white px-3 py-2">
                  <option value="">{t("quiz.choose")}</option>
                  {question.rights!.map((right) => (
                    <option key={right.id} value={right.id}>
                      {pick(right.text, locale)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </fieldset>
      );
    }
    case "ordering": {
      const order = saved && "order" in saved ? saved.order : [];
      return (
        <fieldset aria-labelledby={legendId}>
          {prompt}
          <ol className="space-y-3">
            {question.items!.map((item) => (
              <li key={item.id} className="flex flex-wrap items-center gap-3 rounded-md border border-slate-300 bg-white p-3">
                <select aria-label={t("quiz.positionOf", { item: pick(item.text, locale) })} name={`position:${item.id}`} defaultValue={order.includes(item.id) ? String(order.indexOf(item.id) + 1) : ""} className="rounded-md border border-slate-400 bg-white px-3 py-2">
                  <option value="">{t("quiz.choose")}</option>
                  {question.items!.map((_, index) => (
                    <option key={index} value={index + 1}>
                      {index + 1}.
                    </option>
                  ))}
                </select>
                <span className="min-w-0 flex-1">{pick(item.text, locale)}</span>
              </li>
            ))}
          </ol>
        </fieldset>
      );
    }
    case "short_answer":
      return (
        <fieldset aria-labelledby={legendId}>
          {prompt}
          <label htmlFor={`text-${question.id}`} className="block text-sm font-medium">
            {t("quiz.typeAnswer")}
          </label>
          <input id={`text-${question.id}`} name="text" defaultValue={saved && "text" in saved ? saved.text : ""} autoComplete="off" maxLength={500} className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base" />
        </fieldset>
      );
  }
}
