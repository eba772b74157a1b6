import { describe, expect, it } from "vitest";
import { acceptInvitation, inviteMember } from "../../app/domain/invitations.server.ts";
import { createOrganisation, getOrganisationOverview, updateMembership } from "../../app/domain/organisations.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { lastEmail } from "../support/smtp.ts";

describe("organisations, invitations and roles", () => {
  it("lets only admins create organisations", async () => {
    const admin = await createUser({ isAdmin: true });
    const someone = await createUser();
    await expect(createOrganisation({ actor: someone, name: "UKC Test", timeZone: "Europe/Ljubljana", departments: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const created = await createOrganisation({ actor: admin, name: "UKC Test", timeZone: "Europe/Ljubljana", departments: ["Urgenca", "Urgenca", " "] });
    const organisation = await db.organisation.findUniqueOrThrow({ where: { id: created.id }, include: { departments: true } });
    expect(organisation.departments.map((d) => d.name)).toEqual(["Urgenca"]);
    expect(await db.auditEvent.count({ where: { subjectId: created.id, action: "organisation.create" } })).toBe(1);
  });

  it("invites a new person who accepts with the emailed link", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    await inviteMember({ actor: people.organiser, organisationId: organisation.id, email: "New.Nurse@example.org", roles: ["LEARNER"], departmentId: organisation.departments[0].id, locale: "en" });
    const link = new URL(lastEmail("new.nurse@example.org").links.find((l) => l.includes("/invite/"))!);
    const token = link.pathname.split("/").pop()!;
    const { userId, created } = await acceptInvitation({ token, signedInUserId: null, name: "New Nurse", profession: "NURSE", password: "a good password", locale: "en" });
    expect(created).toBe(true);
    const membership = await db.membership.findUniqueOrThrow({ where: { userId_organisationId: { userId, organisationId: organisation.id } } });
    expect(membership).toMatchObject({ roles: ["LEARNER"], departmentId: organisation.departments[0].id });
    await expect(acceptInvitation({ token, signedInUserId: null, name: "Again", profession: "NURSE", password: "a good password", locale: "en" })).rejects.toMatchObject({ messageKey: "invite.invalidLink" });
  });

  it("adds a membership instead of a second account when the email already has one", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const nurse = await createUser({ email: "two-hospitals@example.org" });
    const result = await inviteMember({ actor: people.organiser, organisationId: organisation.id, email: "TWO-hospitals@example.org", roles: ["LEARNER", "TRAINER"], locale: "sl" });
    expect(result.addedExistingUser).toBe(true);
    expect(await db.user.count({ where: { email: "two-hospitals@example.org" } })).toBe(1);
    expect((await db.membership.findUniqueOrThrow({ where: { userId_organisationId: { userId: nurse.id, organisationId: organisation.id } } })).roles).toEqual(["LEARNER", "TRAINER"]);
    await expect(inviteMember({ actor: people.organiser, organisationId: organisation.id, email: nurse.email, roles: ["LEARNER"], locale: "sl" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("keeps organisers out of other organisations and learners out of management", async () => {
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"], trainer: ["TRAINER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    await expect(getOrganisationOverview({ actor: b.people.organiser, organisationId: a.organisation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(inviteMember({ actor: b.people.organiser, organisationId: a.organisation.id, email: "x@example.org", roles: ["LEARNER"], locale: "sl" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateMembership({ actor: b.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, roles: ["ORGANISER"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getOrganisationOverview({ actor: a.people.learner, organisationId: a.organisation.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getOrganisationOverview({ actor: a.people.trainer, organisationId: a.organisation.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A department of another organisation cannot be assigned.
    await expect(updateMembership({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, roles: ["LEARNER"], departmentId: b.organisation.departments[0].id })).rejects.toMatchObject({ field: "departmentId" });
    expect((await db.membership.findFirstOrThrow({ where: { userId: a.people.learner.id } })).roles).toEqual(["LEARNER"]);
  });

  it("lets an organiser change roles and department, audited", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    await updateMembership({ actor: people.organiser, organisationId: organisation.id, userId: people.learner.id, roles: ["LEARNER", "TRAINER"], departmentId: organisation.departments[1].id });
    expect(await db.membership.findFirstOrThrow({ where: { userId: people.learner.id } })).toMatchObject({ roles: ["LEARNER", "TRAINER"], departmentId: organisation.departments[1].id });
    expect(await db.auditEvent.count({ where: { action: "membership.update", subjectId: people.learner.id, actorId: people.organiser.id } })).toBe(1);
    await expect(updateMembership({ actor: people.organiser, organisationId: organisation.id, userId: people.organiser.id, roles: ["LEARNER"] })).rejects.toMatchObject({ messageKey: "org.cannotDemoteSelf" });
  });
});
