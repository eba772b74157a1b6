import { Prisma } from "../../generated/prisma/client.ts";
import type { Question } from "~/content/schema.ts";
import { checkResponse, drawQuestions, type DrawnQuestion, gradeResponse, type QuizContent, type QuizResponse, type Random, scoreAttempt } from "~/learning/quiz-logic.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { newRowId, type Queryable, sqlRow, sqlRows, sqlTransaction } from "~/utils/sql.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { afterCompletion, completeIfDone, markItemDone } from "./complete-course.server.ts";
import { getVersionItem, getVersionOutline } from "./course-version-cache.server.ts";
import { requireOpenItem } from "./learner-course.server.ts";

/** Answers arriving this long after the deadline are still taken: the network, not the learner, was late. */
export const DEADLINE_GRACE_MS = 2_000;

type AttemptRow = { id: string; enrolmentId: string; itemKey: string; questions: unknown; deadlineAt: Date | null; submittedAt: Date | null };

type QuizInfo = Awaited<ReturnType<typeof quizOf>>;

/**
 * The quiz an attempt belongs to, with its pass mark. Always loaded before a transaction opens:
 * inside one it would need a second pooled connection, and under load every connection would be
 * held by a transaction waiting for another.
 */
async function quizOf(enrolmentId: string, itemKey: string) {
  const enrolment = await db.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, select: { courseVersionId: true } });
  const [item, outline] = await Promise.all([getVersionItem(enrolment.courseVersionId, itemKey), getVersionOutline(enrolment.courseVersionId)]);
  if (item?.kind !== "QUIZ") throw new DomainError("NOT_FOUND", "errors.notFound");
  const quiz = item.content as QuizContent;
  return { quiz, title: item.title, passMark: quiz.passMark ?? outline.meta.passMark, courseVersionId: enrolment.courseVersionId };
}

/** Locks the attempt row so answers and grading never interleave, and reads it: one statement. */
async function lockAttempt(client: Queryable, attemptId: string) {
  const attempt = await sqlRow<AttemptRow & { score: number | null; passed: boolean | null }>(client, Prisma.sql`
    SELECT id, "enrolmentId", "itemKey", questions, "deadlineAt", "submittedAt", score, passed FROM "QuizAttempt" WHERE id = ${attemptId} FOR UPDATE`);
  if (!attempt) throw new DomainError("NOT_FOUND", "errors.notFound");
  return attempt;
}

/**
 * Grades an attempt once, with the answers saved so far, and records a pass (which may complete the
 * course and issue the certificate) in the same transaction. Calling it again returns the stored
 * result. Plain SQL on the transaction's connection: the lock, the answers (read after the lock, so
 * a save that got in first is counted), then the points and the result in one statement.
 */
async function gradeAttempt(client: Queryable, attemptId: string, now: Date, closedBy: "SUBMITTED" | "TIME", { quiz, passMark }: Pick<QuizInfo, "quiz" | "passMark">) {
  const attempt = await lockAttempt(client, attemptId);
  if (attempt.submittedAt) return { score: attempt.score ?? 0, passed: attempt.passed ?? false, completedNow: false };
  const drawn = attempt.questions as DrawnQuestion[];
  const answers = await sqlRows<{ id: string; questionKey: string; response: QuizResponse }>(client, Prisma.sql`SELECT id, "questionKey", response FROM "QuizAnswer" WHERE "attemptId" = ${attemptId}`);
  const points = answers.map((answer) => {
    const question = quiz.questions.find((q) => q.id === answer.questionKey);
    return question && drawn.some((d) => d.id === question.id) ? gradeResponse(question, answer.response) : 0;
  });
  const score = scoreAttempt(points, drawn.length);
  const passed = score >= passMark;
  // A deadline closes the attempt at the deadline, whenever the sweep notices.
  const submittedAt = closedBy === "TIME" && attempt.deadlineAt ? attempt.deadlineAt : now;
  await sqlRows(client, Prisma.sql`
    WITH graded AS (
      UPDATE "QuizAnswer" a SET points = p.points FROM unnest(${answers.map((a) => a.id)}::text[], ${points}::float8[]) AS p(id, points) WHERE a.id = p.id
    )
    UPDATE "QuizAttempt" SET "submittedAt" = ${submittedAt}::timestamp, "closedBy" = ${closedBy}, score = ${score}, passed = ${passed} WHERE id = ${attemptId}`);
  let completedNow = false;
  if (passed) {
    await markItemDone(client, { enrolmentId: attempt.enrolmentId, itemKey: attempt.itemKey, now: submittedAt });
    completedNow = (await completeIfDone(client, { enrolmentId: attempt.enrolmentId, now: submittedAt })).completedNow;
  }
  return { score, passed, completedNow };
}

