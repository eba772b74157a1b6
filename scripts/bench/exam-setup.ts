// The exam bench's data, written straight to the database: an organisation of learners enrolled
// in a course with every module before its final assessment done, sessions made the way
// app/utils/session.server.ts makes them, and a reset of the assessment between runs.
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { createCookie } from "react-router";
import type { Question } from "../../app/content/schema.ts";

const ORGANISATION_ID = "bench-exam-org";
/** Every bench learner's id, email, membership and enrolment id starts with this. */
export const LEARNER_PREFIX = "bench-exam-";

export type ExamQuiz = { courseId: string; versionId: string; quizKey: string; questions: Map<string, Question> };

/** The course's published version and the quiz of its final-assessment module, with the answer key. */
export async function findExamQuiz(db: pg.Client, slug: string, moduleKey: string): Promise<ExamQuiz> {
  const { rows } = await db.query(
    `SELECT c.id AS "courseId", v.id AS "versionId", i.key AS "quizKey", i.content
     FROM "Course" c JOIN LATERAL (SELECT id FROM "CourseVersion" WHERE "courseId" = c.id AND "publishedAt" IS NOT NULL ORDER BY number DESC LIMIT 1) v ON true
     JOIN "Module" m ON m."courseVersionId" = v.id AND m.key = $2
     JOIN "ContentItem" i ON i."moduleId" = m.id AND i.kind = 'QUIZ'
     WHERE c.slug = $1`,
    [slug, moduleKey],
  );
  if (!rows[0]) throw new Error(`no published ${slug} with a quiz in module ${moduleKey}: did the course import fail?`);
  const questions = (rows[0].content as { questions: Question[] }).questions;
  return { courseId: rows[0].courseId, versionId: rows[0].versionId, quizKey: rows[0].quizKey, questions: new Map(questions.map((q) => [q.id, q])) };
}

/**
 * Learners 1..count in one organisation, enrolled in the quiz's course version, with every required
 * item of the first-completion modules before the quiz's module done (the course is sequential).
 * Passwords are the demo learner's hash (hashing thousands would take minutes). Rows that already
 * exist are kept, so a reused database only gains the learners it lacks.
 */
export async function prepareLearners(db: pg.Client, quiz: ExamQuiz, count: number) {
  await db.query("BEGIN");
  try {
    await db.query(`INSERT INTO "Organisation" (id, name, slug) VALUES ($1, 'Exam Bench Hospital', 'bench-exam') ON CONFLICT DO NOTHING`, [ORGANISATION_ID]);
    await db.query(
      `INSERT INTO "User" (id, email, name, profession, locale, "passwordHash", "emailVerifiedAt", "createdAt", "updatedAt")
       SELECT $2 || g, $2 || g || '@opora.test', 'Exam Learner ' || g, profession, locale, "passwordHash", now(), now(), now()
       FROM "User", generate_series(1, $1::int) g WHERE email = 'learner@opora.test'
       ON CONFLICT DO NOTHING`,
      [count, LEARNER_PREFIX],
    );
    await db.query(
      `INSERT INTO "Membership" (id, "userId", "organisationId", roles)
       SELECT $2 || 'm' || g, $2 || g, $3, ARRAY['LEARNER'] FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
      [count, LEARNER_PREFIX, ORGANISATION_ID],
    );
    await db.query(
      `INSERT INTO "Enrolment" (id, "userId", "courseId", "courseVersionId", "organisationId", source, "createdAt", "startedAt", "lastItemKey")
       SELECT $2 || 'e' || g, $2 || g, $3, $4, $5, 'ASSIGNED', now() - interval '7 days', now() - interval '7 days', $6
       FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
      [count, LEARNER_PREFIX, quiz.courseId, quiz.versionId, ORGANISATION_ID, quiz.quizKey],
    );
    await db.query(
      `INSERT INTO "ItemProgress" (id, "enrolmentId", "itemKey", "startedAt", "completedAt")
       SELECT $2 || 'p' || g || '-' || i.key, $2 || 'e' || g, i.key, now() - interval '6 days', now() - interval '6 days'
       FROM generate_series(1, $1::int) g,
         (SELECT i.key FROM "ContentItem" i JOIN "Module" m ON m.id = i."moduleId"
          WHERE i."courseVersionId" = $3 AND i.required AND NOT m."isRecertification"
            AND m.position < (SELECT m2.position FROM "ContentItem" q JOIN "Module" m2 ON m2.id = q."moduleId" WHERE q."courseVersionId" = $3 AND q.key = $4)) i
       ON CONFLICT DO NOTHING`,
      [count, LEARNER_PREFIX, quiz.versionId, quiz.quizKey],
    );
    await markAssignmentNoticesSent(db);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
}

/**
 * Each learner was told of the assignment when it was made, a week ago: without this, the app's
 * reminder sweep (daytime hours only) would send thousands of emails during the burst.
 */
async function markAssignmentNoticesSent(db: pg.Client) {
  await db.query(
    `INSERT INTO "Notification" (id, "userId", kind, "subjectId", milestone, "claimedAt", "sentAt")
     SELECT e.id || 'n', e."userId", 'assignment', e.id, 'assigned', e."createdAt", e."createdAt"
     FROM "Enrolment" e WHERE e."userId" LIKE '${LEARNER_PREFIX}%'
     ON CONFLICT DO NOTHING`,
  );
}

/**
 * Puts every bench learner back before the final assessment: no attempts, answers, certificates
 * or completion, so the next run starts the same quiz from scratch.
 */
export async function resetAssessment(db: pg.Client, quiz: ExamQuiz) {
  const mine = `LIKE '${LEARNER_PREFIX}%'`;
  await db.query("BEGIN");
  try {
    await db.query(`DELETE FROM "QuizAnswer" WHERE "attemptId" IN (SELECT id FROM "QuizAttempt" WHERE "userId" ${mine})`);
    await db.query(`DELETE FROM "QuizAttempt" WHERE "userId" ${mine}`);
    await db.query(`DELETE FROM "Certificate" WHERE "userId" ${mine}`);
    await db.query(`DELETE FROM "Notification" WHERE "userId" ${mine}`);
    await markAssignmentNoticesSent(db);
    await db.query(`DELETE FROM "ItemProgress" WHERE "enrolmentId" ${mine} AND "itemKey" = $1`, [quiz.quizKey]);
    await db.query(`UPDATE "Enrolment" SET "completedAt" = NULL, "lastItemKey" = $1 WHERE "userId" ${mine} AND "completedAt" IS NOT NULL`, [quiz.quizKey]);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
}

/**
 * A fresh session for each learner 1..count, stored as app/utils/session.server.ts stores one
 * (the table holds the SHA-256 of the secret) and with the cookie it would set over plain HTTP.
 */
export async function createSessions(db: pg.Client, count: number) {
  const cookie = createCookie("opora_session", { httpOnly: true, sameSite: "lax", path: "/" });
  const secrets = Array.from({ length: count }, () => randomBytes(32).toString("base64url"));
  await db.query(`DELETE FROM "Session" WHERE "userId" LIKE '${LEARNER_PREFIX}%'`);
  await db.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt") SELECT h, $2 || n, now() + interval '30 days' FROM unnest($1::text[]) WITH ORDINALITY AS s(h, n)`,
    [secrets.map((secret) => createHash("sha256").update(secret).digest("hex")), LEARNER_PREFIX],
  );
  return Promise.all(secrets.map(async (secret) => (await cookie.serialize(secret)).split(";")[0]));
}
