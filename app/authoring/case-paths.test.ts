import { describe, expect, it } from "vitest";
import type { CaseForm } from "./case-form.ts";
import { analyseCase } from "./case-paths.ts";

describe("the path check", () => {
  type Graph = Record<string, string[] | "safe" | "partial" | "poor">;
  /** A case from a map of node → the nodes its choices lead to, or the outcome of a debrief. */
  function caseOf(graph: Graph, start = Object.keys(graph)[0]!, requireSafeOutcome = false): CaseForm {
    return {
      id: "graph",
      title: {},
      summary: {},
      outcomes: [],
      requireSafeOutcome,
      start,
      nodes: Object.entries(graph).map(([id, to]) => ({
        id,
        debrief: !Array.isArray(to),
        text: { en: `Node ${id}` },
        choices: Array.isArray(to) ? to.map((next, i) => ({ id: `${id}-to-${next}-${i}`, text: {}, consequence: {}, next })) : [],
        outcome: Array.isArray(to) ? "" : to,
        indicators: [],
        betterChoices: {},
      })),
    };
  }

  it("passes a case whose every path ends at a debrief, loops with a way out included", () => {
    const result = analyseCase(caseOf({ a: ["b", "poor"], b: ["safe", "a"], safe: "safe", poor: "poor" }, "a", true));
    expect(result).toMatchObject({ allPathsEnd: true, unreachable: [], missing: [], deadEnds: [], endlessLoops: [], noSafeEnding: false });
    expect(result.order).toEqual(["a", "b", "safe", "poor"]);
    expect(result.outline).toEqual({
      kind: "situation",
      node: "a",
      choices: [
        {
          choice: "a-to-b-0",
          step: {
            kind: "situation",
            node: "b",
            choices: [
              { choice: "b-to-safe-0", step: { kind: "debrief", node: "safe", outcome: "safe" } },
              { choice: "b-to-a-1", step: { kind: "loop", node: "a", endless: false } },
            ],
          },
        },
        { choice: "a-to-poor-1", step: { kind: "debrief", node: "poor", outcome: "poor" } },
      ],
    });
  });

  it("finds a dead end: a situation without choices, and a path into it", () => {
    const result = analyseCase(caseOf({ a: ["b", "end"], b: [], end: "partial" }));
    expect(result.allPathsEnd).toBe(false);
    expect(result.stops).toEqual(["b"]);
    expect(result.outline).toMatchObject({ choices: [{ step: { kind: "stop", node: "b" } }, { step: { kind: "debrief" } }] });
  });

  it("finds a node no path reaches and lists it after the others", () => {
    const result = analyseCase(caseOf({ a: ["end"], lost: ["end"], end: "safe" }));
    expect(result.unreachable).toEqual(["lost"]);
    expect(result.order).toEqual(["a", "end", "lost"]);
    expect(result.allPathsEnd).toBe(true);
  });

  it("finds a loop that never reaches a debrief, and the nodes caught in it", () => {
    const result = analyseCase(caseOf({ a: ["b", "end"], b: ["c"], c: ["b"], end: "safe" }));
    expect(result.allPathsEnd).toBe(false);
    expect(result.deadEnds).toEqual(["b", "c"]);
    expect(result.endlessLoops).toEqual([["b", "c", "b"]]);
    expect(result.outline).toMatchObject({ choices: [{ step: { node: "b", choices: [{ step: { node: "c", choices: [{ step: { kind: "loop", node: "b", endless: true } }] } }] } }, {}] });
  });

  it("finds choices that lead to missing nodes, a missing start, and a case without a safe ending", () => {
    const missing = analyseCase(caseOf({ a: ["nowhere", "", "end"], end: "poor" }, "a", true));
    expect(missing.missing).toEqual([
      { node: "a", choice: "a-to-nowhere-0", next: "nowhere" },
      { node: "a", choice: "a-to--1", next: "" },
    ]);
    expect(missing.allPathsEnd).toBe(false);
    expect(missing.noSafeEnding).toBe(true);
    expect(missing.outline).toMatchObject({ choices: [{ step: { kind: "missing", node: "nowhere" } }, { step: { kind: "missing", node: "" } }, { step: { kind: "debrief" } }] });

    const noStart = analyseCase(caseOf({ a: ["end"], end: "safe" }, "gone"));
    expect(noStart).toMatchObject({ outline: null, allPathsEnd: false, unreachable: ["a", "end"] });
  });

  it("writes a node reached on two paths out once", () => {
    const result = analyseCase(caseOf({ a: ["b", "c"], b: ["end"], c: ["end"], end: "safe" }));
    expect(result.outline).toMatchObject({ choices: [{ step: { node: "b", choices: [{ step: { kind: "debrief", node: "end" } }] } }, { step: { node: "c", choices: [{ step: { kind: "again", node: "end" } }] } }] });
  });
});
