import { db } from "./db.server.ts";
import type { Clock } from "./clock.server.ts";

/**
 * Sliding-window attempt counters in PostgreSQL, so limits hold across app processes. Keys are
 * per account and per account+client: an attacker is slowed on one account without locking out a
 * whole hospital that shares one public address.
 */
export const LOGIN_LIMITS = [
  { scope: "account-client", max: 5, windowMs: 15 * 60_000 },
  { scope: "account", max: 20, windowMs: 15 * 60_000 },
] as const;

export function loginKeys(email: string, clientIp: string) {
  return { account: `login:${email}`, "account-client": `login:${email}|${clientIp}` };
}

export type ThrottleLimits = ReadonlyArray<{ scope: string; max: number; windowMs: number }>;

/** An attempt counted against its keys; `forget` uncounts it when it turns out not to be a failure. */
export type ThrottledAttempt = { forget: () => Promise<void> };

/**
 * Counts an attempt before it is made and returns it, or null (counting nothing) when a limit is
 * already reached. Checked and counted in one step, one attempt per key at a time: were attempts
 * checked first and counted after their (slow) password check, a burst sent all at once would
 * pass the check together, however large.
 */
export async function beginAttempt(keys: Record<string, string>, limits: ThrottleLimits, clock: Clock): Promise<ThrottledAttempt | null> {
  const at = clock.now();
  const ids = await db.$transaction(
    async (tx) => {
      // Held to the end of the transaction; taken in one order, so two attempts never wait on each other.
      for (const key of Object.values(keys).sort()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`throttle:${key}`}, 0))`;
      for (const limit of limits) {
        const key = keys[limit.scope];
        if (!key) continue;
        const count = await tx.throttleEvent.count({ where: { key, at: { gt: new Date(at.getTime() - limit.windowMs) } } });
        if (count >= limit.max) return null;
      }
      const rows = await tx.throttleEvent.createManyAndReturn({ data: Object.values(keys).map((key) => ({ key, at })), select: { id: true } });
      return rows.map((row) => row.id);
    },
    // A burst queues on the lock; each turn is a count and an insert.
    { maxWait: 10_000, timeout: 10_000 },
  );
  if (!ids) return null;
  return {
    forget: async () => {
      await db.throttleEvent.deleteMany({ where: { id: { in: ids } } });
    },
  };
}

export async function clearFailures(keys: Record<string, string>) {
  await db.throttleEvent.deleteMany({ where: { key: { in: Object.values(keys) } } });
}