/** Grades an attempt in a transaction of its own, then queues what a completed course sends. */
async function gradeAndFinish(attempt: { id: string; enrolmentId: string }, now: Date, closedBy: "SUBMITTED" | "TIME", quiz: Pick<QuizInfo, "quiz" | "passMark">) {
  return afterCompletion(await sqlTransaction(db.pool, (client) => gradeAttempt(client, attempt.id, now, closedBy, quiz)), attempt.enrolmentId);
}

function isExpired(attempt: { deadlineAt: Date | null }, now: Date) {
  return Boolean(attempt.deadlineAt && now.getTime() > attempt.deadlineAt.getTime() + DEADLINE_GRACE_MS);
}

/** Closes every attempt whose deadline has passed (run periodically; also done lazily on access). */
export async function closeExpiredAttempts({ clock = systemClock, limit = 500 }: { clock?: Clock; limit?: number } = {}) {
  const now = clock.now();
  const expired = await db.quizAttempt.findMany({ where: { submittedAt: null, deadlineAt: { lt: new Date(now.getTime() - DEADLINE_GRACE_MS) } }, select: { id: true, enrolmentId: true, itemKey: true }, orderBy: { deadlineAt: "asc" }, take: limit });
  for (const attempt of expired) await gradeAndFinish(attempt, now, "TIME", await quizOf(attempt.enrolmentId, attempt.itemKey));
  return expired.length;
}

/** When a learner may start again after a failed attempt (null: now). The one cooldown rule. */
function cooldownEndsAt(quiz: QuizContent, last: { submittedAt: Date | null; passed: boolean | null } | undefined) {
  if (!last?.submittedAt || last.passed || !quiz.cooldownMinutes) return null;
  return new Date(last.submittedAt.getTime() + quiz.cooldownMinutes * 60_000);
}

/** The quiz's start page: its rules, the learner's attempts and whether (and when) they may start. */
export async function getQuizOverview({ actor, slug, itemKey, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; clock?: Clock }) {
  const { enrolment, item, outline } = await requireOpenItem({ actor, slug, itemKey, kind: "QUIZ" });
  const quiz = item.content as QuizContent;
  const attempts = await attemptsOf(db.pool, enrolment.id, itemKey);
  const nextAttemptAt = cooldownEndsAt(quiz, attempts[attempts.length - 1]);
  return {
    title: item.title,
    draw: quiz.draw,
    passMark: quiz.passMark ?? outline.meta.passMark,
    timeLimitMinutes: quiz.timeLimitMinutes ?? null,
    attemptsLeft: quiz.attempts ? Math.max(0, quiz.attempts - attempts.length) : null,
    openAttempt: attempts.find((a) => !a.submittedAt)?.id ?? null,
    passed: attempts.some((a) => a.passed),
    nextAttemptAt: nextAttemptAt && nextAttemptAt > clock.now() ? nextAttemptAt : null,
    attempts,
  };
}

type AttemptSummary = { id: string; number: number; score: number | null; passed: boolean | null; deadlineAt: Date | null; submittedAt: Date | null };

/** A learner's attempts at one quiz of an enrolment, first to last (plain SQL: the quiz page and every start read them). */
function attemptsOf(on: Queryable, enrolmentId: string, itemKey: string) {
  return sqlRows<AttemptSummary>(on, Prisma.sql`
    SELECT id, number, score, passed, "deadlineAt", "submittedAt" FROM "QuizAttempt"
    WHERE "enrolmentId" = ${enrolmentId} AND "itemKey" = ${itemKey} ORDER BY number`);
}

/** How much longer than the quiz's time limit the learner gets (an organisation's adjustment; at least 1). */
async function learnerTimeFactor(userId: string) {
  const row = await sqlRow<{ factor: number | null }>(db.pool, Prisma.sql`SELECT max("quizTimeFactor") AS factor FROM "Membership" WHERE "userId" = ${userId} AND "endedAt" IS NULL`);
  return Math.max(1, row?.factor ?? 1);
}

