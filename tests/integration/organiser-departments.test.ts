import { beforeAll, describe, expect, it } from "vitest";
import { getOrganisationQuizAnalysis } from "../../app/authoring/item-analysis.server.ts";
import { certificatePdf } from "../../app/certificates/certificates.server.ts";
import { downloadCertificateExport, certificateExportPage, getCertificateExport, requestCertificateExport } from "../../app/certificates/exports.server.ts";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { revokeCertificate } from "../../app/certificates/revoke-certificate.server.ts";
import { listAttendeeCourses, listCourseAttendees } from "../../app/cpd/attendees.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { previewInvitationImport } from "../../app/domain/invitation-import.server.ts";
import { inviteMember } from "../../app/domain/invitations.server.ts";
import { addDepartment, getMember, getOrganisationOverview, getOrganiserScope, updateMembership } from "../../app/domain/organisations.server.ts";
import { getQuizAttempt, saveQuizAnswer, startQuizAttempt, submitQuizAttempt } from "../../app/domain/quiz-attempts.server.ts";
import { jobHandlers } from "../../app/jobs/handlers.server.ts";
import { drainJobs } from "../../app/jobs/queue.server.ts";
import { isoWeek, sweepAssignmentNotices } from "../../app/organisers/assignment-notices.server.ts";
import { getCourseReport } from "../../app/organisers/course-report.server.ts";
import { getDashboard } from "../../app/organisers/dashboard.server.ts";
import { exportPeople, listPeople, PeopleQuerySchema } from "../../app/organisers/people.server.ts";
import { getPersonTraining } from "../../app/organisers/person-training.server.ts";
import { addOrganisationReferral, listOrganisationReferrals } from "../../app/organisers/referrals.server.ts";
import { archiveTrainingRule, assignCourse, createTrainingRule, exemptFromAssignment, extendDueDate, getAssignmentOptions, listTrainingRules } from "../../app/organisers/training-rules.server.ts";
import { leaveOrganisation } from "../../app/privacy/account.server.ts";
import { getAuditLog } from "../../app/privacy/audit-log.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { correctResponse, importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { inbox } from "../support/smtp.ts";
import type { Question } from "../../app/content/schema.ts";
import type { QuizItem } from "../../app/content/types.ts";

// A ward's training coordinator: an organiser limited to the Emergency department of their hospital
// sees and acts on Emergency's people only, and a person of Paediatrics is as unknown to them as a
// person of another hospital. The hospital's own organiser (boss) sees everyone, as before.

const slug = "departments-fixture";
const QUIZ = "basics-quiz";
const NOW = "2027-03-01T10:00:00Z"; // a Monday, 11:00 in Ljubljana
const clock = fixedClock(NOW);
let courseId: string;
let versionId: string;
let questions: Question[];

beforeAll(async () => {
  const imported = await importFixtureCourse(slug);
  questions = (imported.modules[0].items.find((i) => i.type === "quiz") as QuizItem).quiz.questions;
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true, versions: { select: { id: true } } } });
  courseId = course.id;
  versionId = course.versions[0].id;
});

type Actor = { id: string; isAdmin: boolean };
const as = (user: { id: string }): Actor => ({ id: user.id, isAdmin: false });

/**
 * Emergency: head (the coordinator), e1 (certified), e2 (overdue). Paediatrics: p1 (overdue), p2
 * (certified). Nobody's department: loose. Another hospital: stranger.
 */
