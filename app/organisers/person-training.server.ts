import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";

/**
 * A person's training as their organisation's organiser sees it: the enrolments reported to this
 * organisation (every cycle), quiz attempts, due-date extensions, and the history of what was done
 * about them here. Nothing from other organisations or from after they left.
 */
export async function getPersonTraining({ actor, organisationId, userId }: { actor: Actor; organisationId: string; userId: string }) {
  await assertCanManageOrganisation(actor, organisationId);
  const enrolments = await db.enrolment.findMany({
    where: { userId, organisationId },
    orderBy: [{ createdAt: "desc" }],
    select: {
      id: true,
      cycle: true,
      kind: true,
      source: true,
      createdAt: true,
      startedAt: true,
      completedAt: true,
      dueAt: true,
      exemptedAt: true,
      exemptionReason: true,
      timeSpentSeconds: true,
      courseVersion: { select: { meta: true } },
      quizAttempts: { where: { submittedAt: { not: null } }, select: { itemKey: true, score: true, passed: true, submittedAt: true }, orderBy: { submittedAt: "asc" } },
    },
  });
  const [extensions, history, organisation] = await Promise.all([
    db.dueDateExtension.findMany({ where: { enrolmentId: { in: enrolments.map((e) => e.id) } }, orderBy: { createdAt: "asc" }, select: { enrolmentId: true, dueAt: true, reason: true, createdAt: true } }),
    db.auditEvent.findMany({ where: { organisationId, subjectUserId: userId }, orderBy: { at: "desc" }, take: 50, select: { id: true, at: true, action: true, actorId: true, data: true } }),
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { timeZone: true } }),
  ]);
  const actors = new Map((await db.user.findMany({ where: { id: { in: [...new Set(history.map((h) => h.actorId).filter((id): id is string => Boolean(id)))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    timeZone: organisation.timeZone,
    enrolments: enrolments.map(({ courseVersion, quizAttempts, ...e }) => ({
      ...e,
      title: (courseVersion.meta as { title: Record<string, string> }).title,
      attempts: quizAttempts.length,
      bestScore: quizAttempts.reduce<number | null>((best, a) => (a.score !== null && (best === null || a.score > best) ? a.score : best), null),
      extensions: extensions.filter((x) => x.enrolmentId === e.id),
    })),
    history: history.map((h) => ({ id: h.id, at: h.at, action: h.action, actor: h.actorId ? (actors.get(h.actorId) ?? "") : null })),
  };
}
