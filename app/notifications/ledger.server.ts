import type { Clock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

// The one ledger of reminders and notices Opora sends (expiry reminders, "certificate issued", and
// any later reminder): a row per user, kind, subject and milestone, claimed before the email goes
// out. The unique key decides between two processes; a claim whose email never went out (the
// process died, the mail server refused) is taken over after CLAIM_TIMEOUT_MS by the next sweep.

export const CLAIM_TIMEOUT_MS = 10 * 60_000;

export type NoticeKey = { userId: string; kind: string; subjectId: string; milestone: string };
export type SendOutcome = "sent" | "already-sent" | "failed";

/** Sends a notice unless this user, kind, subject and milestone already has one (or one is on its way). */
export async function sendOnce(key: NoticeKey, clock: Clock, send: () => Promise<{ id: string; sent: boolean }>): Promise<SendOutcome> {
  const now = clock.now();
  const claimId = await claim(key, now);
  if (!claimId) return "already-sent";
  const result = await send();
  if (!result.sent) {
    // Leave the claim to time out so a later sweep retries; record which attempt failed.
    await db.notification.update({ where: { id: claimId }, data: { emailMessageId: result.id } });
    return "failed";
  }
  await db.notification.update({ where: { id: claimId }, data: { sentAt: clock.now(), emailMessageId: result.id } });
  return "sent";
}

async function claim(key: NoticeKey, now: Date): Promise<string | null> {
  try {
    const row = await db.notification.create({ data: { ...key, claimedAt: now }, select: { id: true } });
    return row.id;
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
  const existing = await db.notification.findUnique({ where: { userId_kind_subjectId_milestone: key }, select: { id: true, sentAt: true, claimedAt: true } });
  if (!existing || existing.sentAt || now.getTime() - existing.claimedAt.getTime() < CLAIM_TIMEOUT_MS) return null;
  // Take over a stale claim, unless another process just did.
  const taken = await db.notification.updateMany({ where: { id: existing.id, sentAt: null, claimedAt: existing.claimedAt }, data: { claimedAt: now } });
  return taken.count === 1 ? existing.id : null;
}

/**
 * The notices of a kind already sent to these people about these subjects, as "subjectId|milestone".
 * Sweeps look this up once and hand only the rest to sendOnce, so a sweep over thousands of
 * reminders already sent costs one query, not a failed insert each (read by the ledger's
 * (userId, kind, …) key, in slices).
 */
export async function sentNotices(kind: string, subjects: Array<{ userId: string; subjectId: string }>) {
  const sent = new Set<string>();
  for (let from = 0; from < subjects.length; from += 5_000) {
    const slice = subjects.slice(from, from + 5_000);
    const rows = await db.notification.findMany({
      where: { kind, userId: { in: [...new Set(slice.map((s) => s.userId))] }, subjectId: { in: [...new Set(slice.map((s) => s.subjectId))] }, sentAt: { not: null } },
      select: { subjectId: true, milestone: true },
    });
    for (const row of rows) sent.add(`${row.subjectId}|${row.milestone}`);
  }
  return sent;
}

/**
 * Which of these people already have one notice (kind, subject, milestone), e.g. this week's digest
 * of an organisation: a sweep that finds them all served skips the work of writing it.
 */
export async function alreadyNotified(notice: Omit<NoticeKey, "userId">, userIds: string[]) {
  const rows = await db.notification.findMany({ where: { ...notice, userId: { in: userIds }, sentAt: { not: null } }, select: { userId: true } });
  return new Set(rows.map((row) => row.userId));
}
