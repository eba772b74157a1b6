import { describe, expect, it } from "vitest";
import type { Question } from "~/content/schema.ts";
import { analyseQuiz, discriminationByQuestion, type FirstAttemptAnswer, MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION, type OptionTally, pointBiserial, type QuestionTally } from "./item-analysis.ts";

const text = (en: string) => ({ sl: en, en });
const option = (id: string, correct = false) => ({ id, text: text(id), correct });

// Three questions: everyone gets q-elements right; q-consent is single choice; q-signs is multiple
// choice with partial credit (E earns 0.5 on it: not fully correct).
const questions: Question[] = [
  { id: "q-elements", kind: "true_false", outcome: "define", prompt: text("Elements?"), explanation: text("."), answer: true },
  { id: "q-consent", kind: "single", outcome: "define", prompt: text("Consent?"), explanation: text("."), options: [option("right", true), option("border"), option("tourist")] },
  { id: "q-signs", kind: "multiple", outcome: "indicators", prompt: text("Signs?"), explanation: text("."), options: [option("n1", true), option("n2", true), option("x"), option("y")] },
];
const versions = [{ courseVersionId: "v1", number: 1, questions }];
const outcomes = [
  { id: "define", text: text("Define trafficking") },
  { id: "indicators", text: text("Recognise indicators") },
  { id: "unused", text: text("No question tests this") },
];

// Points per learner's first attempt (q-elements, q-consent, q-signs):
//   A 1 1 1 · B 1 1 1 · C 1 1 0 · D 1 0 0 · E 1 0 0.5
// D then retook the quiz and scored 1 1 1: that attempt counts for facility, not for discrimination.
const firstAttempts: Record<string, [number, number, number]> = { A: [1, 1, 1], B: [1, 1, 1], C: [1, 1, 0], D: [1, 0, 0], E: [1, 0, 0.5] };
const firstAttemptAnswers: FirstAttemptAnswer[] = Object.entries(firstAttempts).flatMap(([learner, points]) => questions.map((q, index) => ({ attemptId: `${learner}-1`, questionKey: q.id, points: points[index] })));
// Over all six attempts: shown 6 times each; fully correct 6, 4 (A B C D2), 3 (A B D2).
const questionTallies: QuestionTally[] = [
  { questionKey: "q-elements", shown: 6, fullyCorrect: 6 },
  { questionKey: "q-consent", shown: 6, fullyCorrect: 4 },
  { questionKey: "q-signs", shown: 6, fullyCorrect: 3 },
];
// q-consent: D1 and E chose "border"; q-signs: C chose x and y, D1 chose x, E chose n1, the rest n1 and n2.
const optionTallies: OptionTally[] = [
  { courseVersionId: "v1", questionKey: "q-consent", optionId: "right", chosen: 4 },
  { courseVersionId: "v1", questionKey: "q-consent", optionId: "border", chosen: 2 },
  { courseVersionId: "v1", questionKey: "q-signs", optionId: "n1", chosen: 4 },
  { courseVersionId: "v1", questionKey: "q-signs", optionId: "n2", chosen: 3 },
  { courseVersionId: "v1", questionKey: "q-signs", optionId: "x", chosen: 2 },
  { courseVersionId: "v1", questionKey: "q-signs", optionId: "y", chosen: 1 },
];

