import { addDays, localDate } from "~/certificates/expiry.ts";
import { sendEmail } from "~/email/mailer.server.ts";
import { emails } from "~/email/templates.ts";
import { formatDate, isLocale, pick } from "~/i18n/index.ts";
import { alreadyNotified, sendOnce, sentNotices } from "~/notifications/ledger.server.ts";
import type { Clock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { type OrganiserScope, scopeOfMembership, scopeSql } from "~/domain/organiser-scope.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { publicUrl } from "~/utils/env.server.ts";

// Reminders about assigned training, through the one notification ledger (each milestone once):
// "you have been assigned", "due within 7 days", "overdue", and a weekly digest for organisers.
// They go out at the organisation's reminder hour or later on the same day (until 20:00), never
// at night. Optional ones can be turned off by the recipient (User.mutedNotices).

const LAST_HOUR = 20;
const OVERDUE_NOTICE_DAYS = 30;
const ASSIGNED_NOTICE_DAYS = 14;

function localHour(now: Date, timeZone: string) {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" }).format(now));
}

/** ISO week of a calendar date, e.g. "2026-W48": one digest per week and organiser. */
export function isoWeek(date: string) {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - weekday + 3);
  const firstThursday = new Date(Date.UTC(day.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((day.getTime() - firstThursday.getTime()) / 864e5 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export async function sweepAssignmentNotices({ clock }: { clock: Clock }) {
  const now = clock.now();
  const organisations = await db.organisation.findMany({ where: { archivedAt: null }, select: { id: true, name: true, timeZone: true, reminderHour: true } });
  const outcome = { assigned: 0, dueSoon: 0, overdue: 0, digests: 0 };
  for (const organisation of organisations) {
    const hour = localHour(now, organisation.timeZone);
    if (hour < organisation.reminderHour || hour >= LAST_HOUR) continue;
    const enrolments = await db.enrolment.findMany({
      where: {
        organisationId: organisation.id,
        source: { in: ["ASSIGNED", "RULE"] },
        completedAt: null,
        exemptedAt: null,
        user: { deletedAt: null },
        OR: [{ createdAt: { gte: new Date(now.getTime() - ASSIGNED_NOTICE_DAYS * 864e5) } }, { dueAt: { gte: new Date(now.getTime() - OVERDUE_NOTICE_DAYS * 864e5), lte: new Date(now.getTime() + 7 * 864e5) } }],
      },
      select: { id: true, userId: true, dueAt: true, createdAt: true, course: { select: { slug: true } }, courseVersionId: true, user: { select: { email: true, name: true, locale: true, mutedNotices: true } } },
    });
    const sent = await sentNotices("assignment", enrolments.map((e) => ({ userId: e.userId, subjectId: e.id })));
    // Course titles once per version, not once per learner: a ward assigned at once is thousands of rows.
    const versions = await db.courseVersion.findMany({ where: { id: { in: [...new Set(enrolments.map((e) => e.courseVersionId))] } }, select: { id: true, meta: true } });
    const titles = new Map(versions.map((v) => [v.id, (v.meta as { title: Record<string, string> }).title]));
    for (const enrolment of enrolments) {
      const { user } = enrolment;
      const locale = isLocale(user.locale) ? user.locale : "sl";
      const values = { name: user.name, course: pick(titles.get(enrolment.courseVersionId), locale), organisation: organisation.name, due: enrolment.dueAt ? formatDate(enrolment.dueAt, locale, organisation.timeZone) : "", url: publicUrl(`/learn/${enrolment.course.slug}`) };
      const notice = async (milestone: string, render: () => ReturnType<typeof emails.assignmentNotice>) =>
        sent.has(`${enrolment.id}|${milestone}`) ? "already-sent" : sendOnce({ userId: enrolment.userId, kind: "assignment", subjectId: enrolment.id, milestone }, clock, () => sendEmail({ to: user.email, userId: enrolment.userId, kind: "assignment", ...render() }, clock));
      if (enrolment.createdAt.getTime() >= now.getTime() - ASSIGNED_NOTICE_DAYS * 864e5) {
        if ((await notice("assigned", () => emails.assignmentNotice(locale, "assigned", values))) === "sent") outcome.assigned++;
      }
      if (!enrolment.dueAt) continue;
      if (enrolment.dueAt < now) {
        if ((await notice("overdue", () => emails.assignmentNotice(locale, "overdue", values))) === "sent") outcome.overdue++;
      } else if (enrolment.dueAt.getTime() - now.getTime() <= 7 * 864e5 && !user.mutedNotices.includes("due-soon")) {
        if ((await notice("due-7d", () => emails.assignmentNotice(locale, "dueSoon", values))) === "sent") outcome.dueSoon++;
      }
    }
    // Mondays: each organiser gets the week's figures.
    const today = localDate(now, organisation.timeZone);
    if (new Date(`${today}T12:00:00Z`).getUTCDay() === 1) outcome.digests += await sendDigests(organisation, today, clock);
  }
  return outcome;
}

async function sendDigests(organisation: { id: string; name: string; timeZone: string }, today: string, clock: Clock) {
  const organisers = await db.membership.findMany({ where: { organisationId: organisation.id, endedAt: null, roles: { has: "ORGANISER" }, user: { deletedAt: null } }, select: { organiserDepartmentIds: true, user: { select: { id: true, email: true, name: true, locale: true, mutedNotices: true } } } });
  const digest = { kind: "organiser-digest", subjectId: organisation.id, milestone: isoWeek(today) };
  const wanted = organisers.map((m) => ({ ...m.user, scope: scopeOfMembership(m) })).filter((u) => !u.mutedNotices.includes("organiser-digest"));
  if (!wanted.length) return 0;
  // Every hourly sweep on a Monday comes here: once this week's digests are out, it stops before counting.
  const served = await alreadyNotified(digest, wanted.map((u) => u.id));
  const recipients = wanted.filter((u) => !served.has(u.id));
  if (!recipients.length) return 0;
  // Each organiser's figures are of the people they see: a department organiser's, of their departments.
  const figuresByScope = new Map<string, Awaited<ReturnType<typeof digestFigures>>>();
  let sent = 0;
  for (const user of recipients) {
    const key = user.scope.departmentIds ? [...user.scope.departmentIds].sort().join(",") : "";
    if (!figuresByScope.has(key)) figuresByScope.set(key, await digestFigures(organisation.id, user.scope, clock.now(), today));
    const figures = figuresByScope.get(key)!;
    const locale = isLocale(user.locale) ? user.locale : "sl";
    const result = await sendOnce({ userId: user.id, ...digest }, clock, () =>
      sendEmail({ to: user.email, userId: user.id, kind: "organiser-digest", ...emails.organiserDigest(locale, { name: user.name, organisation: organisation.name, ...figures, url: publicUrl(`/org/${organisation.id}/dashboard`) }) }, clock),
    );
    if (result === "sent") sent++;
  }
  return sent;
}

/**
 * The digest's figures, counted as the dashboard counts them (dashboard.server.ts) so the two never
 * disagree: over TrainingStatus, current members only, each person's latest round of a course.
 * Overdue and expiring are the dashboard's; completed is its "completed" narrowed to the last 7 days.
 */
async function digestFigures(organisationId: string, scope: OrganiserScope, now: Date, today: string) {
  const [row] = await db.$queryRaw<Array<{ overdue: bigint; completed: bigint; expiring: bigint }>>`
    SELECT count(*) FILTER (WHERE ts."enrolmentId" IS NOT NULL AND ts."completedAt" IS NULL AND ts."exemptedAt" IS NULL AND ts."dueAt" < ${now}) AS overdue,
      count(*) FILTER (WHERE ts."enrolmentId" IS NOT NULL AND ts."completedAt" >= ${new Date(now.getTime() - 7 * 864e5)}) AS completed,
      count(*) FILTER (WHERE ts."certificateCode" IS NOT NULL AND ts."certificateExpiresOn" > ${today} AND ts."certificateExpiresOn" <= ${addDays(today, 30)}) AS expiring
    FROM "TrainingStatus" ts
    WHERE ts."organisationId" = ${organisationId} AND ts."member" ${scopeSql(scope, Prisma.sql`ts."departmentId"`)}`;
  return { overdue: Number(row.overdue), completed: Number(row.completed), expiring: Number(row.expiring) };
}
