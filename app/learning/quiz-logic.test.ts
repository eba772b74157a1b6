import { describe, expect, it } from "vitest";
import type { Question } from "~/content/schema.ts";
import { checkResponse, drawQuestions, gradeResponse, normaliseShortAnswer, type QuizContent, scoreAttempt } from "./quiz-logic.ts";

const t = (en: string) => ({ sl: en, en });
const single: Question = { id: "q-single", kind: "single", outcome: "a", prompt: t("?"), explanation: t("!"), options: [{ id: "x", text: t("x"), correct: false }, { id: "y", text: t("y"), correct: true }, { id: "z", text: t("z"), correct: false }] };
const multiple: Question = { id: "q-multi", kind: "multiple", outcome: "b", prompt: t("?"), explanation: t("!"), options: [{ id: "a", text: t("a"), correct: true }, { id: "b", text: t("b"), correct: true }, { id: "c", text: t("c"), correct: false }, { id: "d", text: t("d"), correct: false }] };
const trueFalse: Question = { id: "q-tf", kind: "true_false", outcome: "a", prompt: t("?"), explanation: t("!"), answer: false };
const matching: Question = { id: "q-match", kind: "matching", outcome: "b", prompt: t("?"), explanation: t("!"), pairs: [{ id: "p1", left: t("l1"), right: t("r1") }, { id: "p2", left: t("l2"), right: t("r2") }, { id: "p3", left: t("l3"), right: t("r3") }, { id: "p4", left: t("l4"), right: t("r4") }] };
const ordering: Question = { id: "q-order", kind: "ordering", outcome: "c", prompt: t("?"), explanation: t("!"), items: [{ id: "s1", text: t("1") }, { id: "s2", text: t("2") }, { id: "s3", text: t("3") }, { id: "s4", text: t("4") }] };
const shortAnswer: Question = { id: "q-short", kind: "short_answer", outcome: "c", prompt: t("?"), explanation: t("!"), accept: { sl: ["Center za socialno delo", "CSD"], en: ["social work centre"] }, ignoreDiacritics: false };
const shortFolded: Question = { ...shortAnswer, id: "q-short-2", accept: { sl: ["Čačič"], en: ["Cacic"] }, ignoreDiacritics: true };

