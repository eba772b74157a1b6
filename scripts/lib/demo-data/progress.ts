// A generated learner's work inside one enrolment: lessons read, quiz attempts with their answers,
// case runs with the choices taken, as the app would have recorded them at the given times.
import { Prisma } from "../../../generated/prisma/client.ts";
import type { Rows, TableName } from "./bulk-insert.ts";
import { answerQuiz, type GradedAttempt, type PlanItem, type QuizPlan } from "./course-plan.ts";
import type { Random } from "./random.ts";

export type ChunkRows = { [T in TableName]: Rows[T][] };

export function emptyChunk(): ChunkRows {
  return { Organisation: [], Department: [], User: [], Membership: [], Enrolment: [], ItemProgress: [], QuizAttempt: [], QuizAnswer: [], CaseRun: [], Certificate: [], Notification: [], AuditEvent: [] };
}

const MINUTE = 60_000;

export type Learning = {
  random: Random;
  newId: () => string;
  out: ChunkRows;
  enrolmentId: string;
  userId: string;
  locale: string;
  /** false once the retention job would have removed raw answers and case choices */
  keepDetails: boolean;
};

/** Failed attempts before the pass: more on a timed final assessment than on a module quiz. */
function failuresBeforePass(quiz: QuizPlan, random: Random) {
  const failures = quiz.content.timeLimitMinutes ? random.weighted([[0, 70], [1, 22], [2, 8]] as const) : random.weighted([[0, 85], [1, 12], [2, 3]] as const);
  return quiz.content.attempts ? Math.min(failures, quiz.content.attempts - 1) : failures;
}

function attemptMinutes(quiz: QuizPlan, random: Random) {
  const limit = quiz.content.timeLimitMinutes ?? quiz.content.draw * 1.5;
  return Math.max(1, limit * random.between(0.35, 0.95));
}

/** An attempt the app would accept as intended (a pass that passes, a failure that fails), or null. */
function gradedAttempt(quiz: QuizPlan, intent: "pass" | "fail", learning: Learning, answered = 1): GradedAttempt | null {
  for (let tries = 0; tries < 4; tries++) {
    const attempt = answerQuiz(quiz, intent, learning.locale, learning.random, answered);
    if (attempt.passed === (intent === "pass")) return attempt;
  }
  return null;
}

function recordAttempt(learning: Learning, item: PlanItem, number: number, attempt: GradedAttempt, startMs: number, minutes: number, submitted: boolean) {
  const quiz = item.quiz!;
  const id = learning.newId();
  const endMs = startMs + minutes * MINUTE;
  learning.out.QuizAttempt.push({
    id,
    enrolmentId: learning.enrolmentId,
    userId: learning.userId,
    itemKey: item.key,
    number,
    questions: attempt.questions,
    startedAt: new Date(startMs),
    deadlineAt: quiz.content.timeLimitMinutes ? new Date(startMs + quiz.content.timeLimitMinutes * MINUTE) : null,
    submittedAt: submitted ? new Date(endMs) : null,
    closedBy: submitted ? "SUBMITTED" : null,
    score: submitted ? attempt.score : null,
    passed: submitted ? attempt.passed : null,
  });
  const step = (endMs - startMs) / (attempt.answers.length + 1);
  attempt.answers.forEach((answer, index) => {
    learning.out.QuizAnswer.push({
      id: learning.newId(),
      attemptId: id,
      questionKey: answer.questionKey,
      response: learning.keepDetails ? answer.response : Prisma.JsonNull,
      answeredAt: new Date(startMs + step * (index + 1)),
      points: submitted ? answer.points : null,
    });
  });
}

function progressRow(learning: Learning, item: PlanItem, startMs: number, endMs: number | null, seconds: number) {
  learning.out.ItemProgress.push({ id: learning.newId(), enrolmentId: learning.enrolmentId, itemKey: item.key, startedAt: new Date(startMs), completedAt: endMs === null ? null : new Date(endMs), timeSpentSeconds: Math.round(seconds) });
}

function caseRun(learning: Learning, item: PlanItem, number: number, path: { steps: Array<{ node: string; choice: string }>; end: string | null; outcome: string | null }, startMs: number, endMs: number | null) {
  learning.out.CaseRun.push({
    id: learning.newId(),
    enrolmentId: learning.enrolmentId,
    itemKey: item.key,
    number,
    path: learning.keepDetails ? path.steps : [],
    currentNode: path.end ?? item.case!.start,
    startedAt: new Date(startMs),
    endedAt: endMs === null ? null : new Date(endMs),
    outcome: endMs === null ? null : path.outcome,
  });
}