/**
 * Starts an attempt, or returns the one already open (a reload, a second tab or a double click
 * never creates a second). Refused when the quiz is locked, already passed, out of attempts or
 * cooling down. The server draws the questions and stores them with the deadline.
 *
 * Plain SQL in one transaction of five statements: 3,000 learners may start within seconds. An open
 * attempt found past its deadline is closed first (graded as at its deadline, with what a pass
 * earns), then the start is tried again.
 */
export async function startQuizAttempt({ actor, slug, itemKey, clock = systemClock, random = Math.random }: { actor: Actor; slug: string; itemKey: string; clock?: Clock; random?: Random }) {
  const { enrolment, item, outline } = await requireOpenItem({ actor, slug, itemKey, kind: "QUIZ" });
  const quiz = item.content as QuizContent;
  const passMark = quiz.passMark ?? outline.meta.passMark;
  const factor = quiz.timeLimitMinutes ? await learnerTimeFactor(actor.id) : 1;
  const now = clock.now();
  for (;;) {
    const outcome = await sqlTransaction<{ expired: string } | { attemptId: string; resumed: boolean }>(db.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`quiz:${enrolment.id}:${itemKey}`]);
      const attempts = await attemptsOf(client, enrolment.id, itemKey);
      const open = attempts.find((a) => !a.submittedAt);
      if (open) return isExpired(open, now) ? { expired: open.id } : { attemptId: open.id, resumed: true };
      if (attempts.some((a) => a.passed)) throw new DomainError("CONFLICT", "quiz.alreadyPassed");
      if (quiz.attempts && attempts.length >= quiz.attempts) throw new DomainError("FORBIDDEN", "quiz.noAttemptsLeft");
      const last = attempts[attempts.length - 1];
      const cooldown = cooldownEndsAt(quiz, last);
      if (cooldown && now < cooldown) throw new DomainError("FORBIDDEN", "quiz.coolingDown");
      const deadlineAt = quiz.timeLimitMinutes ? new Date(now.getTime() + quiz.timeLimitMinutes * 60_000 * factor) : null;
      const attemptId = newRowId();
      // The attempt, the enrolment's "continue here" and start, and the quiz's progress row, at once.
      await sqlRows(client, Prisma.sql`
        WITH attempt AS (
          INSERT INTO "QuizAttempt" (id, "enrolmentId", "userId", "itemKey", number, questions, "startedAt", "deadlineAt")
          VALUES (${attemptId}, ${enrolment.id}, ${actor.id}, ${itemKey}, ${(last?.number ?? 0) + 1}, ${JSON.stringify(drawQuestions(quiz, random))}::jsonb, ${now}::timestamp, ${deadlineAt}::timestamp)
        ), enrolment AS (
          UPDATE "Enrolment" SET "lastItemKey" = ${itemKey}, "startedAt" = coalesce("startedAt", ${now}::timestamp) WHERE id = ${enrolment.id}
        )
        INSERT INTO "ItemProgress" (id, "enrolmentId", "itemKey", "startedAt") VALUES (${newRowId()}, ${enrolment.id}, ${itemKey}, ${now}::timestamp)
        ON CONFLICT ("enrolmentId", "itemKey") DO NOTHING`);
      return { attemptId, resumed: false };
    });
    if (!("expired" in outcome)) return outcome;
    await gradeAndFinish({ id: outcome.expired, enrolmentId: enrolment.id }, now, "TIME", { quiz, passMark });
  }
}

/** The learner's own attempt as saving an answer needs it (see requireAttemptForAnswer). */
export type AttemptForAnswer = {
  id: string;
  userId: string;
  enrolmentId: string;
  itemKey: string;
  courseVersionId: string;
  questions: DrawnQuestion[];
  deadlineAt: Date | null;
  submittedAt: Date | null;
  quiz: QuizContent;
};

/**
 * The actor's own attempt with what saving an answer checks (submitted, deadline, the drawn
 * questions and the quiz's content), in one plain SQL statement: saving is the exam's most
 * frequent request. Someone else's attempt is not found.
 */
export async function requireAttemptForAnswer({ actor, attemptId }: { actor: Actor; attemptId: string }): Promise<AttemptForAnswer> {
  const attempt = await sqlRow<Omit<AttemptForAnswer, "quiz">>(
    db.pool,
    Prisma.sql`SELECT a.id, a."userId", a."enrolmentId", a."itemKey", e."courseVersionId", a.questions, a."deadlineAt", a."submittedAt"
      FROM "QuizAttempt" a JOIN "Enrolment" e ON e.id = a."enrolmentId" WHERE a.id = ${attemptId} AND a."userId" = ${actor.id}`,
  );
  if (!attempt) throw new DomainError("NOT_FOUND", "errors.notFound");
  const item = await getVersionItem(attempt.courseVersionId, attempt.itemKey);
  if (item?.kind !== "QUIZ") throw new DomainError("NOT_FOUND", "errors.notFound");
  return { ...attempt, quiz: item.content as QuizContent };
}

