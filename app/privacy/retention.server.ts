import { addMonthsClamped } from "~/certificates/expiry.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import { deleteStoredFile } from "~/utils/storage.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";

// What Opora deletes once it is no longer needed, as one list of rules that the daily `retention`
// job runs in order. Each rule removes details, never results: scores, pass/fail, outcomes,
// completions and certificates stay, so reports and verification do not change. A rule is safe to
// run again (it then removes nothing) and reports only how many rows it touched. A new kind of
// data (e.g. raw SCORM tracking) joins by adding a rule here.

export type RetentionRule = {
  name: string;
  /** what the rule removes, for people reading logs and the code */
  describe: string;
  run(options: { clock: Clock }): Promise<{ removed: number }>;
};

const DAY_MS = 864e5;
/** Used and expired sign-in links stay this long, so a support question about one can still be checked. */
const TOKEN_DAYS = 7;
/** The longest sign-in throttle window is 15 minutes; a day of failures is plenty to look back on. */
const THROTTLE_DAYS = 1;

/** The same time of day `months` calendar months earlier (31 March minus one month is 28/29 February). */
function monthsBefore(now: Date, months: number) {
  const iso = now.toISOString();
  return new Date(`${addMonthsClamped(iso.slice(0, 10), -months)}T${iso.slice(11)}`);
}

function daysBefore(now: Date, days: number) {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Quiz answers are kept as rows with the response replaced by JSON null: `points` (per-question
 * correctness, for item statistics) and `answeredAt` stay, and so do the attempt's score, result
 * and times. The column is NOT NULL, so JSON null marks "removed"; the result page shows it as
 * not answered. Free-text (short answer) replies live in `response` too.
 */
const quizAnswers: RetentionRule = {
  name: "quizAnswers",
  describe: `raw quiz answers of courses completed more than ${env.RETENTION_QUIZ_ANSWERS_MONTHS} months ago (points per question and scores stay)`,
  async run({ clock }) {
    const completedBefore = monthsBefore(clock.now(), env.RETENTION_QUIZ_ANSWERS_MONTHS);
    const { count } = await db.quizAnswer.updateMany({
      where: { response: { not: Prisma.JsonNull }, attempt: { enrolment: { completedAt: { lt: completedBefore } } } },
      data: { response: Prisma.JsonNull },
    });
    return { removed: count };
  },
};

/** A case run's path is every choice the learner made; its outcome and times are what reports use. */
const caseChoices: RetentionRule = {
  name: "caseChoices",
  describe: `choices taken in case scenarios of courses completed more than ${env.RETENTION_QUIZ_ANSWERS_MONTHS} months ago (outcomes stay)`,
  async run({ clock }) {
    const completedBefore = monthsBefore(clock.now(), env.RETENTION_QUIZ_ANSWERS_MONTHS);
    const { count } = await db.caseRun.updateMany({
      where: { NOT: { path: { equals: [] } }, enrolment: { completedAt: { lt: completedBefore } } },
      data: { path: [] },
    });
    return { removed: count };
  },
};

const sessions: RetentionRule = {
  name: "sessions",
  describe: "sessions past their expiry",
  async run({ clock }) {
    const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: clock.now() } } });
    return { removed: count };
  },
};

const tokens: RetentionRule = {
  name: "tokens",
  describe: `email confirmation and password reset links expired or used more than ${TOKEN_DAYS} days ago`,
  async run({ clock }) {
    const before = daysBefore(clock.now(), TOKEN_DAYS);
    const { count } = await db.token.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { usedAt: { lt: before } }] } });
    return { removed: count };
  },
};

const throttleEvents: RetentionRule = {
  name: "throttleEvents",
  describe: `failed sign-ins older than ${THROTTLE_DAYS} day`,
  async run({ clock }) {
    const { count } = await db.throttleEvent.deleteMany({ where: { at: { lt: daysBefore(clock.now(), THROTTLE_DAYS) } } });
    return { removed: count };
  },
};

/**
 * Finished ZIPs older than the retention period become EXPIRED (no longer downloadable), then their
 * files go. Storage is content-addressed: two exports built in the same moment can share one file,
 * and a course asset could in principle have the same hash, so a file is deleted only when no
 * DONE export and no asset refers to it. An EXPIRED export keeps its storage key until its file is
 * gone, so a file kept for a newer export (or left by a crash) is deleted on a later run.
 */
const certificateExports: RetentionRule = {
  name: "certificateExports",
  describe: `certificate ZIPs prepared more than ${env.RETENTION_EXPORTS_DAYS} days ago`,
  async run({ clock }) {
    const { count } = await db.certificateExport.updateMany({
      where: { status: "DONE", finishedAt: { lt: daysBefore(clock.now(), env.RETENTION_EXPORTS_DAYS) } },
      data: { status: "EXPIRED" },
    });
    const expired = await db.certificateExport.findMany({ where: { status: "EXPIRED", storageKey: { not: null } }, select: { storageKey: true }, distinct: ["storageKey"] });
    const keys = expired.map((row) => row.storageKey as string);
    if (keys.length) {
      const [live, assets] = await Promise.all([
        db.certificateExport.findMany({ where: { status: "DONE", storageKey: { in: keys } }, select: { storageKey: true } }),
        db.asset.findMany({ where: { sha256: { in: keys } }, select: { sha256: true } }),
      ]);
      const inUse = new Set([...live.map((row) => row.storageKey), ...assets.map((asset) => asset.sha256)]);
      const unused = keys.filter((key) => !inUse.has(key));
      for (const key of unused) deleteStoredFile(key);
      await db.certificateExport.updateMany({ where: { status: "EXPIRED", storageKey: { in: unused } }, data: { storageKey: null } });
    }
    return { removed: count };
  },
};

const emailLog: RetentionRule = {
  name: "emailLog",
  describe: `the log of emails sent more than ${env.RETENTION_EMAIL_LOG_MONTHS} months ago`,
  async run({ clock }) {
    const { count } = await db.emailMessage.deleteMany({ where: { createdAt: { lt: monthsBefore(clock.now(), env.RETENTION_EMAIL_LOG_MONTHS) } } });
    return { removed: count };
  },
};

/** Invitations hold an email address and a name: once expired or accepted they are kept only a month. */
const INVITATION_DAYS = 30;
const invitations: RetentionRule = {
  name: "invitations",
  describe: `invitations expired or accepted more than ${INVITATION_DAYS} days ago`,
  async run({ clock }) {
    const before = daysBefore(clock.now(), INVITATION_DAYS);
    const { count } = await db.invitation.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { acceptedAt: { lt: before } }] } });
    return { removed: count };
  },
};

export const RETENTION_RULES: readonly RetentionRule[] = [quizAnswers, caseChoices, sessions, tokens, throttleEvents, invitations, certificateExports, emailLog];

/**
 * Runs every rule (the `retention` job), logs how many rows each removed and records one audit
 * event with the same counts. Counts only: nothing about whose data it was.
 */
export async function runRetention({ clock = systemClock, rules = RETENTION_RULES }: { clock?: Clock; rules?: readonly RetentionRule[] } = {}) {
  const removed: Record<string, number> = {};
  for (const rule of rules) removed[rule.name] = (await rule.run({ clock })).removed;
  await recordAudit(db, { actorId: null, action: "retention.run", subjectType: "System", subjectId: "retention", data: removed, at: clock.now() });
  console.log(`[retention] removed ${Object.entries(removed).map(([name, count]) => `${name}: ${count}`).join(", ")}`);
  return removed;
}
