import { z } from "zod";
import { afterCompletion, completeIfDone, markItemDone } from "~/domain/complete-course.server.ts";
import { getVersionItem } from "~/domain/course-version-cache.server.ts";
import { requireOpenItem } from "~/domain/learner-course.server.ts";
import { recordItemVisit } from "~/domain/record-lesson-progress.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import { hashSecret as hash, newSecret } from "~/utils/tokens.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { applyCommit, deriveScoState, learnerSeed, nextLaunch, rollupModule, type ScoState, type TimeLimitAction } from "./cmi.ts";
import { contentOrigin } from "./content-origin.server.ts";
import type { ScormItemContent } from "./import-package.server.ts";

// A learner's SCORM attempts. The app's player page launches a SCO (an attempt and a launch token);
// the runtime on the content origin loads its seed with that token and commits to it. Attempts
// follow the standard: the next launch resumes only after exit "suspend" (see nextLaunch in cmi.ts
// for the SCORM 1.2 exception); otherwise a new attempt starts from the beginning. A session that
// never terminated (a phone's browser closed the tab, the battery died) ended nothing: it resumes.

/** A launch token lasts this long after the launch or its last accepted commit. */
const LAUNCH_HOURS = 12;
const launchExpiry = (now: Date) => new Date(now.getTime() + LAUNCH_HOURS * 3_600_000);

type Sco = ScormItemContent["scos"][number];
const tracked = (sco: Sco) => sco.scormType === "sco";

/**
 * Each SCO with the best standing of its attempts (attempts in number order): satisfied by any of
 * them, the status of the latest, the score of the satisfying one. The table of contents and the
 * module rollup read the same.
 */
function standingsOf(scos: Sco[], attempts: Array<{ scoId: string; satisfied: boolean; completion: string; success: string; scoreScaled: number | null }>) {
  return scos.map((sco) => {
    const mine = attempts.filter((a) => a.scoId === sco.identifier);
    const latest = mine.at(-1);
    const best = mine.find((a) => a.satisfied) ?? latest;
    return { id: sco.identifier, title: sco.title, depth: sco.depth, tracked: tracked(sco), satisfied: Boolean(best?.satisfied), completion: latest?.completion ?? "not_attempted", success: best?.success ?? "unknown", scoreScaled: best?.scoreScaled ?? null };
  });
}

const STANDING_SELECT = { scoId: true, satisfied: true, completion: true, success: true, scoreScaled: true } as const;

/**
 * Opens a SCORM item for the learner: picks the SCO (asked for, else the first not yet satisfied),
 * starts or resumes its attempt and issues a launch token for the content origin.
 */
export async function launchScorm({ actor, slug, itemKey, scoId, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; scoId?: string | null; clock?: Clock }) {
  const opened = await requireOpenItem({ actor, slug, itemKey, kind: "SCORM" });
  const content = opened.item.content as ScormItemContent;
  const now = clock.now();
  const attempts = await db.scormAttempt.findMany({ where: { enrolmentId: opened.enrolment.id, itemKey, packageId: content.packageId }, select: STANDING_SELECT, orderBy: { number: "asc" } });
  const standings = standingsOf(content.scos, attempts);
  const chosen = scoId ? content.scos.find((s) => s.identifier === scoId) : (content.scos.find((s, i) => tracked(s) && !standings[i].satisfied) ?? content.scos[0]);
  if (!chosen) throw new DomainError("NOT_FOUND", "errors.notFound");
  await recordItemVisit({ enrolment: opened.enrolment, started: opened.started, itemKey, now });

  const { secret: token, hash: tokenHash } = newSecret();
  const attempt = await db.$transaction(async (tx) => {
    // One launch of this SCO at a time (two tabs opening it must not both create attempt n + 1).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`scorm-launch:${opened.enrolment.id}:${itemKey}:${chosen.identifier}`}))`;
    const latest = await tx.scormAttempt.findFirst({ where: { enrolmentId: opened.enrolment.id, itemKey, scoId: chosen.identifier }, orderBy: { number: "desc" }, select: { id: true } });
    // Locked, so a commit still in flight (say, exit "suspend" as the learner reopens) is seen.
    const [last] = latest
      ? await tx.$queryRaw<Array<{ id: string; number: number; seq: number; cmi: unknown; totalSeconds: number; packageId: string; endedAt: Date | null }>>`
          SELECT id, number, seq, cmi, "totalSeconds", "packageId", "endedAt" FROM "ScormAttempt" WHERE id = ${latest.id} FOR UPDATE`
      : [];
    // A new package version (a new course version) never resumes another package's data.
    // An attempt that never ended is continued, also when nothing of it reached the server yet:
    // its commits may be waiting in the learner's browser (offline, then the tab was closed), and
    // the runtime sends them only to the attempt they belong to.
    const interrupted = last && last.endedAt === null;
    const decision = last && last.packageId === content.packageId ? (interrupted ? { newAttempt: false } : nextLaunch(content.version, last)) : null;
    const data = { launchTokenHash: tokenHash, launchExpiresAt: launchExpiry(now), updatedAt: now };
    if (last && decision && !decision.newAttempt) {
      return tx.scormAttempt.update({ where: { id: last.id }, data: { ...data, sessionBaseSeconds: last.totalSeconds, sessions: { increment: 1 }, endedAt: null }, select: { id: true, number: true } });
    }
    return tx.scormAttempt.create({
      data: { ...data, enrolmentId: opened.enrolment.id, userId: actor.id, packageId: content.packageId, itemKey, scoId: chosen.identifier, number: (last?.number ?? 0) + 1, sessions: 1, startedAt: now },
      select: { id: true, number: true },
    });
  });
  return {
    ...opened,
    content,
    scos: standings,
    sco: { id: chosen.identifier, title: chosen.title },
    attempt,
    runUrl: `${contentOrigin()}/scorm-content/run/${token}`,
    contentOrigin: contentOrigin(),
  };
}