/** Whether an attempt's deadline (with the grace) has passed and it is still open. */
export function isOpenPastDeadline(attempt: { deadlineAt: Date | null; submittedAt: Date | null }, now: Date) {
  return !attempt.submittedAt && isExpired(attempt, now);
}

/**
 * Saves one answer as the learner gives it. Saving the same question again replaces the answer
 * (so a retry after a dropped connection duplicates nothing). Refused for questions not drawn in
 * this attempt, after submission and after the deadline. `attempt`, when the caller has just read
 * it for this actor with requireAttemptForAnswer, spares reading it again.
 *
 * One read and one write: the write inserts only while the attempt, locked FOR SHARE, is still the
 * actor's and open. Grading locks it FOR UPDATE, so a save either commits before grading reads the
 * answers or waits and then finds the attempt submitted and writes nothing.
 */
export async function saveQuizAnswer({ actor, attemptId, questionKey, response, clock = systemClock, attempt: known }: { actor: Actor; attemptId: string; questionKey: string; response: QuizResponse; clock?: Clock; attempt?: AttemptForAnswer }) {
  const attempt = known && known.id === attemptId && known.userId === actor.id ? known : await requireAttemptForAnswer({ actor, attemptId });
  const now = clock.now();
  if (!attempt.questions.some((d) => d.id === questionKey)) throw new DomainError("INVALID", "quiz.notInAttempt");
  const question = attempt.quiz.questions.find((q) => q.id === questionKey);
  if (!question) throw new DomainError("INVALID", "quiz.notInAttempt");
  const problem = checkResponse(question, response);
  if (problem) throw new DomainError("INVALID", problem, "answer");
  if (attempt.submittedAt) throw new DomainError("CONFLICT", "quiz.alreadySubmitted");
  if (isExpired(attempt, now)) {
    // Close it, then tell the learner why the answer was refused.
    const passMark = attempt.quiz.passMark ?? (await getVersionOutline(attempt.courseVersionId)).meta.passMark;
    await gradeAndFinish(attempt, now, "TIME", { quiz: attempt.quiz, passMark });
    throw new DomainError("FORBIDDEN", "quiz.timeUp");
  }
  const saved = await sqlRow<{ id: string }>(
    db.pool,
    Prisma.sql`INSERT INTO "QuizAnswer" (id, "attemptId", "questionKey", response, "answeredAt")
      SELECT ${newRowId()}, a.id, ${questionKey}::text, ${JSON.stringify(response)}::jsonb, ${now}::timestamp(3)
      FROM (SELECT id FROM "QuizAttempt" WHERE id = ${attemptId} AND "userId" = ${actor.id} AND "submittedAt" IS NULL
        AND ("deadlineAt" IS NULL OR "deadlineAt" >= ${new Date(now.getTime() - DEADLINE_GRACE_MS)}::timestamp(3)) FOR SHARE) a
      ON CONFLICT ("attemptId", "questionKey") DO UPDATE SET response = EXCLUDED.response, "answeredAt" = EXCLUDED."answeredAt"
      RETURNING id`,
  );
  // Open when read, closed when written: submitted (or closed by the sweep) in between.
  if (!saved) throw new DomainError("CONFLICT", "quiz.alreadySubmitted");
  return { saved: true };
}

/** Submits an attempt for grading. Submitting twice (two tabs, a retry) returns the same result. */
export async function submitQuizAttempt({ actor, attemptId, clock = systemClock }: { actor: Actor; attemptId: string; clock?: Clock }) {
  const attempt = await requireAttemptForAnswer({ actor, attemptId });
  const now = clock.now();
  const passMark = attempt.quiz.passMark ?? (await getVersionOutline(attempt.courseVersionId)).meta.passMark;
  return gradeAndFinish(attempt, now, isExpired(attempt, now) ? "TIME" : "SUBMITTED", { quiz: attempt.quiz, passMark });
}