/**
 * Finishes one item between `fromMs` (the previous item) and `atMs` (this one done): returns the
 * seconds spent. Failed quiz attempts and unsafe case endings come before, spaced by the cooldown.
 */
export function finishItem(learning: Learning, item: PlanItem, fromMs: number, atMs: number): number {
  const { random } = learning;
  if (item.kind === "LESSON") {
    const seconds = item.minutes * 60 * random.between(0.6, 1.6);
    progressRow(learning, item, atMs - seconds * 1000, atMs, seconds);
    return seconds;
  }
  if (item.kind === "QUIZ") {
    const quiz = item.quiz!;
    const passMinutes = attemptMinutes(quiz, random);
    const passStart = atMs - passMinutes * MINUTE;
    const cooldown = (quiz.content.cooldownMinutes ?? 0) * MINUTE;
    const needed = (quiz.content.timeLimitMinutes ?? 15) * MINUTE + cooldown + 5 * MINUTE;
    let failures = failuresBeforePass(quiz, random);
    while (failures > 0 && (passStart - fromMs) / (failures + 1) < needed) failures--;
    let seconds = 0;
    let number = 0;
    let firstStart = passStart;
    for (let i = 1; i <= failures; i++) {
      const attempt = gradedAttempt(quiz, "fail", learning);
      if (!attempt) continue;
      const minutes = attemptMinutes(quiz, random);
      const endMs = fromMs + ((passStart - fromMs) / (failures + 1)) * i;
      const startMs = endMs - minutes * MINUTE;
      recordAttempt(learning, item, ++number, attempt, startMs, minutes, true);
      firstStart = Math.min(firstStart, startMs);
      seconds += minutes * 60;
    }
    const pass = gradedAttempt(quiz, "pass", learning);
    if (!pass) throw new Error(`quiz ${item.key}: could not build a passing attempt`);
    recordAttempt(learning, item, ++number, pass, passStart, passMinutes, true);
    seconds += passMinutes * 60;
    progressRow(learning, item, firstStart, atMs, seconds);
    return seconds;
  }
  const plan = item.case!;
  let seconds = 0;
  let number = 0;
  let firstStart = atMs;
  if (plan.notFinishing.length && random.chance(0.25)) {
    const minutes = random.between(3, 10);
    const endMs = fromMs + (atMs - fromMs) / 2;
    firstStart = endMs - minutes * MINUTE;
    caseRun(learning, item, ++number, random.pick(plan.notFinishing), firstStart, endMs);
    seconds += minutes * 60;
  }
  const minutes = random.between(4, 14);
  const startMs = atMs - minutes * MINUTE;
  caseRun(learning, item, ++number, random.pick(plan.finishing), startMs, atMs);
  seconds += minutes * 60;
  progressRow(learning, item, Math.min(firstStart, startMs), atMs, seconds);
  return seconds;
}

/** The item a learner is in the middle of at `atMs`: opened, a quiz failed or left open, a case under way. */
export function startItem(learning: Learning, item: PlanItem, atMs: number): number {
  const { random } = learning;
  if (item.kind === "LESSON") {
    const seconds = item.minutes * 60 * random.between(0.1, 0.7);
    progressRow(learning, item, atMs, null, seconds);
    return seconds;
  }
  if (item.kind === "QUIZ") {
    const quiz = item.quiz!;
    const minutes = attemptMinutes(quiz, random);
    // A timed quiz is never left open (the app closes it at the deadline): the learner failed it.
    const open = !quiz.content.timeLimitMinutes && random.chance(0.5);
    const attempt = open ? answerQuiz(quiz, "pass", learning.locale, random, random.between(0.2, 0.8)) : gradedAttempt(quiz, "fail", learning);
    if (attempt) recordAttempt(learning, item, 1, attempt, atMs, minutes, !open);
    progressRow(learning, item, atMs, null, minutes * 60);
    return minutes * 60;
  }
  const plan = item.case!;
  const minutes = random.between(1, 8);
  if (plan.notFinishing.length && random.chance(0.4)) {
    caseRun(learning, item, 1, random.pick(plan.notFinishing), atMs, atMs + minutes * MINUTE);
  } else {
    const path = random.pick(plan.finishing);
    const stepsTaken = random.int(0, path.steps.length - 1);
    caseRun(learning, item, 1, { steps: path.steps.slice(0, stepsTaken), end: path.steps[stepsTaken]?.node ?? null, outcome: null }, atMs, null);
  }
  progressRow(learning, item, atMs, null, minutes * 60);
  return minutes * 60;
}
