import { getVersionOutline } from "~/domain/course-version-cache.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";

// How one course goes in an organisation: how far people get (module by module), how long it
// takes, and how the quizzes go. Over each current member's latest enrolment in the course.

export async function getCourseReport({ actor, organisationId, courseId }: { actor: Actor; organisationId: string; courseId: string }) {
  await assertCanManageOrganisation(actor, organisationId);
  const version = await db.courseVersion.findFirst({ where: { courseId, publishedAt: { not: null }, enrolments: { some: { organisationId } } }, orderBy: { number: "desc" }, select: { id: true } });
  if (!version) throw new DomainError("NOT_FOUND", "errors.notFound");
  const outline = await getVersionOutline(version.id);
  const latest = `SELECT e.* FROM "Enrolment" e JOIN "Membership" m ON m."userId" = e."userId" AND m."organisationId" = $1 AND m."endedAt" IS NULL
    WHERE e."organisationId" = $1 AND e."courseId" = $2 AND e.kind = 'INITIAL'
      AND NOT EXISTS (SELECT 1 FROM "Enrolment" later WHERE later."userId" = e."userId" AND later."courseId" = e."courseId" AND later.cycle > e.cycle)`;
  const [totals] = await db.$queryRawUnsafe<Array<{ enrolled: bigint; started: bigint; completed: bigint; medianMinutes: number | null }>>(
    `SELECT count(*) AS enrolled, count(*) FILTER (WHERE "startedAt" IS NOT NULL) AS started, count(*) FILTER (WHERE "completedAt" IS NOT NULL) AS completed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY "timeSpentSeconds") FILTER (WHERE "completedAt" IS NOT NULL) / 60 AS "medianMinutes"
     FROM (${latest}) latest`,
    organisationId,
    courseId,
  );
  const modules = outline.modules.filter((m) => !m.isRecertification);
  const funnel = [];
  for (const module of modules) {
    const required = module.items.filter((i) => i.required).map((i) => i.key);
    const [row] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(*) AS n FROM (
         SELECT ip."enrolmentId" FROM "ItemProgress" ip JOIN (${latest}) latest ON latest.id = ip."enrolmentId"
         WHERE ip."itemKey" = ANY($3::text[]) AND ip."completedAt" IS NOT NULL
         GROUP BY ip."enrolmentId" HAVING count(*) = $4
       ) done`,
      organisationId,
      courseId,
      required,
      required.length,
    );
    funnel.push({ key: module.key, title: module.title, completed: Number(row.n) });
  }
  const quizKeys = modules.flatMap((m) => m.items.filter((i) => i.kind === "QUIZ").map((i) => ({ key: i.key, title: i.title })));
  const quizRows = await db.$queryRawUnsafe<Array<{ itemKey: string; people: bigint; attempts: bigint; passed: bigint; firstTime: bigint; averageScore: number | null }>>(
    `SELECT qa."itemKey", count(DISTINCT qa."enrolmentId") AS people, count(*) AS attempts,
       count(DISTINCT qa."enrolmentId") FILTER (WHERE qa.passed) AS passed,
       count(*) FILTER (WHERE qa.passed AND qa.number = 1) AS "firstTime",
       avg(qa.score) AS "averageScore"
     FROM "QuizAttempt" qa JOIN (${latest}) latest ON latest.id = qa."enrolmentId"
     WHERE qa."submittedAt" IS NOT NULL
     GROUP BY qa."itemKey"`,
    organisationId,
    courseId,
  );
  const byKey = new Map(quizRows.map((r) => [r.itemKey, r]));
  return {
    title: outline.meta.title,
    enrolled: Number(totals.enrolled),
    started: Number(totals.started),
    completed: Number(totals.completed),
    medianMinutes: totals.medianMinutes === null ? null : Math.round(Number(totals.medianMinutes)),
    funnel,
    quizzes: quizKeys.map((quiz) => {
      const row = byKey.get(quiz.key);
      return { key: quiz.key, title: quiz.title, people: Number(row?.people ?? 0), attempts: Number(row?.attempts ?? 0), passed: Number(row?.passed ?? 0), firstTime: Number(row?.firstTime ?? 0), averageScore: row?.averageScore === null || row?.averageScore === undefined ? null : Math.round(Number(row.averageScore)) };
    }),
  };
}
