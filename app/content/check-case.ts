import { checkTranslations } from "./check-translations";
import type { CheckContext, Parsed } from "./parsed-course";
import { checkUniqueWithin } from "./problem-list";
import type { CaseFile, CaseNode } from "./schema";

/**
 * Rules for one branching case: the node graph must be walkable from `start`, every choice must
 * lead to a node, and every path must be able to end at a debrief.
 */
export function checkCase({ source, data: caseFile }: Parsed<CaseFile>, ctx: CheckContext): void {
  const { problems } = ctx;
  const label = `case "${caseFile.id}"`;
  ctx.ids.claim("case", caseFile.id, source, ["id"]);
  caseFile.nodes.forEach((node, index) => {
    ctx.ids.claim("case node", node.id, source, ["nodes", index, "id"]);
  });
  checkUniqueWithin(
    caseFile.nodes.flatMap((node, nodeIndex) =>
      node.choices.map((choice, choiceIndex) => ({
        id: choice.id,
        path: ["nodes", nodeIndex, "choices", choiceIndex, "id"],
      })),
    ),
    "choice",
    source,
    problems,
    label,
  );

  caseFile.outcomes.forEach((outcome, index) => {
    if (ctx.outcomeIds && !ctx.outcomeIds.has(outcome)) {
      problems.at(source, ["outcomes", index], `${label}: unknown outcome "${outcome}" (not in the outcomes of course.yaml)`);
    }
  });

  const nodes = new Map<string, CaseNode>();
  for (const node of caseFile.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  if (!nodes.has(caseFile.start)) {
    problems.at(source, ["start"], `${label}: start "${caseFile.start}" is not a node in this case`);
  }

  // Nodes already reported as broken count as ends below, so one missing choice is reported once
  // rather than again as a dead end on every node leading to it.
  const broken = new Set<string>();
  caseFile.nodes.forEach((node, nodeIndex) => {
    const at = ["nodes", nodeIndex];
    const nodeLabel = `node "${node.id}"`;
    if (node.debrief) {
      if (node.choices.length > 0) problems.at(source, [...at, "choices"], `${nodeLabel}: a debrief must not have choices`);
      if (!node.outcome) problems.at(source, at, `${nodeLabel}: a debrief needs an outcome: safe, partial or poor`);
      return;
    }
    if (node.outcome) {
      problems.at(source, [...at, "outcome"], `${nodeLabel}: only a debrief has an outcome (add debrief: true or remove it)`);
    }
    if (node.choices.length === 0) {
      problems.at(source, at, `${nodeLabel} has no choices: add choices or make it a debrief (debrief: true)`);
      broken.add(node.id);
    }
    node.choices.forEach((choice, choiceIndex) => {
      if (nodes.has(choice.next)) return;
      problems.at(
        source,
        [...at, "choices", choiceIndex, "next"],
        `${nodeLabel}, choice "${choice.id}": next "${choice.next}" is not a node in this case`,
      );
      broken.add(node.id);
    });
  });

  if (nodes.has(caseFile.start)) {
    const reachable = reachableFrom(caseFile.start, nodes);
    const canEnd = nodesThatReach(
      caseFile.nodes.filter((node) => node.debrief || broken.has(node.id)).map((node) => node.id),
      nodes,
    );
    caseFile.nodes.forEach((node, nodeIndex) => {
      if (nodes.get(node.id) !== node) return; // a duplicate id, reported above
      if (!reachable.has(node.id)) {
        problems.at(source, ["nodes", nodeIndex], `node "${node.id}" cannot be reached from start "${caseFile.start}"`);
      } else if (!canEnd.has(node.id)) {
        problems.at(source, ["nodes", nodeIndex], `node "${node.id}" is a dead end: no path from it reaches a debrief`);
      }
    });
    const safeReachable = [...reachable].some((id) => {
      const node = nodes.get(id);
      return node?.debrief === true && node.outcome === "safe";
    });
    if (caseFile.requireSafeOutcome && !safeReachable) {
      problems.at(
        source,
        ["requireSafeOutcome"],
        `${label}: requireSafeOutcome is true but no debrief with outcome: safe can be reached`,
      );
    }
  }

  checkTranslations(source, caseFile, ctx.locales, problems);
}

function reachableFrom(start: string, nodes: ReadonlyMap<string, CaseNode>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const choice of nodes.get(id)?.choices ?? []) {
      if (nodes.has(choice.next) && !seen.has(choice.next)) {
        seen.add(choice.next);
        queue.push(choice.next);
      }
    }
  }
  return seen;
}

/** Every node with some path to one of `targets` (walking choices backwards). */
function nodesThatReach(targets: string[], nodes: ReadonlyMap<string, CaseNode>): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const choice of node.choices) {
      incoming.set(choice.next, [...(incoming.get(choice.next) ?? []), node.id]);
    }
  }
  const seen = new Set(targets);
  const queue = [...targets];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const from of incoming.get(id) ?? []) {
      if (!seen.has(from)) {
        seen.add(from);
        queue.push(from);
      }
    }
  }
  return seen;
}
