import type { Question } from "~/content/schema.ts";
import { assertCanAuthorCourse, authorableCourses } from "~/domain/course-authoring-access.server.ts";
import { getVersionOutline, type LocalisedText } from "~/domain/course-version-cache.server.ts";
import { type OrganiserScope, scopeSql, WHOLE_ORGANISATION } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { analyseQuiz, type FirstAttemptAnswer, FULLY_CORRECT_POINTS, MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION, type OptionTally, type QuestionTally } from "./item-analysis.ts";

// Item analysis of one quiz (a course's item key, over every published version): what is counted
// in PostgreSQL, in four set-based queries over the submitted attempts in scope. The arithmetic and
// the formulas are in item-analysis.ts. Trainers who may change the course and admins see every
// learner; an organiser sees the attempts its current members made in enrolments through the
// organisation, in every round (a renewal's retake is an attempt at the same questions).

type Scope = { courseId: string; itemKey: string; organisationId: string | null; organiser: OrganiserScope };

/** The submitted attempts in scope, with the version each was taken in. */
function scopedAttempts({ courseId, itemKey, organisationId, organiser }: Scope) {
  const members = organisationId
    ? Prisma.sql`AND e."organisationId" = ${organisationId}
        AND EXISTS (SELECT 1 FROM "Membership" m WHERE m."userId" = qa."userId" AND m."organisationId" = ${organisationId} AND m."endedAt" IS NULL ${scopeSql(organiser, Prisma.sql`m."departmentId"`)})`
    : Prisma.empty;
  return Prisma.sql`SELECT qa.id, qa."userId", qa.questions, qa."startedAt", qa.number, e."courseVersionId"
    FROM "QuizAttempt" qa JOIN "Enrolment" e ON e.id = qa."enrolmentId"
    WHERE e."courseId" = ${courseId} AND qa."itemKey" = ${itemKey} AND qa."submittedAt" IS NOT NULL ${members}`;
}

/** Counts for the page: attempts and people, per question, per chosen option, and first-attempt answers. */
async function countAttempts(scope: Scope) {
  const scoped = scopedAttempts(scope);
  // A question counts as shown when the attempt drew it (QuizAttempt.questions), answered or not.
  const drawn = Prisma.sql`scoped s CROSS JOIN LATERAL jsonb_array_elements(s.questions) AS d(item)`;
  const [totals, questionTallies, optionTallies, firstAttemptAnswers] = await Promise.all([
    db.$queryRaw<Array<{ attempts: number; people: number }>>`WITH scoped AS (${scoped})
      SELECT count(*)::int AS attempts, count(DISTINCT "userId")::int AS people FROM scoped`,
    db.$queryRaw<QuestionTally[]>`WITH scoped AS (${scoped})
      SELECT d.item->>'id' AS "questionKey", count(*)::int AS shown, count(*) FILTER (WHERE ans.points >= ${FULLY_CORRECT_POINTS})::int AS "fullyCorrect"
      FROM ${drawn} LEFT JOIN "QuizAnswer" ans ON ans."attemptId" = s.id AND ans."questionKey" = d.item->>'id'
      GROUP BY 1`,
    // Single choice stores { optionId }, multiple choice { optionIds }; other kinds choose no option.
    db.$queryRaw<OptionTally[]>`WITH scoped AS (${scoped})
      SELECT s."courseVersionId", ans."questionKey", chosen.id AS "optionId", count(*)::int AS chosen
      FROM ${drawn} JOIN "QuizAnswer" ans ON ans."attemptId" = s.id AND ans."questionKey" = d.item->>'id'
      CROSS JOIN LATERAL (
        SELECT ans.response->>'optionId' AS id WHERE jsonb_typeof(ans.response->'optionId') = 'string'
        UNION ALL
        SELECT value FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(ans.response->'optionIds') = 'array' THEN ans.response->'optionIds' ELSE '[]'::jsonb END)
      ) AS chosen
      GROUP BY 1, 2, 3`,
    // Each learner's first submitted attempt in scope, every drawn question with its points.
    db.$queryRaw<FirstAttemptAnswer[]>`WITH scoped AS (${scoped}),
        first AS (SELECT DISTINCT ON ("userId") * FROM scoped ORDER BY "userId", "startedAt", number, id)
      SELECT s.id AS "attemptId", d.item->>'id' AS "questionKey", coalesce(ans.points, 0)::float8 AS points
      FROM first s CROSS JOIN LATERAL jsonb_array_elements(s.questions) AS d(item)
      LEFT JOIN "QuizAnswer" ans ON ans."attemptId" = s.id AND ans."questionKey" = d.item->>'id'`,
  ]);
  return { ...totals[0], questionTallies, optionTallies, firstAttemptAnswers };
}

