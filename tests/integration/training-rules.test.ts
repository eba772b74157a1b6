import { beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { updateMembership } from "../../app/domain/organisations.server.ts";
import { isoWeek, sweepAssignmentNotices } from "../../app/organisers/assignment-notices.server.ts";
import { getDashboard } from "../../app/organisers/dashboard.server.ts";
import { applyTrainingRules, assignCourse, createTrainingRule, exemptFromAssignment, extendDueDate } from "../../app/organisers/training-rules.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { inbox } from "../support/smtp.ts";

const slug = "rules-fixture";
let courseId: string;
let versionId: string;

beforeAll(async () => {
  await importFixtureCourse(slug);
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true, versions: { select: { id: true } } } });
  courseId = course.id;
  versionId = course.versions[0].id;
});

/** A hospital whose nurses joined on 5 January 2027 (Emergency: nurse, nurse2; Paediatrics: paed; a physician in Emergency). */
async function hospital() {
  const { organisation, people } = await createOrganisationWithMembers({ boss: ["ORGANISER"], nurse: ["LEARNER"], nurse2: ["LEARNER"], paed: ["LEARNER"], doctor: ["LEARNER"] });
  const [emergency, paediatrics] = organisation.departments;
  const joined = new Date("2027-01-05T09:00:00Z");
  for (const [key, department] of [["nurse", emergency], ["nurse2", emergency], ["paed", paediatrics], ["doctor", emergency]] as const) {
    await db.membership.updateMany({ where: { userId: people[key].id, organisationId: organisation.id }, data: { departmentId: department.id, createdAt: joined } });
  }
  await db.user.update({ where: { id: people.doctor.id }, data: { profession: "PHYSICIAN" } });
  return { organisation, people, emergency, paediatrics, organiser: { id: people.boss.id, isAdmin: false } };
}