/** The attempt a launch token stands for, with what the runtime needs; expired or replaced tokens are refused. */
async function attemptByToken(token: string, now: Date) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new DomainError("UNAUTHENTICATED", "scorm.launchExpired");
  const attempt = await db.scormAttempt.findUnique({
    where: { launchTokenHash: hash(token) },
    select: { id: true, enrolmentId: true, userId: true, itemKey: true, scoId: true, seq: true, cmi: true, totalSeconds: true, sessionBaseSeconds: true, packageId: true, launchExpiresAt: true, enrolment: { select: { courseVersionId: true } } },
  });
  if (!attempt?.launchExpiresAt || attempt.launchExpiresAt <= now) throw new DomainError("UNAUTHENTICATED", "scorm.launchExpired");
  const item = await getVersionItem(attempt.enrolment.courseVersionId, attempt.itemKey);
  const content = item?.content as ScormItemContent | undefined;
  const sco = content?.scos.find((s) => s.identifier === attempt.scoId);
  if (!content || !sco) throw new DomainError("NOT_FOUND", "errors.notFound");
  return { attempt, content, sco };
}

/** What the runtime page on the content origin embeds: where the SCO is and what to seed it with. */
export async function runtimeLaunch({ token, clock = systemClock }: { token: string; clock?: Clock }) {
  const now = clock.now();
  const { attempt, content, sco } = await attemptByToken(token, now);
  const user = await db.user.findUniqueOrThrow({ where: { id: attempt.userId }, select: { name: true, locale: true } });
  // The launch decided between a new attempt and this one: anything saved means resuming it.
  const entry = attempt.seq > 0 ? "resume" : "ab-initio";
  // 2004 shared data lives across the package's SCOs: the latest values any of them committed.
  const shared = content.version === "2004" && sco.sharedData.length ? await sharedStores(attempt.enrolmentId, attempt.itemKey) : null;
  const seed = learnerSeed({
    version: content.version,
    learnerId: attempt.userId,
    learnerName: user.name,
    entry,
    launchData: sco.dataFromLms,
    masteryScore: sco.masteryScore,
    scaledPassingScore: sco.scaledPassingScore,
    completionThreshold: sco.completionThreshold?.completedByMeasure ? sco.completionThreshold.minProgressMeasure : null,
    objectiveIds: sco.objectives.map((o) => o.id).filter((id): id is string => id !== null),
    sharedDataIds: sco.sharedData.map((s) => s.targetId),
    sharedDataStores: shared,
    maxTimeAllowed: sco.maxTimeAllowed,
    timeLimitAction: (sco.timeLimitAction as TimeLimitAction | null) ?? null,
    savedCmi: entry === "resume" ? attempt.cmi : null,
    totalSeconds: attempt.totalSeconds,
  });
  // SCORM 2004 packages ask whether "continue" and "previous" are possible before showing their
  // own buttons: the parts before and after this one in the package's order.
  if (content.version === "2004") {
    const index = content.scos.findIndex((s) => s.identifier === sco.identifier);
    const nav = { request_valid: { continue: index < content.scos.length - 1 ? "true" : "false", previous: index > 0 ? "true" : "false" } };
    (seed as { adl?: Record<string, unknown> }).adl = { ...(seed.adl ?? {}), nav };
  }
  return {
    version: content.version,
    attemptId: attempt.id,
    ackSeq: attempt.seq,
    seed,
    scoUrl: `/scorm-content/p/${attempt.packageId}/${sco.launchUrl}`,
    scoTitle: sco.title,
    scoItemIds: content.scos.map((s) => s.identifier),
    locale: user.locale === "en" ? ("en" as const) : ("sl" as const),
  };
}

