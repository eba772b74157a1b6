import { useState } from "react";
import { addChoice, addIndicator, type CaseForm, caseField, DEBRIEF_OUTCOMES, firstWords, incomingChoices, moveChoice, type NodeForm, type NodeRemoval, removeChoice, removeIndicator, removeNode, updateNode } from "~/authoring/case-form.ts";
import type { Locale } from "~/content/schema.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { buttonStyles, LocalisedInputs, NodeSelect, nodeName } from "./case-editor-fields.tsx";

// One node of a branching case, in a disclosure of its own: the situation and its choices, or the
// debrief with its outcome, indicators and better choices. Changes stay in the page until saved.

export type EditorContext = {
  form: CaseForm;
  locales: readonly Locale[];
  usedIds: readonly string[];
  /** Applies a change to the whole form. */
  edit: (change: (form: CaseForm) => CaseForm) => void;
  /** Moves keyboard focus to an element once the change is on the page, and says what happened. */
  focus: (elementId: string, announcement?: string) => void;
};

export type NodeFlags = { start: boolean; unreachable: boolean; deadEnd: boolean };

export function NodeEditor({ node, index, flags, open, onToggle, context }: { node: NodeForm; index: number; flags: NodeFlags; open: boolean; onToggle: (open: boolean) => void; context: EditorContext }) {
  const t = useT();
  const locale = useLocale();
  const { form, locales, edit, focus } = context;
  const [removal, setRemoval] = useState<Exclude<NodeRemoval, { form: CaseForm }> | null>(null);
  const prefix = `node-${node.id}`;
  const name = nodeName(node, node.id, locale, t);
  const incoming = incomingChoices(form, node.id).filter((choice) => choice.node !== node.id);
  const set = (change: Partial<NodeForm>) => edit((f) => updateNode(f, node.id, (n) => ({ ...n, ...change })));

  const remove = (repointTo?: string) => {
    const result = removeNode(form, node.id, repointTo);
    if ("form" in result) {
      edit(() => result.form);
      focus("case-nodes", t("editor.case.nodeRemoved", { node: name }));
    } else {
      setRemoval(result);
      focus(`${prefix}-removal`);
    }
  };

  return (
    <details id={prefix} open={open} onToggle={(event) => onToggle(event.currentTarget.open)} className="rounded-lg border border-slate-300 bg-white shadow-sm open:border-slate-400">
      <summary className="flex min-h-11 cursor-pointer flex-wrap items-center gap-x-2 gap-y-1 p-3 font-medium">
        <span aria-hidden="true" className="text-slate-500">
          {open ? "▾" : "▸"}
        </span>
        <span className="min-w-0 break-words">{name}</span>
        {flags.start ? <span className="rounded bg-brand-100 px-2 text-sm text-brand-800">{t("editor.case.startBadge")}</span> : null}
        {flags.unreachable ? <span className="rounded bg-amber-100 px-2 text-sm text-amber-900">{t("editor.case.unreachableBadge")}</span> : null}
        {flags.deadEnd ? <span className="rounded bg-red-100 px-2 text-sm text-red-900">{t("editor.case.deadEndBadge")}</span> : null}
      </summary>
      <div className="space-y-4 border-t border-slate-200 p-3 sm:p-4">
        <input type="hidden" name={caseField.node(index, "id")} value={node.id} />
        <input type="hidden" name={caseField.node(index, "debrief")} value={String(node.debrief)} />
        <LocalisedInputs
          legend={node.debrief ? t("editor.case.debriefText") : t("editor.case.situationText")}
          hint={t("editor.case.markdownHint")}
          name={caseField.node(index, "text")}
          idPrefix={`${prefix}-text`}
          value={node.text}
          locales={locales}
          multiline
          rows={5}
          onChange={(text) => set({ text })}
        />
        {node.debrief ? <DebriefFields node={node} index={index} context={context} /> : <ChoiceList node={node} index={index} context={context} />}
        <p className="text-sm text-slate-700">
          {incoming.length
            ? t("editor.case.reachedFrom", { choices: incoming.map((choice) => t("editor.case.quoted", { text: firstWords(pick(choice.text, locale), 80) || choice.choice })).join(", ") })
            : flags.start
              ? t("editor.case.isStart")
              : t("editor.case.nothingLeadsHere")}
        </p>
        <div className="space-y-3 border-t border-slate-200 pt-3">
          <button type="button" className={buttonStyles} onClick={() => remove()}>
            {t("editor.case.removeNode")}
          </button>
          {removal ? (
            <div id={`${prefix}-removal`} tabIndex={-1} role="alert" className="space-y-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
              {removal.refused === "start" ? (
                <p>{t("editor.case.cannotRemoveStart")}</p>
              ) : (
                <RepointChoices nodeId={node.id} incoming={removal.incoming} context={context} onRepoint={(target) => remove(target)} onCancel={() => setRemoval(null)} />
              )}
            </div>
          ) : null}
        </div>
      </div>
    </details>
  );
}

