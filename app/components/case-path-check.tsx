import { type CaseForm, firstWords } from "~/authoring/case-form.ts";
import type { CaseAnalysis, PathStep } from "~/authoring/case-paths.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { nodeName } from "./case-editor-fields.tsx";

// The path check as text: what is wrong with the case's graph, then every path from the start as
// a nested list (a screen reader announces the depth), each node written out once.

export function PathCheck({ form, analysis, onOpenNode }: { form: CaseForm; analysis: CaseAnalysis; onOpenNode: (id: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const nodes = new Map(form.nodes.map((node) => [node.id, node]));
  const choices = new Map(form.nodes.flatMap((node) => node.choices.map((choice) => [choice.id, choice] as const)));
  const name = (id: string) => nodeName(nodes.get(id), id, locale, t);
  const link = (id: string) =>
    nodes.has(id) ? (
      <a href={`#node-${id}`} onClick={() => onOpenNode(id)} className="text-brand-700 underline">
        {name(id)}
      </a>
    ) : (
      <span>{name(id)}</span>
    );
  const reachedStops = analysis.stops.filter((id) => !analysis.unreachable.includes(id));
  const choiceName = (id: string) => t("editor.case.quoted", { text: firstWords(pick(choices.get(id)?.text, locale), 80) || id });

  return (
    <section aria-labelledby="path-check" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="path-check" className="text-lg font-semibold">
        {t("editor.case.pathCheck")}
      </h2>
      <p className="text-sm text-slate-600">{t("editor.case.pathCheckLead")}</p>
      <ul className="space-y-2">
        {analysis.outline ? (
          <Verdict ok={analysis.allPathsEnd} text={analysis.allPathsEnd ? t("editor.case.allPathsEnd") : t("editor.case.notAllPathsEnd")} />
        ) : (
          <Verdict ok={false} text={form.start ? t("editor.case.startMissing", { id: form.start }) : t("editor.case.noStart")} />
        )}
        <Verdict ok={!analysis.unreachable.length} text={analysis.unreachable.length ? t("editor.case.unreachable") : t("editor.case.allReachable")}>
          <NodeList ids={analysis.unreachable} link={link} />
        </Verdict>
        <Verdict ok={!analysis.missing.length} text={analysis.missing.length ? t("editor.case.missingTargets") : t("editor.case.noMissingTargets")}>
          {analysis.missing.length ? (
            <ul className="list-disc pl-5">
              {analysis.missing.map((missing) => (
                <li key={missing.choice}>
                  {choiceName(missing.choice)} ({link(missing.node)}) → {name(missing.next)}
                </li>
              ))}
            </ul>
          ) : null}
        </Verdict>
        {reachedStops.length ? (
          <Verdict ok={false} text={t("editor.case.stops")}>
            <NodeList ids={reachedStops} link={link} />
          </Verdict>
        ) : null}
        <Verdict ok={!analysis.endlessLoops.length} text={analysis.endlessLoops.length ? t("editor.case.endlessLoops") : t("editor.case.noEndlessLoops")}>
          {analysis.endlessLoops.length ? (
            <ul className="list-disc pl-5">
              {analysis.endlessLoops.map((loop) => (
                <li key={loop.join(">")}>
                  {loop.map((id, i) => (
                    <span key={`${id}-${i}`}>
                      {i ? " → " : null}
                      {link(id)}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          ) : null}
        </Verdict>
        {analysis.deadEnds.length ? (
          <Verdict ok={false} text={t("editor.case.deadEnds")}>
            <NodeList ids={analysis.deadEnds} link={link} />
          </Verdict>
        ) : null}
        {form.requireSafeOutcome && analysis.outline ? <Verdict ok={!analysis.noSafeEnding} text={analysis.noSafeEnding ? t("editor.case.noSafeEnding") : t("editor.case.safeEnding")} /> : null}
      </ul>
      {analysis.outline ? (
        <details open={form.nodes.length <= 12} className="border-t border-slate-200 pt-3">
          <summary className="min-h-11 cursor-pointer py-2 font-semibold">{t("editor.case.allPaths")}</summary>
          <ul className="mt-2 space-y-1 text-sm">
            <OutlineItem step={analysis.outline} lead={t("editor.case.startLead")} name={name} link={link} choiceName={choiceName} />
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function Verdict({ ok, text, children }: { ok: boolean; text: string; children?: React.ReactNode }) {
  const t = useT();
  return (
    <li className={`rounded-md border p-2 text-sm ${ok ? "border-emerald-200 bg-emerald-50 text-emerald-950" : "border-amber-300 bg-amber-50 text-amber-950"}`}>
      <span aria-hidden="true" className="mr-1 font-bold">
        {ok ? "✓" : "✗"}
      </span>
      <span className="sr-only">{ok ? t("editor.case.ok") : t("editor.case.problem")}: </span>
      {text}
      {children}
    </li>
  );
}

function NodeList({ ids, link }: { ids: string[]; link: (id: string) => React.ReactNode }) {
  if (!ids.length) return null;
  return (
    <ul className="list-disc pl-5">
      {ids.map((id) => (
        <li key={id}>{link(id)}</li>
      ))}
    </ul>
  );
}

/** One step of a path: how the learner got here (`lead`), where they are, and the choices on from there. */
function OutlineItem({ step, lead, name, link, choiceName }: { step: PathStep; lead: string; name: (id: string) => string; link: (id: string) => React.ReactNode; choiceName: (id: string) => string }) {
  const t = useT();
  const ending = (() => {
    switch (step.kind) {
      case "situation":
      case "debrief":
        return null;
      case "stop":
        return t("editor.case.endStop");
      case "missing":
        return t("editor.case.endMissing");
      case "loop":
        return step.endless ? t("editor.case.endLoopEndless") : t("editor.case.endLoop");
      case "again":
        return t("editor.case.endAgain");
    }
  })();
  const bad = step.kind === "stop" || step.kind === "missing" || (step.kind === "loop" && step.endless);
  return (
    <li className="break-words">
      <span className="text-slate-600">{lead} </span>
      {step.kind === "missing" ? <span>{name(step.node)}</span> : link(step.node)}
      {ending ? <span className={bad ? "font-medium text-red-800" : "text-slate-600"}> — {ending}</span> : null}
      {step.kind === "situation" ? (
        <ul className="ml-2 mt-1 space-y-1 border-l-2 border-slate-300 pl-3">
          {step.choices.map((choice) => (
            <OutlineItem key={choice.choice} step={choice.step} lead={`${choiceName(choice.choice)} →`} name={name} link={link} choiceName={choiceName} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
