import { type CaseForm, caseField, firstWords, type NodeForm } from "~/authoring/case-form.ts";
import type { LocalisedText } from "~/content/schema.ts";
import { pick, type Translate } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";

// Fields of the case editor shared by its settings and its nodes: texts with one input per course
// locale side by side, and how nodes are named in selects and the path outline.

export const buttonStyles = "inline-flex min-h-11 items-center justify-center rounded-md border border-slate-400 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-50";
const inputStyles = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base";

/** A text in every course locale: a fieldset whose legend names it, one labelled input per locale. */
export function LocalisedInputs({ legend, hint, name, idPrefix, value, locales, onChange, multiline = false, rows = 3 }: { legend: string; hint?: string; name: string; idPrefix: string; value: LocalisedText; locales: readonly string[]; onChange: (value: LocalisedText) => void; multiline?: boolean; rows?: number }) {
  const t = useT();
  return (
    <fieldset className="min-w-0 space-y-1">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint ? <p className="text-sm text-slate-600">{hint}</p> : null}
      <div className={`grid gap-3 ${locales.length > 1 ? "md:grid-cols-2" : ""}`}>
        {locales.map((locale) => {
          const id = `${idPrefix}-${locale}`;
          const text = value[locale as keyof LocalisedText] ?? "";
          const missing = !text.trim();
          const common = {
            id,
            name: caseField.text(name, locale),
            lang: locale,
            value: text,
            "aria-describedby": missing ? `${id}-missing` : undefined,
            className: inputStyles,
            onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange({ ...value, [locale]: event.target.value }),
          };
          return (
            <div key={locale} className="min-w-0">
              <label htmlFor={id} className="text-sm text-slate-700">
                {t(`editor.locale.${locale}` as never)}
              </label>
              {multiline ? <textarea rows={rows} {...common} /> : <input type="text" {...common} />}
              {missing ? (
                <p id={`${id}-missing`} className="text-sm text-amber-800">
                  {t("editor.translationMissing")}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** How a node is named for people: its kind, its first words and its id. */
export function nodeName(node: NodeForm | undefined, id: string, locale: string, t: Translate) {
  if (!node) return id ? t("editor.case.missingNode", { id }) : t("editor.case.noNodeChosen");
  const words = firstWords(pick(node.text, locale)) || t("editor.case.noText");
  const kind = node.debrief ? t("editor.case.debriefNamed", { outcome: node.outcome ? t(`case.outcome.${node.outcome}` as never) : t("editor.case.noOutcome") }) : t("editor.case.situation");
  return `${kind}: ${words} (${id})`;
}

/** Options for a select of nodes; a value naming no node stays selectable so that nothing changes unseen. */
export function nodeOptions(form: CaseForm, current: string, locale: string, t: Translate) {
  const options = form.nodes.map((node) => ({ value: node.id, label: nodeName(node, node.id, locale, t) }));
  const known = form.nodes.some((node) => node.id === current);
  return [{ value: "", label: t("editor.case.chooseNode") }, ...(current && !known ? [{ value: current, label: t("editor.case.missingNode", { id: current }) }] : []), ...options];
}

/** `markMissing`: shows a value naming no node as invalid (a choice or start that leads nowhere). */
export function NodeSelect({ id, label, name, value, form, onChange, markMissing = true }: { id: string; label: string; name: string; value: string; form: CaseForm; onChange: (value: string) => void; markMissing?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const invalid = markMissing && !form.nodes.some((node) => node.id === value);
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={invalid || undefined} className={`${inputStyles} aria-invalid:border-red-600`}>
        {nodeOptions(form, value, locale, t).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Title, summary, learning outcomes, whether a safe ending is required, and the start node. */
export function CaseSettingsFields({ form, locales, outcomes, onChange }: { form: CaseForm; locales: readonly string[]; outcomes: Array<{ id: string; text: LocalisedText }>; onChange: (change: (form: CaseForm) => CaseForm) => void }) {
  const t = useT();
  const locale = useLocale();
  const unknown = form.outcomes.filter((id) => !outcomes.some((outcome) => outcome.id === id));
  const toggleOutcome = (id: string, checked: boolean) => onChange((f) => ({ ...f, outcomes: checked ? [...f.outcomes, id] : f.outcomes.filter((o) => o !== id) }));
  return (
    <fieldset className="min-w-0 space-y-4">
      <legend className="text-lg font-semibold">{t("editor.case.settings")}</legend>
      <p className="text-sm text-slate-600">{t("editor.case.idNote", { id: form.id })}</p>
      <LocalisedInputs legend={t("editor.case.caseTitle")} name="title" idPrefix="case-title" value={form.title} locales={locales} onChange={(title) => onChange((f) => ({ ...f, title }))} />
      <LocalisedInputs legend={t("editor.case.summary")} name="summary" idPrefix="case-summary" value={form.summary} locales={locales} multiline rows={2} onChange={(summary) => onChange((f) => ({ ...f, summary }))} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{t("editor.case.outcomes")}</legend>
        {!outcomes.length && !unknown.length ? <p className="text-sm text-slate-600">{t("editor.case.noCourseOutcomes")}</p> : null}
        <ul className="mt-1 space-y-1">
          {[...outcomes.map((outcome) => ({ id: outcome.id, label: pick(outcome.text, locale) || outcome.id })), ...unknown.map((id) => ({ id, label: t("editor.case.unknownOutcome", { id }) }))].map((outcome) => (
            <li key={outcome.id}>
              <label className="flex min-h-11 items-center gap-2">
                <input type="checkbox" name="outcomes" value={outcome.id} checked={form.outcomes.includes(outcome.id)} onChange={(event) => toggleOutcome(outcome.id, event.target.checked)} className="h-5 w-5 shrink-0" />
                <span>{outcome.label}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div>
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" name="requireSafeOutcome" checked={form.requireSafeOutcome} onChange={(event) => onChange((f) => ({ ...f, requireSafeOutcome: event.target.checked }))} aria-describedby="require-safe-hint" className="h-5 w-5 shrink-0" />
          <span>{t("editor.case.requireSafe")}</span>
        </label>
        <p id="require-safe-hint" className="text-sm text-slate-600">
          {t("editor.case.requireSafeHint")}
        </p>
      </div>
      <NodeSelect id="case-start" label={t("editor.case.start")} name="start" value={form.start} form={form} onChange={(start) => onChange((f) => ({ ...f, start }))} />
    </fieldset>
  );
}