/** A deterministic random source (LCG) for reproducible draws. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

describe("grading", () => {
  it("single choice: the correct option only", () => {
    expect(gradeResponse(single, { optionId: "y" })).toBe(1);
    expect(gradeResponse(single, { optionId: "x" })).toBe(0);
    expect(gradeResponse(single, null)).toBe(0);
  });

  it("multiple choice: partial credit, wrong choices subtract, never below 0", () => {
    expect(gradeResponse(multiple, { optionIds: ["a", "b"] })).toBe(1);
    expect(gradeResponse(multiple, { optionIds: ["a"] })).toBe(0.5);
    expect(gradeResponse(multiple, { optionIds: ["a", "b", "c"] })).toBe(0.5);
    expect(gradeResponse(multiple, { optionIds: ["a", "b", "c", "d"] })).toBe(0);
    expect(gradeResponse(multiple, { optionIds: ["c", "d"] })).toBe(0);
    expect(gradeResponse(multiple, { optionIds: [] })).toBe(0);
  });

  it("true/false", () => {
    expect(gradeResponse(trueFalse, { value: false })).toBe(1);
    expect(gradeResponse(trueFalse, { value: true })).toBe(0);
  });

  it("matching: share of pairs matched", () => {
    expect(gradeResponse(matching, { pairs: { p1: "p1", p2: "p2", p3: "p3", p4: "p4" } })).toBe(1);
    expect(gradeResponse(matching, { pairs: { p1: "p1", p2: "p3", p3: "p2", p4: "p4" } })).toBe(0.5);
    expect(gradeResponse(matching, { pairs: { p1: "p1" } })).toBe(0.25);
  });

  it("ordering: share of items in their place", () => {
    expect(gradeResponse(ordering, { order: ["s1", "s2", "s3", "s4"] })).toBe(1);
    expect(gradeResponse(ordering, { order: ["s1", "s2", "s4", "s3"] })).toBe(0.5);
    expect(gradeResponse(ordering, { order: ["s4", "s3", "s2", "s1"] })).toBe(0);
  });

  it("short answer: any locale, case and spacing ignored, diacritics only when allowed", () => {
    expect(gradeResponse(shortAnswer, { text: "  center  za SOCIALNO delo " })).toBe(1);
    expect(gradeResponse(shortAnswer, { text: "Social work centre" })).toBe(1);
    expect(gradeResponse(shortAnswer, { text: "csd" })).toBe(1);
    expect(gradeResponse(shortAnswer, { text: "police" })).toBe(0);
    expect(gradeResponse(shortFolded, { text: "cacic" })).toBe(1);
    expect(gradeResponse(shortFolded, { text: "ČAČIČ" })).toBe(1);
    expect(gradeResponse({ ...shortFolded, ignoreDiacritics: false, accept: { sl: ["Čačič"] } }, { text: "cacic" })).toBe(0);
    expect(normaliseShortAnswer("Z\u030Cena", false)).toBe("\u017Eena");
  });

  it("refuses answers that do not fit the question, and grades them 0", () => {
    expect(checkResponse(single, { optionId: "nope" })).toBe("quiz.invalidAnswer");
    expect(checkResponse(single, { value: true })).toBe("quiz.invalidAnswer");
    expect(checkResponse(multiple, { optionIds: ["a", "a"] })).toBe("quiz.invalidAnswer");
    expect(checkResponse(ordering, { order: ["s1", "s2", "s3"] })).toBe("quiz.invalidAnswer");
    expect(checkResponse(matching, { pairs: { p1: "evil" } })).toBe("quiz.invalidAnswer");
    expect(checkResponse(shortAnswer, { text: "   " })).toBe("quiz.invalidAnswer");
    expect(gradeResponse(single, { optionIds: ["y"] })).toBe(0);
  });

  it("scores over the drawn questions, unanswered counting 0", () => {
    expect(scoreAttempt([1, 1, 0.5, 0], 4)).toBe(62.5);
    expect(scoreAttempt([1, 1], 3)).toBe(66.7);
    expect(scoreAttempt([], 0)).toBe(0);
  });
});

describe("drawing", () => {
  const pool = (n: number, outcomes: string[]): Question[] => Array.from({ length: n }, (_, i) => ({ ...single, id: `q${i}`, outcome: outcomes[i % outcomes.length] }));
  const quiz = (questions: Question[], overrides: Partial<QuizContent> = {}): QuizContent => ({ draw: 4, shuffle: true, review: "after-attempt", drawPerOutcome: false, questions, ...overrides });

  it("draws the configured number of distinct questions from the pool", () => {
    const drawn = drawQuestions(quiz(pool(10, ["a"])), seeded(1));
    expect(drawn).toHaveLength(4);
    expect(new Set(drawn.map((d) => d.id)).size).toBe(4);
  });

  it("differs between attempts and is reproducible with the same random source", () => {
    const q = quiz(pool(10, ["a"]));
    expect(drawQuestions(q, seeded(7))).toEqual(drawQuestions(q, seeded(7)));
    expect(drawQuestions(q, seeded(7)).map((d) => d.id)).not.toEqual(drawQuestions(q, seeded(8)).map((d) => d.id));
  });

  it("covers every outcome once before repeating one when drawing per outcome", () => {
    const outcomes = ["a", "b", "c", "d", "e"];
    const questions = pool(15, outcomes);
    for (let seed = 1; seed < 30; seed++) {
      const drawn = drawQuestions(quiz(questions, { draw: 5, drawPerOutcome: true }), seeded(seed));
      expect(new Set(drawn.map((d) => questions.find((q) => q.id === d.id)!.outcome))).toEqual(new Set(outcomes));
    }
  });

  it("keeps file order without shuffle but still scrambles ordering items", () => {
    const questions = [single, ordering, matching];
    const drawn = drawQuestions(quiz(questions, { draw: 3, shuffle: false }), seeded(3));
    expect(drawn.map((d) => d.id)).toEqual(["q-single", "q-order", "q-match"]);
    expect(drawn[0].options).toEqual(["x", "y", "z"]);
    expect(drawn[1].items).not.toEqual(["s1", "s2", "s3", "s4"]);
    expect([...drawn[1].items!].sort()).toEqual(["s1", "s2", "s3", "s4"]);
    expect([...drawn[2].rights!].sort()).toEqual(["p1", "p2", "p3", "p4"]);
  });
});
