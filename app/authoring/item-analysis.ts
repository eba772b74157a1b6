import type { Question, QuestionKind } from "~/content/schema.ts";

// The arithmetic of a quiz's item analysis, kept pure so it is checked against numbers worked out
// by hand (item-analysis.test.ts). The counting happens in PostgreSQL (item-analysis.server.ts);
// this module turns those counts into the figures trainers read.

type LocalisedText = Partial<Record<string, string>>;

/** Below this many first attempts that include a question, its discrimination is too noisy to show. */
export const MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION = 20;

/**
 * Points at or above this count as "fully correct". Points are 0–1 and full marks are exactly 1 in
 * every kind (see gradeResponse); the margin only absorbs floating-point rounding.
 */
export const FULLY_CORRECT_POINTS = 1 - 1e-9;

/** A variance this small is zero: rest scores that are all equal can differ in the last bits. */
const ZERO_VARIANCE = 1e-12;

/** One published version's question pool. Question and option ids are stable across versions. */
export type QuizVersionQuestions = { courseVersionId: string; number: number; questions: Question[] };
/** How often a question was shown in submitted attempts and how often it earned full marks. */
export type QuestionTally = { questionKey: string; shown: number; fullyCorrect: number };
/** How often an option was chosen, per version (whether it is wrong is that version's answer key). */
export type OptionTally = { courseVersionId: string; questionKey: string; optionId: string; chosen: number };
/** A question drawn in a learner's first submitted attempt and the points it earned (0 if unanswered). */
export type FirstAttemptAnswer = { attemptId: string; questionKey: string; points: number };

export type Discrimination =
  | { status: "shown"; value: number; firstAttempts: number }
  /** fewer first attempts include the question than the minimum */
  | { status: "too-few"; firstAttempts: number }
  /** everyone answered it fully correctly, or nobody did */
  | { status: "all-alike"; firstAttempts: number }
  /** everyone scored the same on the rest of the attempt */
  | { status: "rest-alike"; firstAttempts: number };

export type QuestionAnalysis = {
  key: string;
  kind: QuestionKind;
  prompt: LocalisedText;
  outcomeId: string;
  /** false for a question only earlier versions of the quiz had */
  current: boolean;
  shown: number;
  fullyCorrect: number;
  /** fullyCorrect / shown; null when never shown */
  facility: number | null;
  discrimination: Discrimination;
  /** choice questions only: the wrong option chosen most often and the share of showings it was chosen in */
  commonWrongOption: { id: string; text: LocalisedText; chosen: number; share: number } | null;
};

export type OutcomeAnalysis = { id: string; text: LocalisedText | null; questions: number; shown: number; fullyCorrect: number; facility: number | null };

export type QuizAnalysis = { minimumFirstAttempts: number; questions: QuestionAnalysis[]; outcomes: OutcomeAnalysis[] };

export function isFullyCorrect(points: number) {
  return points >= FULLY_CORRECT_POINTS;
}

/**
 * Point-biserial correlation between a 0/1 variable x and a score y over the same people:
 *
 *   r = (M1 − M0) / s · √(p · q)
 *
 * M1, M0: mean y of those with x = 1 and x = 0; s: standard deviation of all y (dividing by n);
 * p: share with x = 1; q = 1 − p. This is Pearson's correlation of x and y. Null when it is not
 * defined: p is 0 or 1 (everyone alike) or s is 0 (every y equal).
 */
export function pointBiserial(pairs: ReadonlyArray<{ correct: boolean; score: number }>): { value: number } | { undefinedBecause: "all-alike" | "rest-alike" } {
  const n = pairs.length;
  const right = pairs.filter((pair) => pair.correct);
  const wrong = pairs.filter((pair) => !pair.correct);
  if (right.length === 0 || wrong.length === 0) return { undefinedBecause: "all-alike" };
  const mean = (values: ReadonlyArray<{ score: number }>) => values.reduce((sum, v) => sum + v.score, 0) / values.length;
  const overall = mean(pairs);
  const variance = pairs.reduce((sum, pair) => sum + (pair.score - overall) ** 2, 0) / n;
  if (variance < ZERO_VARIANCE) return { undefinedBecause: "rest-alike" };
  const p = right.length / n;
  return { value: ((mean(right) - mean(wrong)) / Math.sqrt(variance)) * Math.sqrt(p * (1 - p)) };
}

/**
 * Discrimination of every question, on each learner's first submitted attempt (one attempt per
 * learner). For an attempt that drew k ≥ 2 questions, the rest score of one of them is the mean
 * points of the other k − 1 (corrected item-total: the question is left out of the total it is
 * compared with, or it would partly correlate with itself). Attempts that drew a single question
 * have no rest and are left out. Shown only when at least `minimum` first attempts include the question.
 */