function RepointChoices({ nodeId, incoming, context, onRepoint, onCancel }: { nodeId: string; incoming: Array<{ node: string; choice: string; text: Record<string, string | undefined> }>; context: EditorContext; onRepoint: (target: string) => void; onCancel: () => void }) {
  const t = useT();
  const locale = useLocale();
  const others = { ...context.form, nodes: context.form.nodes.filter((node) => node.id !== nodeId) };
  const [target, setTarget] = useState("");
  return (
    <>
      <p>{t("editor.case.cannotRemoveLinked")}</p>
      <ul className="list-disc space-y-1 pl-5">
        {incoming.map((choice) => {
          const from = context.form.nodes.find((node) => node.id === choice.node);
          return <li key={choice.choice}>{t("editor.case.choiceIn", { choice: firstWords(pick(choice.text, locale), 80) || choice.choice, node: nodeName(from, choice.node, locale, t) })}</li>;
        })}
      </ul>
      {/* Not a form field: this select only says where the choices should lead instead. */}
      <NodeSelect id={`node-${nodeId}-repoint`} label={t("editor.case.repointTo")} name="" value={target} form={others} onChange={setTarget} markMissing={false} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonStyles} disabled={!target} onClick={() => onRepoint(target)}>
          {t("editor.case.repointAndRemove")}
        </button>
        <button type="button" className={buttonStyles} onClick={onCancel}>
          {t("editor.case.keepNode")}
        </button>
      </div>
    </>
  );
}