describe("training rules", () => {
  it("assign the matching people once, due at the end of the local day, and follow a move to another department", async () => {
    const { organisation, people, emergency, paediatrics, organiser } = await hospital();
    const clock = fixedClock("2027-01-10T10:00:00Z");
    const created = await createTrainingRule({ actor: organiser, organisationId: organisation.id, input: { courseId, departmentId: emergency.id, profession: "NURSE", dueWithinDays: 30 }, clock });
    expect(created.assigned).toBe(2);
    const nurseEnrolment = await db.enrolment.findFirstOrThrow({ where: { userId: people.nurse.id, courseId } });
    // The rule was made on 10 January (after joining): due by the end of 9 February, Ljubljana time.
    expect(nurseEnrolment).toMatchObject({ source: "RULE", ruleId: created.id, organisationId: organisation.id, dueAt: new Date("2027-02-09T22:59:59.999Z") });
    expect(await db.enrolment.count({ where: { userId: { in: [people.paed.id, people.doctor.id] }, courseId } })).toBe(0);

    expect(await applyTrainingRules({ organisationId: organisation.id, clock })).toEqual({ assigned: 0, renewals: 0 });

    await updateMembership({ actor: organiser, organisationId: organisation.id, userId: people.paed.id, roles: ["LEARNER"], departmentId: emergency.id, clock });
    expect(await db.enrolment.count({ where: { userId: people.paed.id, courseId, source: "RULE" } })).toBe(1);
    expect(paediatrics.id).not.toBe(emergency.id);
  });

  it("give people already taking the course of their own accord the rule's due date, counted from when each joined", async () => {
    const { organisation, people, emergency, organiser } = await hospital();
    // nurse2 joined after the rule was made; the doctor already has a due date from an earlier assignment.
    await db.membership.updateMany({ where: { userId: people.nurse2.id, organisationId: organisation.id }, data: { createdAt: new Date("2027-01-20T09:00:00Z") } });
    const own = { courseId, courseVersionId: versionId, organisationId: organisation.id, createdAt: new Date("2027-01-06T08:00:00Z"), startedAt: new Date("2027-01-06T08:00:00Z") };
    for (const key of ["nurse", "nurse2"] as const) await db.enrolment.create({ data: { ...own, userId: people[key].id, source: "SELF" } });
    await db.enrolment.create({ data: { ...own, userId: people.doctor.id, source: "ASSIGNED", dueAt: new Date("2027-03-01T22:59:59.999Z") } });
    const clock = fixedClock("2027-01-10T10:00:00Z");
    const rule = await createTrainingRule({ actor: organiser, organisationId: organisation.id, input: { courseId, departmentId: emergency.id, dueWithinDays: 30 }, clock });
    expect(rule.assigned).toBe(0);
    const dueOf = (key: "nurse" | "nurse2" | "doctor") => db.enrolment.findFirstOrThrow({ where: { userId: people[key].id, courseId }, select: { dueAt: true, ruleId: true } });
    expect(await dueOf("nurse")).toEqual({ dueAt: new Date("2027-02-09T22:59:59.999Z"), ruleId: rule.id });
    expect(await dueOf("nurse2")).toEqual({ dueAt: new Date("2027-02-19T22:59:59.999Z"), ruleId: rule.id });
    expect(await dueOf("doctor")).toEqual({ dueAt: new Date("2027-03-01T22:59:59.999Z"), ruleId: null });
    // On 15 February only the nurse who joined first is late.
    expect((await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { course: courseId }, clock: fixedClock("2027-02-15T10:00:00Z") })).counts).toMatchObject({ enrolled: 3, overdue: 1 });
  });

  it("assign the next round when renewal opens before the certificate expires", async () => {
    const { organisation, people, organiser } = await hospital();
    // The nurse completed on 1 April 2025: the 24-month certificate expires on 1 April 2027.
    const enrolment = await db.enrolment.create({ data: { userId: people.nurse.id, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "SELF", createdAt: new Date("2025-03-01T08:00:00Z"), startedAt: new Date("2025-03-01T08:00:00Z"), completedAt: new Date("2025-04-01T08:00:00Z") } });
    const certificate = await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: enrolment.id, now: new Date("2025-04-01T08:00:00Z") }));
    const early = fixedClock("2027-01-10T10:00:00Z"); // 81 days before
    await createTrainingRule({ actor: organiser, organisationId: organisation.id, input: { courseId, dueWithinDays: 30 }, clock: early });
    expect(await db.enrolment.count({ where: { userId: people.nurse.id, courseId } })).toBe(1);

    const clock = fixedClock("2027-02-01T10:00:00Z"); // 59 days before
    expect((await applyTrainingRules({ organisationId: organisation.id, clock })).renewals).toBe(1);
    const renewal = await db.enrolment.findFirstOrThrow({ where: { userId: people.nurse.id, courseId, cycle: 2 } });
    expect(renewal).toMatchObject({ kind: "RENEWAL", renewsCertificateId: certificate.id, source: "RULE", dueAt: new Date("2027-03-31T21:59:59.999Z") });
    expect((await applyTrainingRules({ organisationId: organisation.id, clock })).renewals).toBe(0);
  });

  it("validate what an organiser enters, and only for their own organisation", async () => {
    const { organisation, organiser, people } = await hospital();
    const other = await createOrganisationWithMembers({ bossB: ["ORGANISER"] });
    const clock = fixedClock("2027-01-10T10:00:00Z");
    await expect(createTrainingRule({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: organisation.id, input: { courseId, dueWithinDays: 30 }, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createTrainingRule({ actor: { id: people.nurse.id, isAdmin: false }, organisationId: organisation.id, input: { courseId, dueWithinDays: 30 }, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createTrainingRule({ actor: organiser, organisationId: organisation.id, input: { courseId: "no-such-course", dueWithinDays: 30 }, clock })).rejects.toMatchObject({ messageKey: "rules.chooseCourse" });
    await expect(createTrainingRule({ actor: organiser, organisationId: organisation.id, input: { courseId, departmentId: other.organisation.departments[0].id, dueWithinDays: 30 }, clock })).rejects.toMatchObject({ messageKey: "org.unknownDepartment" });
    await expect(assignCourse({ actor: organiser, organisationId: organisation.id, input: { courseId, dueOn: "2027-01-09" }, clock })).rejects.toMatchObject({ messageKey: "rules.dueDate" });
  });
});

describe("assignments", () => {
  it("are made by hand, extended with a reason, and exempted so they are never overdue", async () => {
    const { organisation, people, emergency, organiser } = await hospital();
    const clock = fixedClock("2027-01-10T10:00:00Z");
    expect(await assignCourse({ actor: organiser, organisationId: organisation.id, input: { courseId, departmentId: emergency.id, dueOn: "2027-01-20" }, clock })).toEqual({ assigned: 3 });
    const enrolment = await db.enrolment.findFirstOrThrow({ where: { userId: people.nurse.id, courseId } });
    await expect(extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: enrolment.id, dueOn: "2027-01-15", reason: "Sick leave" })).rejects.toMatchObject({ messageKey: "rules.laterDate" });
    await expect(extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: enrolment.id, dueOn: "2027-02-20", reason: "no" })).rejects.toMatchObject({ messageKey: "rules.reasonRequired" });
    await extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: enrolment.id, dueOn: "2027-02-20", reason: "Sick leave in January", clock });
    expect(await db.dueDateExtension.count({ where: { enrolmentId: enrolment.id } })).toBe(1);

    const late = fixedClock("2027-01-25T10:00:00Z");
    expect((await getDashboard({ actor: organiser, organisationId: organisation.id, filter: {}, clock: late })).counts.overdue).toBe(2);
    const nurse2 = await db.enrolment.findFirstOrThrow({ where: { userId: people.nurse2.id, courseId } });
    await exemptFromAssignment({ actor: organiser, organisationId: organisation.id, enrolmentId: nurse2.id, reason: "Trained at her previous hospital", clock: late });
    expect((await getDashboard({ actor: organiser, organisationId: organisation.id, filter: {}, clock: late })).counts.overdue).toBe(1);
    // Not twice, not an extension after it, not a date that does not exist, not from another person's page.
    await expect(exemptFromAssignment({ actor: organiser, organisationId: organisation.id, enrolmentId: nurse2.id, reason: "Again, by mistake", clock: late })).rejects.toMatchObject({ messageKey: "rules.alreadyExempt" });
    await expect(extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: nurse2.id, dueOn: "2027-03-01", reason: "Sick leave in February", clock: late })).rejects.toMatchObject({ messageKey: "rules.alreadyExempt" });
    await expect(extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: enrolment.id, dueOn: "2027-02-31", reason: "Sick leave in January", clock })).rejects.toMatchObject({ messageKey: "rules.dueDate" });
    await expect(extendDueDate({ actor: organiser, organisationId: organisation.id, enrolmentId: enrolment.id, userId: people.nurse2.id, dueOn: "2027-03-20", reason: "Sick leave in January", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("send each reminder once, at a sensible local hour, and respect what the person turned off", async () => {
    const { organisation, people, organiser } = await hospital();
    const assignedAt = fixedClock("2027-01-11T06:30:00Z"); // Monday 07:30 in Ljubljana: before the reminder hour (08:00)
    await assignCourse({ actor: organiser, organisationId: organisation.id, input: { courseId, dueOn: "2027-01-15" }, clock: assignedAt });
    const assignedTo = (email: string) => inbox(email).filter((m) => m.subject.startsWith("Novo usposabljanje"));
    await sweepAssignmentNotices({ clock: assignedAt });
    expect(assignedTo(people.nurse.email)).toHaveLength(0);

    // Due on the 15th, so within 7 days: a reminder too, except for someone who turned those off.
    await db.user.update({ where: { id: people.nurse2.id }, data: { mutedNotices: ["due-soon"] } });
    const nine = fixedClock("2027-01-11T08:00:00Z"); // 09:00 local
    await Promise.all([sweepAssignmentNotices({ clock: nine }), sweepAssignmentNotices({ clock: nine })]);
    expect(assignedTo(people.nurse.email)).toHaveLength(1);
    expect(assignedTo(people.nurse2.email)).toHaveLength(1);
    const dueSoon = (email: string) => inbox(email).filter((m) => m.subject.startsWith("Rok za tečaj") && !m.subject.includes("potekel"));
    expect(dueSoon(people.nurse.email)).toHaveLength(1);
    expect(dueSoon(people.nurse2.email)).toHaveLength(0);
    // The organisers' Monday digest, once a week.
    const digests = inbox(people.boss.email).filter((m) => m.subject.startsWith("Usposabljanje ta teden"));
    expect(digests).toHaveLength(1);
    expect(await db.notification.count({ where: { userId: people.boss.id, kind: "organiser-digest", milestone: isoWeek("2027-01-11") } })).toBe(1);

    const night = fixedClock("2027-01-17T22:30:00Z"); // 23:30 local, after the due date: nothing at night
    await sweepAssignmentNotices({ clock: night });
    expect(inbox(people.nurse.email).filter((m) => m.subject.includes("potekel"))).toHaveLength(0);
    await sweepAssignmentNotices({ clock: fixedClock("2027-01-18T09:00:00Z") });
    expect(inbox(people.nurse.email).filter((m) => m.subject.includes("potekel"))).toHaveLength(1);
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
  });
});

describe("organisers' weekly digest", () => {
  it("gives the dashboard's figures: current members only, each person's latest round", async () => {
    const { organisation, people, organiser } = await hospital();
    await db.user.update({ where: { id: people.boss.id }, data: { locale: "en" } });
    const leaver = await createUser({ name: "leaver" });
    await db.membership.create({ data: { userId: leaver.id, organisationId: organisation.id, roles: ["LEARNER"] } });
    const enrolment = (userId: string, data: Partial<Prisma.EnrolmentUncheckedCreateInput>) =>
      db.enrolment.create({ data: { userId, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "ASSIGNED", createdAt: new Date("2026-12-01T08:00:00Z"), ...data } });
    const certify = (enrolmentId: string, at: string) => db.$transaction((tx) => issueCertificate(tx, { enrolmentId, now: new Date(at) }));
    // Overdue since 5 January.
    await enrolment(people.nurse.id, { startedAt: new Date("2026-12-02T08:00:00Z"), dueAt: new Date("2027-01-05T22:59:59.999Z") });
    // Completed on Friday.
    await enrolment(people.nurse2.id, { source: "SELF", startedAt: new Date("2027-01-07T08:00:00Z"), completedAt: new Date("2027-01-08T12:00:00Z") });
    // An older round: certified in January 2025 (expires on 20 January), now renewing, not yet through.
    const first = await enrolment(people.paed.id, { source: "SELF", createdAt: new Date("2025-01-02T08:00:00Z"), startedAt: new Date("2025-01-02T08:00:00Z"), completedAt: new Date("2025-01-20T08:00:00Z") });
    const certificate = await certify(first.id, "2025-01-20T08:00:00Z");
    await enrolment(people.paed.id, { cycle: 2, kind: "RENEWAL", renewsCertificateId: certificate.id, source: "RULE", createdAt: new Date("2026-11-21T08:00:00Z"), startedAt: new Date("2027-01-04T08:00:00Z"), dueAt: new Date("2027-01-19T22:59:59.999Z") });
    // An older round finished late on Wednesday; the next round, assigned the day after, is overdue already.
    await enrolment(people.doctor.id, { dueAt: new Date("2026-12-31T22:59:59.999Z"), startedAt: new Date("2026-12-02T08:00:00Z"), completedAt: new Date("2027-01-06T08:00:00Z") });
    await enrolment(people.doctor.id, { cycle: 2, source: "RULE", createdAt: new Date("2027-01-07T08:00:00Z"), dueAt: new Date("2027-01-10T22:59:59.999Z") });
    // Someone who has left: completed on Saturday, and a certificate that runs out on 25 January.
    const left = await enrolment(leaver.id, { source: "SELF", createdAt: new Date("2025-01-02T08:00:00Z"), completedAt: new Date("2025-01-25T08:00:00Z") });
    await certify(left.id, "2025-01-25T08:00:00Z");
    await enrolment(leaver.id, { cycle: 2, source: "SELF", startedAt: new Date("2027-01-02T08:00:00Z"), completedAt: new Date("2027-01-09T08:00:00Z") });
    await db.membership.updateMany({ where: { userId: leaver.id, organisationId: organisation.id }, data: { endedAt: new Date("2027-01-10T08:00:00Z") } });

    const monday = fixedClock("2027-01-11T09:00:00Z"); // 10:00 in Ljubljana
    await sweepAssignmentNotices({ clock: monday });
    const digests = () => inbox(people.boss.email).filter((m) => m.subject.startsWith("This week's training"));
    expect(digests()).toHaveLength(1);
    const figure = (label: string) => Number(digests()[0].text.match(new RegExp(`${label}: (\\d+)`))?.[1]);
    const digest = { overdue: figure("Overdue assignments"), completed: figure("Courses completed in the last 7 days"), expiring: figure("Certificates expiring within 30 days") };
    const { counts } = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: {}, clock: monday });
    // Every completion the dashboard counts is from this week, so its "completed" is the week's.
    expect(digest).toEqual({ overdue: counts.overdue, completed: counts.completed, expiring: counts.expiring30 });
    expect(digest).toEqual({ overdue: 2, completed: 1, expiring: 1 });

    // Later that Monday: nothing twice, but an organiser appointed since gets hers.
    await db.membership.updateMany({ where: { userId: people.nurse.id, organisationId: organisation.id }, data: { roles: ["LEARNER", "ORGANISER"] } });
    await sweepAssignmentNotices({ clock: fixedClock("2027-01-11T12:00:00Z") });
    expect(digests()).toHaveLength(1);
    expect(inbox(people.nurse.email).filter((m) => m.subject.startsWith("Usposabljanje ta teden"))).toHaveLength(1);
  });
});