async function sharedStores(enrolmentId: string, itemKey: string) {
  const rows = await db.scormAttempt.findMany({ where: { enrolmentId, itemKey }, orderBy: { updatedAt: "asc" }, select: { cmi: true } });
  const stores: Record<string, string> = {};
  for (const row of rows) Object.assign(stores, (row.cmi as { sharedData?: Record<string, string> }).sharedData ?? {});
  return stores;
}

/** Largest commit accepted: 64,000 characters of suspend_data in 2004, more in 1.2, interactions and objectives besides. */
export const MAX_COMMIT_BYTES = 2_000_000;

const CommitSchema = z.object({
  seq: z.number().int().min(1).max(2_000_000_000),
  cmi: z.record(z.string(), z.unknown()),
  adl: z.record(z.string(), z.unknown()).optional(),
  sharedData: z.record(z.string(), z.string()).optional(),
  terminated: z.boolean().default(false),
  navRequest: z.string().max(200).nullish(),
});

/**
 * A commit from the runtime: stored whole when its sequence number is newer than the last one
 * accepted (a replay of that one is acknowledged without change; an older one is ignored), with the
 * derived status, score and time. When the attempt satisfies the SCO and every tracked SCO of the
 * module is satisfied, the item is done and the course may be complete (certificate included).
 */
