import { z } from "zod";
import { recordAudit } from "~/domain/audit.server.ts";
import { loadLearnerCourse } from "~/domain/learner-course.server.ts";
import { assertCanManageWholeOrganisation } from "~/domain/organisations.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";

// The referral directory: where to refer a patient who may have been trafficked. The course files
// carry the national entries; each organisation adds its local contacts (its social work service,
// the nearest NGO office), which its learners see first.

export const ReferralSchema = z.object({
  name: z.string().trim().min(2, "validation.required").max(120, "validation.tooLong"),
  phone: z
    .string()
    .trim()
    .max(40, "validation.tooLong")
    .regex(/^[+0-9 ()/-]*$/, "referrals.badPhone")
    .optional(),
  hours: z.string().trim().max(120, "validation.tooLong").optional(),
  helpsWith: z.string().trim().min(2, "validation.required").max(300, "validation.tooLong"),
});

export async function listOrganisationReferrals({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  const [organisation, referrals] = await Promise.all([
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { id: true, name: true } }),
    db.organisationReferral.findMany({ where: { organisationId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
  ]);
  return { organisation, referrals };
}

export async function addOrganisationReferral({ actor, organisationId, input: raw, clock = systemClock }: { actor: Actor; organisationId: string; input: z.input<typeof ReferralSchema>; clock?: Clock }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  const parsed = ReferralSchema.safeParse(raw);
  if (!parsed.success) throw new DomainError("INVALID", parsed.error.issues[0].message, String(parsed.error.issues[0].path[0]));
  const input = parsed.data;
  const count = await db.organisationReferral.count({ where: { organisationId } });
  if (count >= 50) throw new DomainError("INVALID", "referrals.tooMany");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const created = await tx.organisationReferral.create({ data: { organisationId, name: input.name, phone: input.phone || null, hours: input.hours || null, helpsWith: input.helpsWith, position: count, createdAt: now } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "referral.create", subjectType: "OrganisationReferral", subjectId: created.id, data: input, at: now });
  });
}

export async function removeOrganisationReferral({ actor, organisationId, referralId, clock = systemClock }: { actor: Actor; organisationId: string; referralId: string; clock?: Clock }) {
  await assertCanManageWholeOrganisation(actor, organisationId);
  await db.$transaction(async (tx) => {
    const removed = await tx.organisationReferral.deleteMany({ where: { id: referralId, organisationId } });
    if (removed.count !== 1) throw new DomainError("NOT_FOUND", "errors.notFound");
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "referral.delete", subjectType: "OrganisationReferral", subjectId: referralId, at: clock.now() });
  });
}

/** The learner's quick-reference card for a course: their organisations' local contacts first, then the national ones. */
export async function referralCard({ actor, slug }: { actor: Actor; slug: string }) {
  const { outline } = await loadLearnerCourse({ actor, slug });
  const organisations = await db.organisation.findMany({ where: { memberships: { some: { userId: actor.id, endedAt: null } } }, select: { id: true, name: true } });
  const local = await db.organisationReferral.findMany({
    where: { organisationId: { in: organisations.map((o) => o.id) } },
    orderBy: [{ organisationId: "asc" }, { position: "asc" }],
    select: { id: true, name: true, phone: true, hours: true, helpsWith: true, organisationId: true },
  });
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  return { title: outline.meta.title, support: outline.meta.support, national: outline.meta.referrals ?? [], local: local.map(({ organisationId, ...r }) => ({ ...r, organisation: names.get(organisationId) ?? "" })) };
}
