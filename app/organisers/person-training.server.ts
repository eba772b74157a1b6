import { assertPersonInScope } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import type { Locale } from "~/i18n/index.ts";
import { describeEvents, EVENT_FIELDS } from "~/privacy/audit-log.server.ts";

/**
 * A person's training as their organisation's organiser sees it: the enrolments reported to this
 * organisation (every cycle), quiz attempts, due-date extensions, and the history of what was done
 * about them here. Nothing from other organisations or from after they left.
 */
export async function getPersonTraining({ actor, organisationId, userId, locale }: { actor: Actor; organisationId: string; userId: string; locale: Locale }) {
  // Someone outside a department organiser's departments is "not found", like a person of another organisation.
  await assertPersonInScope(await assertCanManageOrganisation(actor, organisationId), organisationId, userId);
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
    db.auditEvent.findMany({ where: { organisationId, subjectUserId: userId }, orderBy: { at: "desc" }, take: 50, select: EVENT_FIELDS }),
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { timeZone: true } }),
  ]);
  // Worded as the audit log words them (a deleted account is not named).
  const events = await describeEvents(history, { locale, timeZone: organisation.timeZone, viewerId: null });
  return {
    timeZone: organisation.timeZone,
    enrolments: enrolments.map(({ courseVersion, quizAttempts, ...e }) => ({
      ...e,
      title: (courseVersion.meta as { title: Record<string, string> }).title,
      attempts: quizAttempts.length,
      bestScore: quizAttempts.reduce<number | null>((best, a) => (a.score !== null && (best === null || a.score > best) ? a.score : best), null),
      extensions: extensions.filter((x) => x.enrolmentId === e.id),
    })),
    history: events.map((e) => ({ id: e.id, time: e.time, action: e.actionLabel, actor: e.actor })),
  };
}
