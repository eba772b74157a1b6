import type { Locale, LocalisedText } from "~/content/schema.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import type { FormProblem } from "./quiz-checks.ts";
import { fieldName } from "./quiz-form.ts";

// Inputs the quiz editor's forms share: a text with one input per course locale, side by side on a
// wide screen and stacked on a phone, each marked with its language and followed by what is still
// wrong with it; and the small buttons that add, move and remove rows.

/** The element id of the input named `name` (also the target of the problem summary's links). */
export const fieldId = (name: string) => `quiz-${name.replace(/[^a-z0-9]+/gi, "-")}`;

export const buttonClass = "inline-flex min-h-11 items-center justify-center rounded-md border border-slate-400 bg-white px-3 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const primaryButtonClass = "inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-70";
const inputClass = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm aria-invalid:border-red-600";

/** Turns a problem into a sentence in the page's language. */
export function useProblemText() {
  const t = useT();
  return (problem: FormProblem) => t(problem.key, { ...problem.vars, ...(problem.locale ? { language: t(`language.${problem.locale}`) } : {}) });
}

/** What is wrong with one field, tied to it by `id` (for aria-describedby). */
export function FieldProblems({ id, problems }: { id: string; problems: FormProblem[] }) {
  const text = useProblemText();
  if (!problems.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-amber-900">
      {problems.map((problem) => (
        <li key={`${problem.key}:${problem.locale ?? ""}`}>
          <span aria-hidden="true">⚠ </span>
          {text(problem)}
        </li>
      ))}
    </ul>
  );
}

export function LocalisedField({
  label,
  name,
  value,
  locales,
  onChange,
  problems,
  multiline = false,
  rows = 3,
  hint,
}: {
  label: string;
  name: string;
  value: LocalisedText;
  locales: readonly Locale[];
  onChange: (value: LocalisedText) => void;
  problems: FormProblem[];
  multiline?: boolean;
  rows?: number;
  hint?: string;
}) {
  const t = useT();
  const ui = useLocale();
  const hintId = `${fieldId(name)}-hint`;
  return (
    <fieldset className="min-w-0 space-y-1">
      <legend className="text-sm font-semibold text-slate-800">{label}</legend>
      {hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <div className={`grid gap-3 ${locales.length > 1 ? "md:grid-cols-2" : ""}`}>
        {locales.map((locale) => {
          const inputName = fieldName.text(name, locale);
          const id = fieldId(inputName);
          const own = problems.filter((problem) => problem.field === inputName);
          const describedBy = [hint ? hintId : null, own.length ? `${id}-problems` : null].filter(Boolean).join(" ") || undefined;
          const common = {
            id,
            name: inputName,
            lang: locale,
            value: value[locale] ?? "",
            "aria-describedby": describedBy,
            className: inputClass,
            maxLength: 10_000,
          };
          return (
            <div key={locale} className="min-w-0">
              <label htmlFor={id} lang={ui} className="text-sm text-slate-700">
                <span className="sr-only">{label}, </span>
                {t(`language.${locale}`)}
              </label>
              {multiline ? (
                <textarea rows={rows} {...common} onChange={(event) => onChange({ ...value, [locale]: event.target.value })} />
              ) : (
                <input type="text" {...common} onChange={(event) => onChange({ ...value, [locale]: event.target.value })} />
              )}
              <FieldProblems id={`${id}-problems`} problems={own} />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * Up, Down and Remove for one row of a list, named with the row's number for screen readers.
 * Ids let the editor return focus to the same button after the row has moved.
 */
export function RowButtons({ idPrefix, rowLabel, first, last, canRemove, onMove, onRemove }: { idPrefix: string; rowLabel: string; first: boolean; last: boolean; canRemove: boolean; onMove: (direction: "up" | "down") => void; onRemove: () => void }) {
  const t = useT();
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" id={`${idPrefix}-up`} className={buttonClass} disabled={first} onClick={() => onMove("up")}>
        {t("editor.quiz.moveUp")}
        <span className="sr-only">: {rowLabel}</span>
      </button>
      <button type="button" id={`${idPrefix}-down`} className={buttonClass} disabled={last} onClick={() => onMove("down")}>
        {t("editor.quiz.moveDown")}
        <span className="sr-only">: {rowLabel}</span>
      </button>
      <button type="button" id={`${idPrefix}-remove`} className={buttonClass} disabled={!canRemove} onClick={onRemove}>
        {t("editor.quiz.remove")}
        <span className="sr-only">: {rowLabel}</span>
      </button>
    </div>
  );
}

/** The error of a failed save, when the save failed. */
export function errorOf(result: unknown): { key: string; detail: string; field: string } | null {
  if (!result || typeof result !== "object" || !("error" in result)) return null;
  return (result as { error: { key: string; detail: string; field: string } }).error;
}