describe("item analysis", () => {
  const analysis = analyseQuiz({ versions, outcomes, questionTallies, optionTallies, firstAttemptAnswers, minimumFirstAttempts: 5 });
  const question = (key: string) => analysis.questions.find((q) => q.key === key)!;

  it("gives each question's facility: fully correct over times shown", () => {
    expect(analysis.questions.map((q) => [q.key, q.shown, q.fullyCorrect])).toEqual([
      ["q-elements", 6, 6],
      ["q-consent", 6, 4],
      ["q-signs", 6, 3],
    ]);
    expect(question("q-elements").facility).toBe(1);
    expect(question("q-consent").facility).toBeCloseTo(0.666667, 6);
    expect(question("q-signs").facility).toBe(0.5);
  });

  it("computes discrimination on first attempts against the rest of the attempt", () => {
    // q-consent: x = 1 1 1 0 0; rest = mean of the other two = 1 1 0.5 0.5 0.75.
    // M1 = 2.5/3 = 0.8333, M0 = 1.25/2 = 0.625, mean 0.75, s = √(0.25/5) = 0.22361, p = 0.6:
    // r = (0.8333 − 0.625) / 0.22361 · √(0.6 · 0.4) = 0.45644 (= √(5/24)).
    expect(question("q-consent").discrimination).toEqual({ status: "shown", value: expect.closeTo(0.45644, 5), firstAttempts: 5 });
    // q-signs: x = 1 1 0 0 0 (E's 0.5 is not fully correct); rest = 1 1 1 0.5 0.5.
    // M1 = 1, M0 = 2/3, mean 0.8, s = √(0.3/5) = 0.24495, p = 0.4: r = 0.3333 / 0.24495 · 0.4899 = 0.66667.
    expect(question("q-signs").discrimination).toEqual({ status: "shown", value: expect.closeTo(0.66667, 5), firstAttempts: 5 });
  });

  it("leaves discrimination undefined (not NaN) when everyone answered alike", () => {
    expect(question("q-elements").discrimination).toEqual({ status: "all-alike", firstAttempts: 5 });
    expect(pointBiserial([{ correct: true, score: 0.5 }, { correct: false, score: 0.5 }])).toEqual({ undefinedBecause: "rest-alike" });
  });

  it(`hides discrimination below ${MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION} first attempts by default`, () => {
    const byDefault = analyseQuiz({ versions, outcomes, questionTallies, optionTallies, firstAttemptAnswers });
    expect(byDefault.minimumFirstAttempts).toBe(20);
    expect(byDefault.questions.map((q) => q.discrimination)).toEqual([
      { status: "too-few", firstAttempts: 5 },
      { status: "too-few", firstAttempts: 5 },
      { status: "too-few", firstAttempts: 5 },
    ]);
  });

  it("leaves out attempts that drew a single question: they have no rest score", () => {
    const lone = discriminationByQuestion([{ attemptId: "z", questionKey: "q-consent", points: 1 }], 1);
    expect(lone.get("q-consent")).toBeUndefined();
  });

  it("names the wrong option chosen most often, as a share of showings; none for other kinds", () => {
    expect(question("q-consent").commonWrongOption).toEqual({ id: "border", text: text("border"), chosen: 2, share: 2 / 6 });
    expect(question("q-signs").commonWrongOption).toMatchObject({ id: "x", chosen: 2, share: 2 / 6 });
    expect(question("q-elements").commonWrongOption).toBeNull();
  });

  it("pools facility per learning outcome in the course's order, titled by its text", () => {
    // define: q-elements and q-consent, (6 + 4) / (6 + 6); indicators: q-signs, 3 / 6; "unused" has no question.
    expect(analysis.outcomes).toEqual([
      { id: "define", text: text("Define trafficking"), questions: 2, shown: 12, fullyCorrect: 10, facility: 10 / 12 },
      { id: "indicators", text: text("Recognise indicators"), questions: 1, shown: 6, fullyCorrect: 3, facility: 0.5 },
    ]);
  });

  it("works across versions: the current wording first, each choice judged by its own version's key", () => {
    // The earlier version (v0) wrongly marked "border" correct and had a question the current one dropped.
    const v1: Question[] = [
      { ...questions[1], options: [option("right", true), option("border", true), option("tourist")] } as Question,
      { id: "q-old", kind: "true_false", outcome: "define", prompt: text("Old?"), explanation: text("."), answer: false },
    ];
    const result = analyseQuiz({
      versions: [versions[0], { courseVersionId: "v0", number: 0, questions: v1 }],
      outcomes,
      questionTallies: [{ questionKey: "q-consent", shown: 10, fullyCorrect: 5 }, { questionKey: "q-old", shown: 4, fullyCorrect: 1 }],
      optionTallies: [
        { courseVersionId: "v0", questionKey: "q-consent", optionId: "border", chosen: 3 },
        { courseVersionId: "v0", questionKey: "q-consent", optionId: "tourist", chosen: 2 },
        { courseVersionId: "v1", questionKey: "q-consent", optionId: "border", chosen: 1 },
      ],
      firstAttemptAnswers: [],
    });
    expect(result.questions.map((q) => [q.key, q.current, q.facility])).toEqual([
      ["q-elements", true, null],
      ["q-consent", true, 0.5],
      ["q-signs", true, null],
      ["q-old", false, 0.25],
    ]);
    // "border" was right in v0, so only its one choice in v1 was wrong; "tourist" was wrong twice.
    expect(result.questions[1].commonWrongOption).toMatchObject({ id: "tourist", chosen: 2, share: 0.2 });
    expect(result.questions[0].discrimination).toEqual({ status: "too-few", firstAttempts: 0 });
  });
});