export type PublicQuestion = {
  id: string;
  kind: Question["kind"];
  prompt: Record<string, string | undefined>;
  options?: Array<{ id: string; text: Record<string, string | undefined> }>;
  lefts?: Array<{ id: string; text: Record<string, string | undefined> }>;
  rights?: Array<{ id: string; text: Record<string, string | undefined> }>;
  items?: Array<{ id: string; text: Record<string, string | undefined> }>;
};

/** A drawn question as the learner sees it during the attempt: no correct answers, no feedback. */
function publicQuestion(question: Question, drawn: DrawnQuestion): PublicQuestion {
  const base = { id: question.id, kind: question.kind, prompt: question.prompt };
  switch (question.kind) {
    case "single":
    case "multiple":
      return { ...base, options: (drawn.options ?? question.options.map((o) => o.id)).map((id) => ({ id, text: question.options.find((o) => o.id === id)!.text })) };
    case "matching":
      return { ...base, lefts: question.pairs.map((p) => ({ id: p.id, text: p.left })), rights: (drawn.rights ?? question.pairs.map((p) => p.id)).map((id) => ({ id, text: question.pairs.find((p) => p.id === id)!.right })) };
    case "ordering":
      return { ...base, items: (drawn.items ?? question.items.map((i) => i.id)).map((id) => ({ id, text: question.items.find((i) => i.id === id)!.text })) };
    default:
      return base;
  }
}

type AttemptView = AttemptRow & {
  courseVersionId: string;
  number: number;
  startedAt: Date;
  closedBy: string | null;
  score: number | null;
  passed: boolean | null;
  answers: Array<{ questionKey: string; response: QuizResponse; points: number | null }>;
};

/** The actor's own attempt with its answers and its enrolment's course version: one plain SQL statement. */
async function readAttemptView(actor: Actor, attemptId: string) {
  const attempt = await sqlRow<AttemptView>(
    db.pool,
    Prisma.sql`SELECT a.id, a."enrolmentId", a."itemKey", a.questions, a."deadlineAt", a."submittedAt", a.number, a."startedAt", a."closedBy", a.score, a.passed, e."courseVersionId",
        COALESCE((SELECT json_agg(json_build_object('questionKey', q."questionKey", 'response', q.response, 'points', q.points)) FROM "QuizAnswer" q WHERE q."attemptId" = a.id), '[]') AS answers
      FROM "QuizAttempt" a JOIN "Enrolment" e ON e.id = a."enrolmentId" WHERE a.id = ${attemptId} AND a."userId" = ${actor.id}`,
  );
  if (!attempt) throw new DomainError("NOT_FOUND", "errors.notFound");
  return attempt;
}

/** The learner's own attempt with their saved answers; an attempt past its deadline is closed first. */
export async function getQuizAttempt({ actor, attemptId, clock = systemClock }: { actor: Actor; attemptId: string; clock?: Clock }) {
  let attempt = await readAttemptView(actor, attemptId);
  const now = clock.now();
  const [item, outline] = await Promise.all([getVersionItem(attempt.courseVersionId, attempt.itemKey), getVersionOutline(attempt.courseVersionId)]);
  if (item?.kind !== "QUIZ") throw new DomainError("NOT_FOUND", "errors.notFound");
  const quiz = item.content as QuizContent;
  const passMark = quiz.passMark ?? outline.meta.passMark;
  if (!attempt.submittedAt && isExpired(attempt, now)) {
    await gradeAndFinish(attempt, now, "TIME", { quiz, passMark });
    attempt = await readAttemptView(actor, attemptId);
  }
  const drawn = attempt.questions as DrawnQuestion[];
  const questions = drawn.map((d) => quiz.questions.find((q) => q.id === d.id)!);
  const reviewAllowed = Boolean(attempt.submittedAt) && (quiz.review === "after-attempt" || attempt.passed === true);
  return {
    attempt: {
      id: attempt.id,
      itemKey: attempt.itemKey,
      number: attempt.number,
      startedAt: attempt.startedAt,
      deadlineAt: attempt.deadlineAt,
      submittedAt: attempt.submittedAt,
      closedBy: attempt.closedBy,
      score: attempt.score,
      passed: attempt.passed,
    },
    title: item.title,
    passMark,
    questions: questions.map((q, index) => publicQuestion(q, drawn[index])),
    answers: Object.fromEntries(attempt.answers.map((a) => [a.questionKey, { response: a.response, points: a.points }])),
    review: reviewAllowed ? questions : null,
  };
}