async function hospital() {
  const { organisation, people } = await createOrganisationWithMembers({ boss: ["ORGANISER"], head: ["ORGANISER", "LEARNER"], e1: ["LEARNER"], e2: ["LEARNER"], p1: ["LEARNER"], p2: ["LEARNER"], loose: ["LEARNER"] });
  const other = await createOrganisationWithMembers({ stranger: ["LEARNER"] });
  const [emergency, paediatrics] = organisation.departments;
  for (const [key, department] of [["head", emergency], ["e1", emergency], ["e2", emergency], ["p1", paediatrics], ["p2", paediatrics]] as const) {
    await db.membership.updateMany({ where: { userId: people[key].id, organisationId: organisation.id }, data: { departmentId: department.id } });
  }
  await db.membership.updateMany({ where: { userId: people.head.id, organisationId: organisation.id }, data: { organiserDepartmentIds: [emergency.id] } });
  await db.user.updateMany({ where: { id: { in: [people.boss.id, people.head.id] } }, data: { locale: "en" } });
  const enrolment = (userId: string, data: { source?: "SELF" | "ASSIGNED"; completedAt?: Date; dueAt?: Date; startedAt?: Date }) =>
    db.enrolment.create({ data: { userId, courseId, courseVersionId: versionId, organisationId: organisation.id, source: data.source ?? "SELF", createdAt: new Date("2026-12-01T08:00:00Z"), startedAt: data.startedAt ?? null, completedAt: data.completedAt ?? null, dueAt: data.dueAt ?? null } });
  const certify = async (userId: string) => {
    const done = await enrolment(userId, { startedAt: new Date("2027-02-20T08:00:00Z"), completedAt: new Date("2027-02-25T08:00:00Z") });
    return db.$transaction((tx) => issueCertificate(tx, { enrolmentId: done.id, now: new Date("2027-02-25T08:00:00Z") }));
  };
  const e1Certificate = await certify(people.e1.id);
  const p2Certificate = await certify(people.p2.id);
  const e2Assignment = await enrolment(people.e2.id, { source: "ASSIGNED", dueAt: new Date("2027-02-01T00:00:00Z") });
  const p1Assignment = await enrolment(people.p1.id, { source: "ASSIGNED", dueAt: new Date("2027-02-01T00:00:00Z") });
  return { organisation, people, emergency, paediatrics, stranger: other.people.stranger, boss: as(people.boss), head: as(people.head), e1Certificate, p2Certificate, e2Assignment, p1Assignment };
}

const query = (raw: Record<string, string> = {}) => PeopleQuerySchema.parse(raw);