export function discriminationByQuestion(answers: readonly FirstAttemptAnswer[], minimum = MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION): Map<string, Discrimination> {
  const attempts = new Map<string, FirstAttemptAnswer[]>();
  for (const answer of answers) attempts.set(answer.attemptId, [...(attempts.get(answer.attemptId) ?? []), answer]);
  const pairsByQuestion = new Map<string, Array<{ correct: boolean; score: number }>>();
  for (const drawn of attempts.values()) {
    if (drawn.length < 2) continue;
    const total = drawn.reduce((sum, answer) => sum + answer.points, 0);
    for (const answer of drawn) {
      const pairs = pairsByQuestion.get(answer.questionKey) ?? [];
      pairs.push({ correct: isFullyCorrect(answer.points), score: (total - answer.points) / (drawn.length - 1) });
      pairsByQuestion.set(answer.questionKey, pairs);
    }
  }
  const result = new Map<string, Discrimination>();
  for (const [questionKey, pairs] of pairsByQuestion) {
    const firstAttempts = pairs.length;
    if (firstAttempts < minimum) {
      result.set(questionKey, { status: "too-few", firstAttempts });
      continue;
    }
    const r = pointBiserial(pairs);
    result.set(questionKey, "value" in r ? { status: "shown", value: r.value, firstAttempts } : { status: r.undefinedBecause, firstAttempts });
  }
  return result;
}

/** The latest version's wording of each question, and whether the current version still has it. */
function questionsByKey(versions: readonly QuizVersionQuestions[]) {
  const newestFirst = [...versions].sort((a, b) => b.number - a.number);
  const latest = new Map<string, { question: Question; current: boolean }>();
  newestFirst.forEach((version, index) => {
    for (const question of version.questions) if (!latest.has(question.id)) latest.set(question.id, { question, current: index === 0 });
  });
  return latest;
}

/** The wrong option chosen most often, summed over versions, each judged by its own answer key. */
function commonWrongOption(question: Question, shown: number, tallies: readonly OptionTally[], versions: readonly QuizVersionQuestions[]) {
  if (question.kind !== "single" && question.kind !== "multiple") return null;
  const wrongChoices = new Map<string, number>();
  for (const tally of tallies) {
    const asAsked = versions.find((v) => v.courseVersionId === tally.courseVersionId)?.questions.find((q) => q.id === question.id);
    const option = asAsked && "options" in asAsked ? asAsked.options.find((o) => o.id === tally.optionId) : undefined;
    if (option && !option.correct) wrongChoices.set(option.id, (wrongChoices.get(option.id) ?? 0) + tally.chosen);
  }
  let best: { id: string; text: LocalisedText; chosen: number; share: number } | null = null;
  // Ties go to the option listed first, so the answer does not depend on the order rows arrive in.
  for (const option of question.options) {
    const chosen = wrongChoices.get(option.id) ?? 0;
    if (chosen > 0 && (!best || chosen > best.chosen)) best = { id: option.id, text: option.text, chosen, share: shown ? chosen / shown : 0 };
  }
  return best;
}

/**
 * A quiz's item analysis across its versions. Questions are listed in the current version's order,
 * then any that only earlier versions had (when they were shown). Facility of a question is the
 * share of its showings that earned full marks; an outcome's facility pools every showing of its
 * questions. Discrimination: see `discriminationByQuestion`.
 */
export function analyseQuiz({
  versions,
  outcomes,
  questionTallies,
  optionTallies,
  firstAttemptAnswers,
  minimumFirstAttempts = MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION,
}: {
  versions: readonly QuizVersionQuestions[];
  outcomes: ReadonlyArray<{ id: string; text: LocalisedText }>;
  questionTallies: readonly QuestionTally[];
  optionTallies: readonly OptionTally[];
  firstAttemptAnswers: readonly FirstAttemptAnswer[];
  minimumFirstAttempts?: number;
}): QuizAnalysis {
  const known = questionsByKey(versions);
  const tallies = new Map(questionTallies.map((t) => [t.questionKey, t]));
  const discrimination = discriminationByQuestion(firstAttemptAnswers, minimumFirstAttempts);
  const listed = [...known.values()].filter(({ question, current }) => current || (tallies.get(question.id)?.shown ?? 0) > 0);
  const questions: QuestionAnalysis[] = listed.map(({ question, current }) => {
    const { shown = 0, fullyCorrect = 0 } = tallies.get(question.id) ?? {};
    return {
      key: question.id,
      kind: question.kind,
      prompt: question.prompt,
      outcomeId: question.outcome,
      current,
      shown,
      fullyCorrect,
      facility: shown ? fullyCorrect / shown : null,
      discrimination: discrimination.get(question.id) ?? { status: "too-few", firstAttempts: 0 },
      commonWrongOption: commonWrongOption(question, shown, optionTallies.filter((t) => t.questionKey === question.id), versions),
    };
  });

  const outcomeOrder = [...outcomes.map((o) => o.id), ...questions.map((q) => q.outcomeId)].filter((id, index, all) => all.indexOf(id) === index);
  const byOutcome = outcomeOrder
    .map((id) => {
      const ofOutcome = questions.filter((q) => q.outcomeId === id);
      const shown = ofOutcome.reduce((sum, q) => sum + q.shown, 0);
      const fullyCorrect = ofOutcome.reduce((sum, q) => sum + q.fullyCorrect, 0);
      return { id, text: outcomes.find((o) => o.id === id)?.text ?? null, questions: ofOutcome.length, shown, fullyCorrect, facility: shown ? fullyCorrect / shown : null };
    })
    .filter((outcome) => outcome.questions > 0);
  return { minimumFirstAttempts, questions, outcomes: byOutcome };
}