function ChoiceList({ node, index, context }: { node: NodeForm; index: number; context: EditorContext }) {
  const t = useT();
  const { form, locales, usedIds, edit, focus } = context;
  const prefix = `node-${node.id}`;
  const move = (position: number, direction: "up" | "down") => {
    const choice = node.choices[position];
    if (!choice) return;
    const target = direction === "up" ? position - 1 : position + 1;
    edit((f) => moveChoice(f, node.id, position, direction));
    // Focus stays on the moved choice's button, or its other one at the top or bottom of the list.
    const stays = direction === "up" ? target > 0 : target < node.choices.length - 1;
    focus(`choice-${choice.id}-${stays ? direction : direction === "up" ? "down" : "up"}`, t("editor.case.choiceMoved", { n: target + 1 }));
  };
  return (
    <fieldset className="min-w-0 space-y-3">
      <legend className="text-base font-semibold">{t("editor.case.choices")}</legend>
      {node.choices.length ? null : <p className="text-sm text-amber-900">{t("editor.case.noChoices")}</p>}
      <ol className="space-y-3">
        {node.choices.map((choice, position) => {
          const choicePrefix = `choice-${choice.id}`;
          const setChoice = (change: Partial<typeof choice>) => edit((f) => updateNode(f, node.id, (n) => ({ ...n, choices: n.choices.map((c) => (c.id === choice.id ? { ...c, ...change } : c)) })));
          return (
            <li key={choice.id}>
              <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-200 p-3">
                <legend className="px-1 text-sm font-semibold">{t("editor.case.choiceN", { n: position + 1, count: node.choices.length })}</legend>
                <input type="hidden" name={caseField.choice(index, position, "id")} value={choice.id} />
                <LocalisedInputs legend={t("editor.case.choiceText")} name={caseField.choice(index, position, "text")} idPrefix={`${choicePrefix}-text`} value={choice.text} locales={locales} onChange={(text) => setChoice({ text })} />
                <LocalisedInputs legend={t("editor.case.consequence")} name={caseField.choice(index, position, "consequence")} idPrefix={`${choicePrefix}-consequence`} value={choice.consequence} locales={locales} multiline rows={2} onChange={(consequence) => setChoice({ consequence })} />
                <NodeSelect id={`${choicePrefix}-next`} label={t("editor.case.next")} name={caseField.choice(index, position, "next")} value={choice.next} form={form} onChange={(next) => setChoice({ next })} />
                <div className="flex flex-wrap gap-2">
                  <button type="button" id={`${choicePrefix}-up`} className={buttonStyles} disabled={position === 0} onClick={() => move(position, "up")}>
                    {t("editor.case.moveUp")}
                  </button>
                  <button type="button" id={`${choicePrefix}-down`} className={buttonStyles} disabled={position === node.choices.length - 1} onClick={() => move(position, "down")}>
                    {t("editor.case.moveDown")}
                  </button>
                  <button
                    type="button"
                    className={buttonStyles}
                    onClick={() => {
                      edit((f) => removeChoice(f, node.id, position));
                      focus(`${prefix}-add-choice`, t("editor.case.choiceRemoved", { n: position + 1 }));
                    }}
                  >
                    {t("editor.case.removeChoice")}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        id={`${prefix}-add-choice`}
        className={buttonStyles}
        onClick={() => {
          const added = addChoice(form, node.id, usedIds, locales);
          edit(() => added.form);
          focus(`choice-${added.id}-text-${locales[0]}`);
        }}
      >
        {t("editor.case.addChoice")}
      </button>
    </fieldset>
  );
}

function DebriefFields({ node, index, context }: { node: NodeForm; index: number; context: EditorContext }) {
  const t = useT();
  const { locales, edit, focus } = context;
  const prefix = `node-${node.id}`;
  const set = (change: Partial<NodeForm>) => edit((f) => updateNode(f, node.id, (n) => ({ ...n, ...change })));
  return (
    <>
      <fieldset aria-describedby={node.outcome ? undefined : `${prefix}-outcome-missing`}>
        <legend className="text-sm font-medium text-slate-800">{t("editor.case.outcome")}</legend>
        <div className="mt-1 flex flex-wrap gap-x-4">
          {DEBRIEF_OUTCOMES.map((outcome) => (
            <label key={outcome} className="flex min-h-11 items-center gap-2">
              <input type="radio" name={caseField.node(index, "outcome")} value={outcome} checked={node.outcome === outcome} onChange={() => set({ outcome })} className="h-5 w-5" />
              {t(`case.outcome.${outcome}` as never)}
            </label>
          ))}
        </div>
        {node.outcome ? null : (
          <p id={`${prefix}-outcome-missing`} className="text-sm text-amber-900">
            {t("editor.case.outcomeMissing")}
          </p>
        )}
      </fieldset>
      <fieldset className="min-w-0 space-y-3">
        <legend className="text-sm font-medium text-slate-800">{t("editor.case.indicators")}</legend>
        <p className="text-sm text-slate-600">{t("editor.case.indicatorsHint")}</p>
        <ol className="space-y-3">
          {node.indicators.map((indicator, position) => (
            <li key={position} className="space-y-2 rounded-md border border-slate-200 p-3">
              <LocalisedInputs
                legend={t("editor.case.indicatorN", { n: position + 1 })}
                name={caseField.indicator(index, position)}
                idPrefix={`${prefix}-indicator-${position}`}
                value={indicator}
                locales={locales}
                onChange={(text) => set({ indicators: node.indicators.map((old, i) => (i === position ? text : old)) })}
              />
              <button
                type="button"
                className={buttonStyles}
                onClick={() => {
                  edit((f) => removeIndicator(f, node.id, position));
                  focus(`${prefix}-add-indicator`, t("editor.case.indicatorRemoved", { n: position + 1 }));
                }}
              >
                {t("editor.case.removeIndicator", { n: position + 1 })}
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          id={`${prefix}-add-indicator`}
          className={buttonStyles}
          onClick={() => {
            edit((f) => addIndicator(f, node.id, locales));
            focus(`${prefix}-indicator-${node.indicators.length}-${locales[0]}`);
          }}
        >
          {t("editor.case.addIndicator")}
        </button>
      </fieldset>
      <LocalisedInputs legend={t("editor.case.betterChoices")} hint={t("editor.case.optional")} name={caseField.node(index, "betterChoices")} idPrefix={`${prefix}-better`} value={node.betterChoices} locales={locales} multiline rows={3} onChange={(betterChoices) => set({ betterChoices })} />
    </>
  );
}