describe("referral directory", () => {
  it("puts the organisation's own contacts first on its learners' card, editable only by its organisers", async () => {
    const { addOrganisationReferral, referralCard, removeOrganisationReferral, listOrganisationReferrals } = await import("../../app/organisers/referrals.server.ts");
    const { enrol } = await import("../../app/domain/enrol.server.ts");
    const { organisation, people, organiser } = await hospital();
    const other = await createOrganisationWithMembers({ bossB: ["ORGANISER"] });
    await expect(addOrganisationReferral({ actor: organiser, organisationId: organisation.id, input: { name: "Socialna služba", phone: "call me", helpsWith: "Pogovor" } })).rejects.toMatchObject({ messageKey: "referrals.badPhone" });
    await expect(addOrganisationReferral({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: organisation.id, input: { name: "X", helpsWith: "Y" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await addOrganisationReferral({ actor: organiser, organisationId: organisation.id, input: { name: "Socialna služba UKC", phone: "+386 1 522 00 00", hours: "pon–pet 7–15", helpsWith: "Pogovor s pacientom in napotitev" } });

    const nurse = { id: people.nurse.id, isAdmin: false };
    await enrol({ actor: nurse, slug });
    const card = await referralCard({ actor: nurse, slug });
    expect(card.local).toEqual([expect.objectContaining({ name: "Socialna služba UKC", phone: "+386 1 522 00 00", organisation: organisation.name })]);
    expect(card.national.map((r) => r.id)).toContain("emergency");

    const { referrals } = await listOrganisationReferrals({ actor: organiser, organisationId: organisation.id });
    await expect(removeOrganisationReferral({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: other.organisation.id, referralId: referrals[0].id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await removeOrganisationReferral({ actor: organiser, organisationId: organisation.id, referralId: referrals[0].id });
    expect((await referralCard({ actor: nurse, slug })).local).toEqual([]);
  });
});