/** The quiz in every published version of the course, newest first; "not found" if no version has it. */
async function quizVersions(courseId: string, itemKey: string) {
  const items = await db.contentItem.findMany({
    where: { key: itemKey, kind: "QUIZ", courseVersion: { courseId, publishedAt: { not: null } } },
    orderBy: { courseVersion: { number: "desc" } },
    select: { courseVersionId: true, title: true, content: true, courseVersion: { select: { number: true } } },
  });
  if (!items.length) throw new DomainError("NOT_FOUND", "errors.notFound");
  return items;
}

async function analyse(scope: Scope) {
  const items = await quizVersions(scope.courseId, scope.itemKey);
  const [outline, counts] = await Promise.all([getVersionOutline(items[0].courseVersionId), countAttempts(scope)]);
  const analysis = analyseQuiz({
    versions: items.map((item) => ({ courseVersionId: item.courseVersionId, number: item.courseVersion.number, questions: (item.content as { questions: Question[] }).questions })),
    outcomes: outline.meta.outcomes,
    questionTallies: counts.questionTallies,
    optionTallies: counts.optionTallies,
    firstAttemptAnswers: counts.firstAttemptAnswers,
    minimumFirstAttempts: MIN_FIRST_ATTEMPTS_FOR_DISCRIMINATION,
  });
  return { courseTitle: outline.meta.title, quizTitle: items[0].title as LocalisedText, attempts: counts.attempts, people: counts.people, ...analysis };
}

/** For trainers who may change the course, and admins: every learner's submitted attempts. */
export async function getCourseQuizAnalysis({ actor, slug, itemKey }: { actor: Actor; slug: string; itemKey: string }) {
  const course = await assertCanAuthorCourse(actor, slug);
  return { scope: "course" as const, slug: course.slug, ...(await analyse({ courseId: course.id, itemKey, organisationId: null, organiser: WHOLE_ORGANISATION })) };
}

/**
 * For an organisation's organisers, and admins: its current members' attempts only (a department
 * organiser's: their departments' members). A course none
 * of its people is enrolled in through it is "not found", as on the course report.
 */
export async function getOrganisationQuizAnalysis({ actor, organisationId, courseId, itemKey }: { actor: Actor; organisationId: string; courseId: string; itemKey: string }) {
  const organiser = await assertCanManageOrganisation(actor, organisationId);
  const [course, organisation] = await Promise.all([
    db.course.findFirst({ where: { id: courseId, enrolments: { some: { organisationId } } }, select: { id: true } }),
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } }),
  ]);
  if (!course) throw new DomainError("NOT_FOUND", "errors.notFound");
  return { scope: "organisation" as const, organisationName: organisation.name, ...(await analyse({ courseId: course.id, itemKey, organisationId, organiser })) };
}

/** The courses an actor may change, each with the quizzes of its latest published version (for the authoring index). */
export async function authorableCoursesWithQuizzes(actor: Actor) {
  const courses = await authorableCourses(actor);
  const versions = await db.courseVersion.findMany({
    where: { courseId: { in: courses.map((c) => c.id) }, publishedAt: { not: null } },
    distinct: ["courseId"],
    orderBy: [{ courseId: "asc" }, { number: "desc" }],
    select: { courseId: true, items: { where: { kind: "QUIZ" }, orderBy: [{ module: { position: "asc" } }, { position: "asc" }], select: { key: true, title: true } } },
  });
  const quizzesOf = new Map(versions.map((v) => [v.courseId, v.items.map((item) => ({ key: item.key, title: item.title as LocalisedText }))]));
  return courses.map((course) => ({ ...course, quizzes: quizzesOf.get(course.id) ?? [] }));
}
