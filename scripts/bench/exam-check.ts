// After an exam burst: does the database hold exactly what the learners were told was saved?
import type pg from "pg";
import type { Observations } from "./exam-learner.ts";
import { LEARNER_PREFIX } from "./exam-setup.ts";

type AttemptRow = { id: string; userId: string; submitted: boolean; closedBy: string | null; score: number | null; passed: boolean | null; keys: string[]; graded: number; ungraded: number; quizDone: boolean; completed: boolean; certificate: boolean };

/**
 * Compares every bench learner's attempts, answers and submissions with what the client saw
 * acknowledged. A request that got no answer (network error, time-out, 5xx) may or may not have
 * been stored: such rows are reported as "in doubt" and allowed. Returns the lines to print and
 * whether the check passed.
 */
export async function checkDatabase(db: pg.Client, quizKey: string, seen: Observations) {
  const { rows } = await db.query<AttemptRow>(
    `SELECT a.id, a."userId", a."submittedAt" IS NOT NULL AS submitted, a."closedBy", a.score, a.passed,
       coalesce(array_agg(q."questionKey") FILTER (WHERE q.id IS NOT NULL), '{}') AS keys,
       count(q.id) FILTER (WHERE q.points IS NOT NULL)::int AS graded,
       count(q.id) FILTER (WHERE q.points IS NULL)::int AS ungraded,
       EXISTS (SELECT 1 FROM "ItemProgress" p WHERE p."enrolmentId" = a."enrolmentId" AND p."itemKey" = $1 AND p."completedAt" IS NOT NULL) AS "quizDone",
       EXISTS (SELECT 1 FROM "Enrolment" e WHERE e.id = a."enrolmentId" AND e."completedAt" IS NOT NULL) AS completed,
       EXISTS (SELECT 1 FROM "Certificate" c WHERE c."enrolmentId" = a."enrolmentId") AS certificate
     FROM "QuizAttempt" a LEFT JOIN "QuizAnswer" q ON q."attemptId" = a.id
     WHERE a."userId" LIKE $2 AND a."itemKey" = $1
     GROUP BY a.id`,
    [quizKey, `${LEARNER_PREFIX}%`],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const attemptsPerLearner = new Map<string, number>();
  for (const row of rows) attemptsPerLearner.set(row.userId, (attemptsPerLearner.get(row.userId) ?? 0) + 1);

  const unknownAttempts = rows.filter((row) => !seen.startedAttempts.has(row.id)).length;
  const lostAttempts = [...seen.startedAttempts].filter((id) => !byId.has(id)).length;
  const doubleAttempts = [...attemptsPerLearner.values()].filter((n) => n > 1).length;

  let acknowledged = 0;
  let stored = 0;
  let missing = 0;
  let extra = 0;
  let inDoubt = 0;
  for (const row of rows) {
    const saved = seen.savedAnswers.get(row.id) ?? new Set<string>();
    const unsure = seen.unsureAnswers.get(row.id) ?? new Set<string>();
    const keys = new Set(row.keys);
    acknowledged += saved.size;
    stored += keys.size;
    for (const key of saved) if (!keys.has(key)) missing++;
    for (const key of keys) {
      if (saved.has(key)) continue;
      if (unsure.has(key)) inDoubt++;
      else extra++;
    }
  }
  for (const [id, saved] of seen.savedAnswers) if (!byId.has(id)) missing += saved.size;

  const submittedRows = rows.filter((row) => row.submitted);
  const submissionsMissing = [...seen.submitted].filter((id) => !byId.get(id)?.submitted).length;
  const submissionsExtra = submittedRows.filter((row) => !seen.submitted.has(row.id) && !seen.unsureSubmits.has(row.id)).length;
  const submissionsInDoubt = submittedRows.filter((row) => !seen.submitted.has(row.id) && seen.unsureSubmits.has(row.id)).length;
  const closedByTime = submittedRows.filter((row) => row.closedBy !== "SUBMITTED").length;

  // Grading is one transaction: a submitted attempt has a score, a result and points on every
  // answer; an open one has none; a pass marks the quiz done, completes the course (every other
  // module is done) and issues the certificate.
  const halfGraded = rows.filter((row) =>
    row.submitted
      ? row.score === null || row.passed === null || row.ungraded > 0 || (row.passed && (!row.quizDone || !row.completed || !row.certificate))
      : row.graded > 0 || row.score !== null || row.passed !== null,
  ).length;

  const passed =
    lostAttempts === 0 && unknownAttempts <= seen.unsureStarts && doubleAttempts === 0 && missing === 0 && extra === 0 && submissionsMissing === 0 && submissionsExtra === 0 && halfGraded === 0;
  const lines = [
    `attempts: ${seen.startedAttempts.size} started as far as learners know, ${rows.length} in the database (lost ${lostAttempts}, unknown ${unknownAttempts} of which ${Math.min(unknownAttempts, seen.unsureStarts)} from starts that got no answer, learners with two or more ${doubleAttempts})`,
    `answers: ${acknowledged} acknowledged, ${stored} in the database (missing ${missing}, extra ${extra}, in doubt ${inDoubt}: stored although the request failed)`,
    `submissions: ${seen.submitted.size} acknowledged, ${submittedRows.length} submitted in the database (missing ${submissionsMissing}, extra ${submissionsExtra}, in doubt ${submissionsInDoubt}; closed by the time limit ${closedByTime})`,
    `half-graded attempts: ${halfGraded}; passed ${submittedRows.filter((row) => row.passed).length}, failed ${submittedRows.filter((row) => row.passed === false).length}, certificates ${submittedRows.filter((row) => row.certificate).length}`,
  ];
  return { passed, lines };
}
