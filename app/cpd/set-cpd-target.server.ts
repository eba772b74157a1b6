import { localDate } from "~/certificates/expiry.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { TARGET_CREDITS_MAX, TARGET_CREDITS_MIN } from "./forms.ts";
import { isCalendarDay } from "./period.ts";
import { findCpdScheme } from "./schemes.server.ts";

const TIME_ZONE = "Europe/Ljubljana";

/**
 * A learner sets their own CPD target: a scheme from courses/cpd-schemes.yaml, the day their current
 * licence period began, and, for a scheme without a fixed total, the credits they need. An empty
 * scheme clears the target. Only ever the actor's own account.
 */
export async function setCpdTarget({ actor, schemeId, periodStartsOn, targetCredits, clock = systemClock }: { actor: Actor; schemeId: string; periodStartsOn: string | null; targetCredits: number | null; clock?: Clock }) {
  if (!schemeId) {
    await db.user.update({ where: { id: actor.id }, data: { cpdSchemeId: null, cpdPeriodStartsOn: null, cpdTargetCredits: null } });
    return;
  }
  const scheme = findCpdScheme(schemeId);
  if (!scheme) throw new DomainError("INVALID", "cpd.unknownScheme", "schemeId");
  if (periodStartsOn !== null) {
    if (!isCalendarDay(periodStartsOn)) throw new DomainError("INVALID", "cpd.invalidDate", "periodStartsOn");
    if (periodStartsOn > localDate(clock.now(), TIME_ZONE)) throw new DomainError("INVALID", "cpd.startInFuture", "periodStartsOn");
  }
  let ownTarget: number | null = null;
  if (scheme.totalCredits === undefined) {
    if (targetCredits === null) throw new DomainError("INVALID", "cpd.targetRequired", "targetCredits");
    if (!(targetCredits >= TARGET_CREDITS_MIN && targetCredits <= TARGET_CREDITS_MAX)) throw new DomainError("INVALID", "cpd.targetRange", "targetCredits");
    ownTarget = targetCredits;
  }
  await db.user.update({ where: { id: actor.id }, data: { cpdSchemeId: scheme.id, cpdPeriodStartsOn: periodStartsOn, cpdTargetCredits: ownTarget } });
}