async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("a department organiser", () => {
  it("is told which departments they see; a whole-organisation organiser sees all", async () => {
    const h = await hospital();
    expect(await getOrganiserScope({ actor: h.head, organisationId: h.organisation.id })).toEqual({ departments: [{ id: h.emergency.id, name: "Emergency" }] });
    expect(await getOrganiserScope({ actor: h.boss, organisationId: h.organisation.id })).toEqual({ departments: null });
  });

  it("counts only their departments' people on the dashboard, and filters by their departments only", async () => {
    const h = await hospital();
    const mine = await getDashboard({ actor: h.head, organisationId: h.organisation.id, filter: {}, clock });
    expect(mine.counts).toMatchObject({ people: 3, enrolled: 2, completed: 1, certified: 1, overdue: 1 });
    expect(mine.byDepartment.map((d) => d.name)).toEqual(["Emergency"]);
    expect(mine.organisation.departments.map((d) => d.name)).toEqual(["Emergency"]);
    expect(mine.scopeDepartments).toEqual([{ id: h.emergency.id, name: "Emergency" }]);
    await expect(getDashboard({ actor: h.head, organisationId: h.organisation.id, filter: { department: h.paediatrics.id }, clock })).rejects.toMatchObject({ code: "INVALID", messageKey: "org.unknownDepartment" });

    const all = await getDashboard({ actor: h.boss, organisationId: h.organisation.id, filter: {}, clock });
    expect(all.counts).toMatchObject({ people: 7, enrolled: 4, completed: 2, certified: 2, overdue: 2 });
    expect(all.scopeDepartments).toBeNull();
    expect((await getDashboard({ actor: h.boss, organisationId: h.organisation.id, filter: { department: h.paediatrics.id }, clock })).counts).toMatchObject({ people: 2, overdue: 1 });
  });

  it("lists and exports only their departments' people, whatever the filter", async () => {
    const h = await hospital();
    const names = async (actor: Actor, raw: Record<string, string> = {}) => (await listPeople({ actor, organisationId: h.organisation.id, query: query(raw), clock })).rows.map((r) => r.name).sort();
    expect(await names(h.head)).toEqual(["e1", "e2", "head"]);
    expect((await listPeople({ actor: h.head, organisationId: h.organisation.id, query: query(), clock })).total).toBe(3);
    expect(await names(h.head, { status: "overdue" })).toEqual(["e2"]);
    expect(await names(h.head, { status: "none" })).toEqual(["head"]);
    expect(await names(h.head, { q: "p1" })).toEqual([]);
    expect(await names(h.boss, { q: "p1" })).toEqual(["p1"]);
    expect((await listPeople({ actor: h.head, organisationId: h.organisation.id, query: query({ status: "certified" }), clock })).total).toBe(1);
    await expect(listPeople({ actor: h.head, organisationId: h.organisation.id, query: query({ department: h.paediatrics.id }), clock })).rejects.toMatchObject({ code: "INVALID" });
    expect(await names(h.boss)).toEqual(["boss", "e1", "e2", "head", "loose", "p1", "p2"]);

    for (const format of ["csv", "xlsx"] as const) {
      const file = await exportPeople({ actor: h.head, organisationId: h.organisation.id, query: query(), locale: "en", format, clock });
      const body = format === "csv" ? await text(file.stream) : "";
      if (format === "csv") {
        expect(body).toContain("e1");
        expect(body).toContain("e2");
        expect(body).not.toMatch(/\np1|\np2|\nloose|\nboss/);
        expect(body.trim().split("\r\n")).toHaveLength(4);
      } else {
        const bytes = new Uint8Array(await new Response(file.stream).arrayBuffer());
        expect(bytes.length).toBeGreaterThan(0);
      }
    }
  });

  it("gets NOT FOUND for a person of another department, exactly as for a person of another organisation", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    for (const userId of [h.people.p1.id, h.people.loose.id, h.people.boss.id, h.stranger.id, "no-such-person"]) {
      await expect(getMember({ actor: h.head, organisationId, userId, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(getPersonTraining({ actor: h.head, organisationId, userId, locale: "en" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(leaveOrganisation({ actor: h.head, organisationId, userId, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(updateMembership({ actor: h.head, organisationId, userId, roles: ["LEARNER"], clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // Nobody's record view was logged for them.
    expect(await db.auditEvent.count({ where: { actorId: h.head.id, action: "person.view" } })).toBe(0);
    const member = await getMember({ actor: h.head, organisationId, userId: h.people.e1.id, clock });
    expect(member.membership.user.name).toBe("e1");
    expect(member.wholeOrganisation).toBe(false);
    expect((await getPersonTraining({ actor: h.head, organisationId, userId: h.people.e2.id, locale: "en" })).enrolments).toHaveLength(1);
    // The whole organisation's organiser is unchanged.
    expect((await getMember({ actor: h.boss, organisationId, userId: h.people.p1.id, clock })).membership.user.name).toBe("p1");
  });

  it("sees the overview's people and invitations of their departments only", async () => {
    const h = await hospital();
    await inviteMember({ actor: h.boss, organisationId: h.organisation.id, email: "paed-newcomer@example.org", roles: ["LEARNER"], departmentId: h.paediatrics.id, locale: "en", clock });
    await inviteMember({ actor: h.boss, organisationId: h.organisation.id, email: "er-newcomer@example.org", roles: ["LEARNER"], departmentId: h.emergency.id, locale: "en", clock });
    const overview = await getOrganisationOverview({ actor: h.head, organisationId: h.organisation.id });
    expect(overview.members.map((m) => m.user.name).sort()).toEqual(["e1", "e2", "head"]);
    expect(overview.invitations.map((i) => i.email)).toEqual(["er-newcomer@example.org"]);
    expect(overview.organisation.departments.map((d) => d.name)).toEqual(["Emergency"]);
    expect(overview.wholeOrganisation).toBe(false);
    const whole = await getOrganisationOverview({ actor: h.boss, organisationId: h.organisation.id });
    expect(whole.members).toHaveLength(7);
    expect(whole.members.find((m) => m.user.name === "head")?.organiserDepartments).toEqual(["Emergency"]);
  });

  it("reports a course and analyses its quiz over their departments' people only", async () => {
    const h = await hospital();
    expect(await getCourseReport({ actor: h.head, organisationId: h.organisation.id, courseId })).toMatchObject({ enrolled: 2, completed: 1 });
    expect(await getCourseReport({ actor: h.boss, organisationId: h.organisation.id, courseId })).toMatchObject({ enrolled: 4, completed: 2 });

    // One submitted attempt at a second course's quiz by e2 (Emergency) and one by p1 (Paediatrics).
    const quizSlug = "departments-quiz-fixture";
    await importFixtureCourse(quizSlug);
    const quizCourse = await db.course.findUniqueOrThrow({ where: { slug: quizSlug }, select: { id: true } });
    for (const person of [h.people.e2, h.people.p1]) {
      const actor = as(person);
      await enrol({ actor, slug: quizSlug, clock });
      const { attemptId } = await startQuizAttempt({ actor, slug: quizSlug, itemKey: QUIZ, clock, random: () => 0.999 });
      const attempt = await getQuizAttempt({ actor, attemptId, clock });
      for (const drawn of attempt.questions) await saveQuizAnswer({ actor, attemptId, questionKey: drawn.id, response: correctResponse(questions.find((q) => q.id === drawn.id)!), clock });
      await submitQuizAttempt({ actor, attemptId, clock });
    }
    expect(await getOrganisationQuizAnalysis({ actor: h.head, organisationId: h.organisation.id, courseId: quizCourse.id, itemKey: QUIZ })).toMatchObject({ attempts: 1, people: 1 });
    expect(await getOrganisationQuizAnalysis({ actor: h.boss, organisationId: h.organisation.id, courseId: quizCourse.id, itemKey: QUIZ })).toMatchObject({ attempts: 2, people: 2 });
  });

  it("exports certificates of their departments only, and cannot fetch a whole-organisation export", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    const filter = { state: "all" as const, locale: "en" as const };
    await expect(requestCertificateExport({ actor: h.head, organisationId, filter: { ...filter, departmentId: h.paediatrics.id }, clock })).rejects.toMatchObject({ code: "INVALID" });
    const mine = await requestCertificateExport({ actor: h.head, organisationId, filter, clock });
    const everyone = await requestCertificateExport({ actor: h.boss, organisationId, filter, clock });
    await drainJobs(jobHandlers(clock));
    expect(await getCertificateExport({ actor: h.head, organisationId, exportId: mine.id })).toMatchObject({ status: "DONE", total: 1 });
    expect(await getCertificateExport({ actor: h.boss, organisationId, exportId: everyone.id })).toMatchObject({ status: "DONE", total: 2 });
    await expect(getCertificateExport({ actor: h.head, organisationId, exportId: everyone.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(downloadCertificateExport({ actor: h.head, organisationId, exportId: everyone.id, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The whole organisation's organiser may fetch the department's export too.
    expect(await getCertificateExport({ actor: h.boss, organisationId, exportId: mine.id })).toMatchObject({ total: 1 });
    const page = await certificateExportPage({ actor: h.head, organisationId });
    expect(page.exports.map((e) => e.id)).toEqual([mine.id]);
    expect(page.organisation.departments.map((d) => d.name)).toEqual(["Emergency"]);
  });

  it("opens, revokes and lists as CPD attendees only their departments' certificates", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    await expect(certificatePdf({ actor: h.head, code: h.p2Certificate.code, locale: "en", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeCertificate({ actor: h.head, code: h.p2Certificate.code, reason: "Issued by mistake", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await certificatePdf({ actor: h.head, code: h.e1Certificate.code, locale: "en", clock })).bytes.length).toBeGreaterThan(1000);
    expect((await certificatePdf({ actor: h.boss, code: h.p2Certificate.code, locale: "en", clock })).bytes.length).toBeGreaterThan(1000);

    expect((await listAttendeeCourses({ actor: h.head, organisationId })).map((c) => c.slug)).toEqual([slug]);
    expect((await listCourseAttendees({ actor: h.head, organisationId, query: { course: slug } })).map((a) => a.name)).toEqual(["e1"]);
    expect((await listCourseAttendees({ actor: h.boss, organisationId, query: { course: slug } })).map((a) => a.name).sort()).toEqual(["e1", "p2"]);
  });

  it("assigns, extends and exempts for their departments' people only", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    const options = await getAssignmentOptions({ actor: h.head, organisationId });
    expect(options.organisation.departments.map((d) => d.name)).toEqual(["Emergency"]);
    await expect(assignCourse({ actor: h.head, organisationId, input: { courseId, departmentId: h.paediatrics.id, dueOn: "2027-06-01" }, clock })).rejects.toMatchObject({ code: "INVALID" });
    // Everyone they see: head is the only one in Emergency not taking the course yet.
    expect(await assignCourse({ actor: h.head, organisationId, input: { courseId, dueOn: "2027-06-01" }, clock })).toEqual({ assigned: 1 });
    expect(await db.enrolment.count({ where: { courseId, userId: { in: [h.people.loose.id, h.people.boss.id] } } })).toBe(0);

    await expect(extendDueDate({ actor: h.head, organisationId, enrolmentId: h.p1Assignment.id, dueOn: "2027-05-01", reason: "Long sick leave", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(exemptFromAssignment({ actor: h.head, organisationId, enrolmentId: h.p1Assignment.id, reason: "Trained elsewhere", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await extendDueDate({ actor: h.head, organisationId, enrolmentId: h.e2Assignment.id, dueOn: "2027-05-01", reason: "Long sick leave", clock });
    expect((await db.enrolment.findUniqueOrThrow({ where: { id: h.e2Assignment.id } })).dueAt?.getTime()).toBeGreaterThan(new Date("2027-04-30T00:00:00Z").getTime());
    await exemptFromAssignment({ actor: h.boss, organisationId, enrolmentId: h.p1Assignment.id, reason: "Trained elsewhere", clock });
  });

  it("invites learners into their departments only", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    const invite = (email: string, departmentId: string | undefined, roles: Array<"LEARNER" | "TRAINER" | "ORGANISER"> = ["LEARNER"]) => inviteMember({ actor: h.head, organisationId, email, roles, departmentId, locale: "en", clock });
    await expect(invite("a@example.org", h.paediatrics.id)).rejects.toMatchObject({ code: "INVALID", messageKey: "org.inviteIntoYourDepartments" });
    await expect(invite("b@example.org", undefined)).rejects.toMatchObject({ code: "INVALID", messageKey: "org.inviteIntoYourDepartments" });
    await expect(invite("c@example.org", h.emergency.id, ["LEARNER", "ORGANISER"])).rejects.toMatchObject({ code: "INVALID", messageKey: "org.inviteLearnersOnly" });
    await expect(invite("d@example.org", h.emergency.id, ["TRAINER"])).rejects.toMatchObject({ code: "INVALID", messageKey: "org.inviteLearnersOnly" });
    expect(await db.invitation.count({ where: { organisationId } })).toBe(0);
    await invite("e@example.org", h.emergency.id);
    expect(await db.invitation.findMany({ where: { organisationId }, select: { email: true, departmentId: true, roles: true } })).toEqual([{ email: "e@example.org", departmentId: h.emergency.id, roles: ["LEARNER"] }]);

    const file = new TextEncoder().encode("name;email;department\nAna;ana@example.org;Emergency\nBor;bor@example.org;Paediatrics\nCene;cene@example.org;\n");
    const preview = await previewInvitationImport({ actor: h.head, organisationId, file, clock });
    expect(preview.ok && preview.rows.map((row) => [row.email, row.problems])).toEqual([
      ["ana@example.org", []],
      ["bor@example.org", ["unknownDepartment"]],
      ["cene@example.org", ["departmentRequired"]],
    ]);
    const whole = await previewInvitationImport({ actor: h.boss, organisationId, file, clock });
    expect(whole.ok && whole.rows.every((row) => row.problems.length === 0)).toBe(true);
  });

  it("is refused organisation-wide settings", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    const refused = { code: "FORBIDDEN" };
    await expect(listTrainingRules({ actor: h.head, organisationId })).rejects.toMatchObject(refused);
    await expect(createTrainingRule({ actor: h.head, organisationId, input: { courseId, departmentId: h.emergency.id, dueWithinDays: 30 }, clock })).rejects.toMatchObject(refused);
    const rule = await createTrainingRule({ actor: h.boss, organisationId, input: { courseId, dueWithinDays: 30 }, clock });
    await expect(archiveTrainingRule({ actor: h.head, organisationId, ruleId: rule.id, clock })).rejects.toMatchObject(refused);
    await expect(addDepartment({ actor: h.head, organisationId, name: "Cardiology", clock })).rejects.toMatchObject(refused);
    await expect(listOrganisationReferrals({ actor: h.head, organisationId })).rejects.toMatchObject(refused);
    await expect(addOrganisationReferral({ actor: h.head, organisationId, input: { name: "Social work", helpsWith: "Housing" }, clock })).rejects.toMatchObject(refused);
    await expect(getAuditLog({ actor: h.head, organisationId, query: {}, locale: "en" })).rejects.toMatchObject(refused);
    expect(await db.department.count({ where: { organisationId } })).toBe(2);
    expect(await db.trainingRule.count({ where: { organisationId, archivedAt: null } })).toBe(1);
  });

  it("cannot change roles or scopes, their own or anyone's", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    // Widening their own view, or making a colleague an organiser of the whole organisation.
    await expect(updateMembership({ actor: h.head, organisationId, userId: h.head.id, roles: ["ORGANISER", "LEARNER"], organiserDepartmentIds: [], clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateMembership({ actor: h.head, organisationId, userId: h.head.id, roles: ["ORGANISER", "LEARNER"], organiserDepartmentIds: [h.emergency.id, h.paediatrics.id], clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateMembership({ actor: h.head, organisationId, userId: h.people.e1.id, roles: ["ORGANISER"], clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateMembership({ actor: h.head, organisationId, userId: h.people.e1.id, roles: ["LEARNER"], quizTimeFactor: 1.5, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const memberships = await db.membership.findMany({ where: { organisationId, userId: { in: [h.head.id, h.people.e1.id] } }, select: { userId: true, roles: true, organiserDepartmentIds: true } });
    expect(memberships.find((m) => m.userId === h.head.id)).toMatchObject({ roles: ["ORGANISER", "LEARNER"], organiserDepartmentIds: [h.emergency.id] });
    expect(memberships.find((m) => m.userId === h.people.e1.id)).toMatchObject({ roles: ["LEARNER"], organiserDepartmentIds: [] });
  });

  it("gets a weekly digest counting their departments only", async () => {
    const h = await hospital();
    await sweepAssignmentNotices({ clock });
    const digest = (email: string) => {
      const messages = inbox(email).filter((m) => m.subject.startsWith("This week's training"));
      expect(messages).toHaveLength(1);
      const figure = (label: string) => Number(messages[0].text.match(new RegExp(`${label}: (\\d+)`))?.[1]);
      return { overdue: figure("Overdue assignments"), completed: figure("Courses completed in the last 7 days"), expiring: figure("Certificates expiring within 30 days") };
    };
    expect(digest(h.people.head.email)).toEqual({ overdue: 1, completed: 1, expiring: 0 });
    expect(digest(h.people.boss.email)).toEqual({ overdue: 2, completed: 2, expiring: 0 });
    expect(await db.notification.count({ where: { kind: "organiser-digest", subjectId: h.organisation.id, milestone: isoWeek("2027-03-01") } })).toBe(2);
  });
});

describe("a whole-organisation organiser", () => {
  it("limits an organiser to departments and widens them again, audited; not themselves", async () => {
    const h = await hospital();
    const organisationId = h.organisation.id;
    const other = await createOrganisationWithMembers({ x: ["LEARNER"] });
    const coordinator = await createUser({ name: "coordinator" });
    await db.membership.create({ data: { userId: coordinator.id, organisationId, roles: ["ORGANISER"], departmentId: h.paediatrics.id } });
    const actor = as(coordinator);
    expect((await listPeople({ actor, organisationId, query: query(), clock })).total).toBe(8);

    await updateMembership({ actor: h.boss, organisationId, userId: coordinator.id, roles: ["ORGANISER"], departmentId: h.paediatrics.id, organiserDepartmentIds: [h.paediatrics.id], clock });
    expect((await listPeople({ actor, organisationId, query: query(), clock })).rows.map((r) => r.name).sort()).toEqual(["coordinator", "p1", "p2"]);
    const event = await db.auditEvent.findFirstOrThrow({ where: { organisationId, action: "membership.update", subjectId: coordinator.id }, orderBy: { at: "desc" } });
    expect(event.data).toMatchObject({ organiserDepartmentsBefore: [], organiserDepartments: [h.paediatrics.id] });
    await expect(getMember({ actor, organisationId, userId: h.people.e1.id, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Another organisation's department, or a made-up id, is refused and changes nothing.
    for (const id of [other.organisation.departments[0].id, "no-such-department"]) {
      await expect(updateMembership({ actor: h.boss, organisationId, userId: coordinator.id, roles: ["ORGANISER"], organiserDepartmentIds: [id], clock })).rejects.toMatchObject({ code: "INVALID" });
    }
    // The form leaves the limit out when nothing changes it; an empty list is the whole organisation again.
    await updateMembership({ actor: h.boss, organisationId, userId: coordinator.id, roles: ["ORGANISER"], clock });
    expect((await db.membership.findFirstOrThrow({ where: { userId: coordinator.id, organisationId } })).organiserDepartmentIds).toEqual([h.paediatrics.id]);
    await updateMembership({ actor: h.boss, organisationId, userId: coordinator.id, roles: ["ORGANISER"], organiserDepartmentIds: [], clock });
    expect((await listPeople({ actor, organisationId, query: query(), clock })).total).toBe(8);
    // No longer an organiser: no limit is kept to come back with.
    await updateMembership({ actor: h.boss, organisationId, userId: h.head.id, roles: ["LEARNER"], clock });
    expect((await db.membership.findFirstOrThrow({ where: { userId: h.head.id, organisationId } })).organiserDepartmentIds).toEqual([]);

    await expect(updateMembership({ actor: h.boss, organisationId, userId: h.boss.id, roles: ["ORGANISER"], organiserDepartmentIds: [h.emergency.id], clock })).rejects.toMatchObject({ code: "INVALID", messageKey: "org.cannotLimitSelf" });
    await expect(listTrainingRules({ actor: h.boss, organisationId })).resolves.toBeTruthy();
  });
});
