import { getVersionOutline } from "~/domain/course-version-cache.server.ts";
import { scopeSql } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";

// How one course goes in an organisation: how far people get (module by module), how long it
// takes, and how the quizzes go. Who counts is the dashboard's rule, read from TrainingStatus
// (ADR 0010): each current member's latest round of the course in this organisation, so the
// report's enrolled, started and completed are the dashboard's figures for the course. A department
// organiser's report counts their departments' people only, as their dashboard does.
//
// The funnel shows the modules of a first completion. A renewal along a refresher path repeats only
// some of them, so it counts among the enrolled but not in the modules it does not repeat.

export async function getCourseReport({ actor, organisationId, courseId }: { actor: Actor; organisationId: string; courseId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const version = await db.courseVersion.findFirst({ where: { courseId, publishedAt: { not: null }, enrolments: { some: { organisationId } } }, orderBy: { number: "desc" }, select: { id: true } });
  if (!version) throw new DomainError("NOT_FOUND", "errors.notFound");
  const outline = await getVersionOutline(version.id);
  const modules = outline.modules.filter((m) => !m.isRecertification);
  // Each required item with its module and how many required items the module has.
  const required = modules.flatMap((module) => {
    const keys = module.items.filter((i) => i.required).map((i) => i.key);
    return keys.map((itemKey) => ({ moduleKey: module.key, itemKey, count: keys.length }));
  });
  const quizKeys = modules.flatMap((m) => m.items.filter((i) => i.kind === "QUIZ").map((i) => ({ key: i.key, title: i.title })));

  const counted = Prisma.sql`SELECT ts."enrolmentId", ts."startedAt", ts."completedAt" FROM "TrainingStatus" ts
    WHERE ts."organisationId" = ${organisationId} AND ts."courseId" = ${courseId} AND ts."member" AND ts."enrolmentId" IS NOT NULL
      ${scopeSql(scope, Prisma.sql`ts."departmentId"`)}`;
  const [[totals], moduleRows, quizRows] = await Promise.all([
    db.$queryRaw<Array<{ enrolled: bigint; started: bigint; completed: bigint; medianMinutes: number | null }>>`
      SELECT count(*) AS enrolled,
        count(*) FILTER (WHERE latest."startedAt" IS NOT NULL OR latest."completedAt" IS NOT NULL) AS started,
        count(*) FILTER (WHERE latest."completedAt" IS NOT NULL) AS completed,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY e."timeSpentSeconds") FILTER (WHERE latest."completedAt" IS NOT NULL) / 60 AS "medianMinutes"
      FROM (${counted}) latest JOIN "Enrolment" e ON e.id = latest."enrolmentId"`,
    // Every module at once: an enrolment completed a module when it completed all its required items.
    required.length
      ? db.$queryRaw<Array<{ moduleKey: string; completed: bigint }>>`
          SELECT done."moduleKey", count(*) AS completed FROM (
            SELECT r."moduleKey", ip."enrolmentId"
            FROM (${counted}) latest
              JOIN "ItemProgress" ip ON ip."enrolmentId" = latest."enrolmentId" AND ip."completedAt" IS NOT NULL
              JOIN unnest(${required.map((r) => r.moduleKey)}::text[], ${required.map((r) => r.itemKey)}::text[], ${required.map((r) => r.count)}::int[]) AS r("moduleKey", "itemKey", "count") ON r."itemKey" = ip."itemKey"
            GROUP BY r."moduleKey", ip."enrolmentId"
            HAVING count(*) = min(r."count")
          ) done
          GROUP BY done."moduleKey"`
      : [],
    db.$queryRaw<Array<{ itemKey: string; people: bigint; attempts: bigint; passed: bigint; firstTime: bigint; averageScore: number | null }>>`
      SELECT qa."itemKey", count(DISTINCT qa."enrolmentId") AS people, count(*) AS attempts,
        count(DISTINCT qa."enrolmentId") FILTER (WHERE qa.passed) AS passed,
        count(*) FILTER (WHERE qa.passed AND qa.number = 1) AS "firstTime",
        avg(qa.score) AS "averageScore"
      FROM "QuizAttempt" qa JOIN (${counted}) latest ON latest."enrolmentId" = qa."enrolmentId"
      WHERE qa."submittedAt" IS NOT NULL
      GROUP BY qa."itemKey"`,
  ]);
  const completedModule = new Map(moduleRows.map((r) => [r.moduleKey, Number(r.completed)]));
  const byKey = new Map(quizRows.map((r) => [r.itemKey, r]));
  return {
    title: outline.meta.title,
    enrolled: Number(totals.enrolled),
    started: Number(totals.started),
    completed: Number(totals.completed),
    medianMinutes: totals.medianMinutes === null ? null : Math.round(Number(totals.medianMinutes)),
    funnel: modules.map((module) => ({ key: module.key, title: module.title, completed: completedModule.get(module.key) ?? 0 })),
    quizzes: quizKeys.map((quiz) => {
      const row = byKey.get(quiz.key);
      return { key: quiz.key, title: quiz.title, people: Number(row?.people ?? 0), attempts: Number(row?.attempts ?? 0), passed: Number(row?.passed ?? 0), firstTime: Number(row?.firstTime ?? 0), averageScore: row?.averageScore === null || row?.averageScore === undefined ? null : Math.round(Number(row.averageScore)) };
    }),
  };
}
