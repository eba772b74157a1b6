import { checkCase } from "~/content/check-case.ts";
import { IdRegistry, ProblemList } from "~/content/problem-list.ts";
import type { CaseFile } from "~/content/schema.ts";
import type { PathKey, YamlSource } from "~/content/yaml-source.ts";
import type { CaseForm, DebriefOutcome } from "./case-form.ts";

// The path check of the case editor: every path a learner can take from the start, written out as
// an outline, and what is wrong with the graph. Runs on the form as the trainer edits it. Whether a
// node can still reach a debrief and whether a safe ending is reachable are the course checker's
// verdicts (app/content/check-case.ts), so the editor and publishing never disagree.

/** Where one choice (or the start) leads, and how the path goes on from there. */
export type PathStep =
  | { kind: "situation"; node: string; choices: Array<{ choice: string; step: PathStep }> }
  | { kind: "debrief"; node: string; outcome: DebriefOutcome | "" }
  /** A situation without choices: the path stops. */
  | { kind: "stop"; node: string }
  /** The choice names no node ("" when none is chosen yet). */
  | { kind: "missing"; node: string }
  /** Back to a node earlier on the same path; `endless` when no way out of the loop reaches a debrief. */
  | { kind: "loop"; node: string; endless: boolean }
  /** A node already written out above (reached on another path), not repeated. */
  | { kind: "again"; node: string };

export type CaseAnalysis = {
  /** Null when the start names no node. */
  outline: PathStep | null;
  /** Node ids: the start, then the others in path order, then those no path reaches. */
  order: string[];
  unreachable: string[];
  missing: Array<{ node: string; choice: string; next: string }>;
  /** Situations without choices. */
  stops: string[];
  /** Nodes some path reaches from which no path leads on to a debrief. */
  deadEnds: string[];
  /** Loops that never reach a debrief, as node ids from the first back to it. */
  endlessLoops: string[][];
  /** `requireSafeOutcome` is set but no path ends in a safe debrief. */
  noSafeEnding: boolean;
  /** Every path from the start ends at a debrief. */
  allPathsEnd: boolean;
};

export function analyseCase(form: CaseForm): CaseAnalysis {
  const byId = new Map(form.nodes.map((node) => [node.id, node]));
  const order: string[] = [];
  const loops: Array<{ step: { kind: "loop"; node: string; endless: boolean }; cycle: string[] }> = [];

  // Depth first, each node written out once: the outline grows with the nodes, not with the
  // (possibly exponential) number of paths.
  const walk = (id: string, onPath: string[]): PathStep => {
    const node = byId.get(id);
    if (!node) return { kind: "missing", node: id };
    if (onPath.includes(id)) {
      const step = { kind: "loop" as const, node: id, endless: false };
      loops.push({ step, cycle: [...onPath.slice(onPath.indexOf(id)), id] });
      return step;
    }
    if (order.includes(id)) return { kind: "again", node: id };
    order.push(id);
    if (node.debrief) return { kind: "debrief", node: id, outcome: node.outcome };
    if (!node.choices.length) return { kind: "stop", node: id };
    return { kind: "situation", node: id, choices: node.choices.map((choice) => ({ choice: choice.id, step: walk(choice.next, [...onPath, id]) })) };
  };
  const outline = byId.has(form.start) ? walk(form.start, []) : null;
  const reached = new Set(order);

  const verdicts = checkerVerdicts(form, reached);
  for (const loop of loops) loop.step.endless = verdicts.deadEnds.has(loop.step.node);
  const missing = form.nodes.flatMap((node) => (node.debrief ? [] : node.choices.filter((choice) => !byId.has(choice.next)).map((choice) => ({ node: node.id, choice: choice.id, next: choice.next }))));
  const stops = form.nodes.filter((node) => !node.debrief && !node.choices.length).map((node) => node.id);
  const unreachable = form.nodes.filter((node) => !reached.has(node.id)).map((node) => node.id);
  return {
    outline,
    order: [...order, ...unreachable],
    unreachable,
    missing,
    stops,
    deadEnds: order.filter((id) => verdicts.deadEnds.has(id)),
    endlessLoops: loops.filter((loop) => loop.step.endless).map((loop) => loop.cycle),
    noSafeEnding: verdicts.noSafeEnding,
    allPathsEnd: outline !== null && !verdicts.deadEnds.size && !missing.some((m) => reached.has(m.node)) && !stops.some((id) => reached.has(id)),
  };
}

/**
 * Runs the course checker's case rules on the form. The checker places each problem on a line of
 * the file; here the "line" is the number of the path it asked about, which says what the problem
 * concerns. A problem on a whole node that a path reaches, which is a situation with choices, is
 * the checker's "no path from it reaches a debrief" (its other node-level problems concern
 * unreachable nodes, situations without choices and debriefs without an outcome).
 */
function checkerVerdicts(form: CaseForm, reached: ReadonlySet<string>) {
  const asked: PathKey[][] = [];
  const source: YamlSource = { file: "", data: null, problems: [], lineAt: (path) => asked.push([...path]) };
  const problems = new ProblemList();
  const caseFile: CaseFile = {
    ...form,
    nodes: form.nodes.map((node) => ({
      id: node.id,
      debrief: node.debrief,
      outcome: node.debrief && node.outcome ? node.outcome : undefined,
      text: node.text,
      choices: node.debrief ? [] : node.choices,
      indicators: node.indicators,
      betterChoices: node.betterChoices,
    })),
  };
  // Translations are not part of the path check; without locales the checker skips them.
  checkCase({ source, data: caseFile }, { locales: [], outcomeIds: null, ids: new IdRegistry(problems, ""), problems });
  const deadEnds = new Set<string>();
  let noSafeEnding = false;
  for (const problem of problems.items) {
    const path = asked[problem.line - 1] ?? [];
    if (path.length === 1 && path[0] === "requireSafeOutcome") noSafeEnding = true;
    if (path.length !== 2 || path[0] !== "nodes") continue;
    const node = caseFile.nodes[path[1] as number];
    if (node && reached.has(node.id) && !node.debrief && node.choices.length) deadEnds.add(node.id);
  }
  return { deadEnds, noSafeEnding };
}
