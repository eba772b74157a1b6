import { certificateState, localDate } from "~/certificates/expiry.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { publicUrl } from "~/utils/env.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { isInPeriod, licencePeriod, type Period, type PeriodQuery, PeriodQuerySchema, periodProblem } from "./period.ts";
import { findCpdScheme, loadCpdSchemes } from "./schemes.server.ts";
import { schemeTarget } from "./schemes.ts";
import { categoryText, countsTowardsTotals, matchCategoryId, roundCredits, summariseCredits, transcriptState } from "./totals.ts";

// Dates a person sees without an organisation's time zone (today, the generation date).
const TIME_ZONE = "Europe/Ljubljana";

/**
 * The period a transcript shows: the one asked for, else the learner's current licence period
 * (when they set its start), else all time. Bad dates are a 400 with the field they concern.
 */
function resolvePeriod(query: PeriodQuery, defaultPeriod: Period) {
  const parsed = PeriodQuerySchema.safeParse(query);
  if (!parsed.success) {
    const { messageKey, field } = periodProblem(parsed.error);
    throw new DomainError("INVALID", messageKey, field);
  }
  if (parsed.data.from === undefined && parsed.data.to === undefined) return { period: defaultPeriod, isDefault: true };
  return { period: { from: parsed.data.from ?? null, to: parsed.data.to ?? null }, isDefault: false };
}

/**
 * A learner's CPD transcript: their own certificates issued in a period with their credits, and the
 * totals against their target. Only ever the actor's own; revoked certificates are listed but do not
 * count (see countsTowardsTotals).
 */
export async function getTranscript({ actor, query = {}, clock = systemClock }: { actor: Actor; query?: PeriodQuery; clock?: Clock }) {
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { name: true, licenceNumber: true, profession: true, cpdSchemeId: true, cpdPeriodStartsOn: true, cpdTargetCredits: true },
  });
  if (!user) throw new DomainError("NOT_FOUND", "errors.notFound");
  // A scheme since removed from the file is treated as no target rather than an error page.
  const scheme = findCpdScheme(user.cpdSchemeId);
  const licence = scheme && user.cpdPeriodStartsOn ? licencePeriod(user.cpdPeriodStartsOn, scheme.periodYears) : null;
  const { period, isDefault } = resolvePeriod(query, licence ?? { from: null, to: null });
  const now = clock.now();
  const rows = await db.certificate.findMany({
    where: { userId: actor.id },
    orderBy: { issuedAt: "asc" },
    select: { code: true, courseTitle: true, issuerName: true, issuedAt: true, timeZone: true, expiresOn: true, cpdCredits: true, cpdCategory: true, revokedAt: true, supersededAt: true },
  });
  const entries = rows
    .map((row) => {
      const state = transcriptState(certificateState(row, now, row.timeZone));
      return {
        code: row.code,
        courseTitle: row.courseTitle as Record<string, string>,
        issuerName: row.issuerName,
        issuedOn: localDate(row.issuedAt, row.timeZone),
        expiresOn: row.expiresOn,
        credits: roundCredits(row.cpdCredits),
        category: categoryText(row.cpdCategory),
        categoryId: matchCategoryId(row.cpdCategory, scheme),
        state,
        counted: countsTowardsTotals(state),
        verifyUrl: publicUrl(`/verify/${row.code}`),
      };
    })
    .filter((entry) => isInPeriod(entry.issuedOn, period));
  const target = schemeTarget(scheme, user.cpdTargetCredits);
  return {
    holder: { name: user.name, licenceNumber: user.licenceNumber, profession: user.profession },
    settings: { schemeId: scheme?.id ?? "", periodStartsOn: user.cpdPeriodStartsOn ?? "", targetCredits: user.cpdTargetCredits },
    scheme,
    schemes: loadCpdSchemes(),
    licencePeriod: licence,
    period,
    isDefaultPeriod: isDefault,
    entries,
    summary: summariseCredits(entries, scheme, target),
    today: localDate(now, TIME_ZONE),
  };
}
export type Transcript = Awaited<ReturnType<typeof getTranscript>>;
