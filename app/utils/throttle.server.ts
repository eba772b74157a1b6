import { db } from "./db.server.ts";
import type { Clock } from "./clock.server.ts";

/**
 * Sliding-window failure counters in PostgreSQL, so limits hold across app processes. Keys are
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

export async function isThrottled(keys: Record<string, string>, limits: ReadonlyArray<{ scope: string; max: number; windowMs: number }>, clock: Clock) {
  const now = clock.now().getTime();
  for (const limit of limits) {
    const key = keys[limit.scope];
    if (!key) continue;
    const count = await db.throttleEvent.count({ where: { key, at: { gt: new Date(now - limit.windowMs) } } });
    if (count >= limit.max) return true;
  }
  return false;
}

export async function recordFailure(keys: Record<string, string>, clock: Clock) {
  await db.throttleEvent.createMany({ data: Object.values(keys).map((key) => ({ key, at: clock.now() })) });
}

export async function clearFailures(keys: Record<string, string>) {
  await db.throttleEvent.deleteMany({ where: { key: { in: Object.values(keys) } } });
}