export async function commitScorm({ token, body, clock = systemClock }: { token: string; body: string; clock?: Clock }) {
  const now = clock.now();
  if (Buffer.byteLength(body) > MAX_COMMIT_BYTES) throw new DomainError("INVALID", "scorm.commitTooLarge");
  let parsed: z.infer<typeof CommitSchema>;
  try {
    parsed = CommitSchema.parse(JSON.parse(body));
  } catch {
    throw new DomainError("INVALID", "scorm.commitInvalid");
  }
  const { attempt, content } = await attemptByToken(token, now);
  const stored = { cmi: parsed.cmi, ...(parsed.adl ? { adl: parsed.adl } : {}), ...(parsed.sharedData ? { sharedData: parsed.sharedData } : {}) };
  const result = await db.$transaction(async (tx) => {
    // Locked, and still this launch's: a launch that replaced the token meanwhile wins.
    const [current] = await tx.$queryRaw<Array<{ seq: number; cmi: unknown; sessionBaseSeconds: number; totalSeconds: number; endedAt: Date | null }>>`
      SELECT seq, CASE WHEN seq = ${parsed.seq} THEN cmi END AS cmi, "sessionBaseSeconds", "totalSeconds", "endedAt" FROM "ScormAttempt"
      WHERE id = ${attempt.id} AND "launchTokenHash" = ${hash(token)} FOR UPDATE`;
    if (!current) throw new DomainError("UNAUTHENTICATED", "scorm.launchExpired");
    // (The stored CMI is read only to recognise a replay of the same sequence number.)
    const decision = applyCommit({ seq: current.seq, cmi: current.cmi }, { seq: parsed.seq, cmi: stored });
    // A replay of the last commit (a retry whose answer was lost, or a beacon's twin) and an older
    // commit are acknowledged without a write, with the standing as stored: the answer to the
    // commit that did the work may be the one that never arrived.
    if (!decision.changed) {
      const stored = await tx.scormAttempt.findUniqueOrThrow({ where: { id: attempt.id }, select: { completion: true, success: true, satisfied: true, scoreScaled: true, scoreRaw: true, totalSeconds: true } });
      const done = (await tx.itemProgress.count({ where: { enrolmentId: attempt.enrolmentId, itemKey: attempt.itemKey, completedAt: { not: null } } })) > 0;
      return { outcome: decision.outcome, seq: current.seq, state: { ...stored, moduleCompleted: done }, moduleCompleted: done, moduleScore: null, completedNow: false };
    }
    let state: ScoState = deriveScoState(content.version, stored);
    // Some 1.2 packages only call LMSInitialize and LMSFinish: finishing counts as completing.
    if (parsed.terminated && content.version === "1.2" && env.SCORM_12_COMPLETE_ON_FINISH === "1" && state.success === "unknown" && (state.completion === "not_attempted" || state.completion === "unknown")) {
      state = { ...state, completion: "completed", satisfied: true };
    }
    const totalSeconds = state.sessionSeconds !== null ? current.sessionBaseSeconds + state.sessionSeconds : current.totalSeconds;
    // Raw SQL: Prisma's query compiler would walk the whole CMI (64 KB of suspend_data) on every
    // commit; as one text parameter it costs nothing (npm run bench: SCORM commits).
    await tx.$executeRaw`
      UPDATE "ScormAttempt" SET seq = ${parsed.seq}, cmi = ${JSON.stringify(stored)}::jsonb, completion = ${state.completion}, success = ${state.success},
        satisfied = ${state.satisfied}, "scoreScaled" = ${state.scoreScaled}, "scoreRaw" = ${state.scoreRaw}, "scoreMin" = ${state.scoreMin}, "scoreMax" = ${state.scoreMax},
        location = ${state.location}, exit = ${state.exit}, "totalSeconds" = ${totalSeconds}, "updatedAt" = ${now},
        "launchExpiresAt" = ${launchExpiry(now)}
        ${parsed.terminated ? Prisma.sql`, "endedAt" = ${now}` : Prisma.empty}
      WHERE id = ${attempt.id}`;
    // Time on task once per session: a package terminating again cannot add more.
    if (parsed.terminated && state.sessionSeconds && !current.endedAt) {
      await tx.enrolment.update({ where: { id: attempt.enrolmentId }, data: { timeSpentSeconds: { increment: Math.min(Math.round(state.sessionSeconds), 8 * 3600) } } });
    }
    // Module rollup (documented in rollupModule): every tracked SCO satisfied by some attempt. Only
    // a satisfying commit can complete the module, so the others skip it.
    // `state` is what the runtime passes on to the player page: this SCO and the module.
    const sco = { completion: state.completion, success: state.success, satisfied: state.satisfied, scoreScaled: state.scoreScaled, scoreRaw: state.scoreRaw, totalSeconds };
    if (!state.satisfied) return { outcome: decision.outcome, seq: parsed.seq, state: { ...sco, moduleCompleted: false }, moduleCompleted: false, moduleScore: null, completedNow: false };
    // The enrolment is locked so two SCOs satisfied at the same moment see each other.
    await tx.$queryRaw`SELECT 1 FROM "Enrolment" WHERE id = ${attempt.enrolmentId} FOR UPDATE`;
    const attempts = await tx.scormAttempt.findMany({ where: { enrolmentId: attempt.enrolmentId, itemKey: attempt.itemKey, packageId: attempt.packageId }, select: STANDING_SELECT, orderBy: { number: "asc" } });
    const rollup = rollupModule(standingsOf(content.scos, attempts));
    let completedNow = false;
    if (rollup.completed) {
      await markItemDone(tx, { enrolmentId: attempt.enrolmentId, itemKey: attempt.itemKey, now });
      completedNow = (await completeIfDone(tx, { enrolmentId: attempt.enrolmentId, now })).completedNow;
    }
    return { outcome: decision.outcome, seq: parsed.seq, state: { ...sco, moduleCompleted: rollup.completed }, moduleCompleted: rollup.completed, moduleScore: rollup.scoreScaled, completedNow };
  });
  await afterCompletion(result, attempt.enrolmentId);
  if (result.outcome === "conflict" || result.outcome === "invalid") throw new DomainError("CONFLICT", "scorm.commitConflict");
  return { ok: true as const, stale: result.outcome === "stale", ...result };
}
