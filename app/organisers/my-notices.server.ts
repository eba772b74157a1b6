import { recordAudit } from "~/domain/audit.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { OPTIONAL_NOTICES } from "./notice-kinds.ts";

/** The reminders and notices Opora sent a person (newest first), and which optional ones they turned off. */
export async function listMyNotices({ actor }: { actor: Actor }) {
  const [notices, user] = await Promise.all([
    db.notification.findMany({ where: { userId: actor.id, sentAt: { not: null } }, orderBy: { sentAt: "desc" }, take: 100, select: { id: true, kind: true, sentAt: true } }),
    db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { mutedNotices: true } }),
  ]);
  return { notices, muted: user.mutedNotices };
}

export async function setMutedNotices({ actor, muted, clock = systemClock }: { actor: Actor; muted: string[]; clock?: Clock }) {
  if (muted.some((kind) => !(OPTIONAL_NOTICES as readonly string[]).includes(kind))) throw new DomainError("INVALID", "reminders.notOptional");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { mutedNotices: [...new Set(muted)] } });
    await recordAudit(tx, { actorId: actor.id, action: "account.reminders", subjectType: "User", subjectId: actor.id, data: { muted }, at: clock.now() });
  });
}
