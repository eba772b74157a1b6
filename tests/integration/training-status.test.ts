import { beforeAll, expect, it } from "vitest";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";

// TrainingStatus is kept by triggers (ADR 0010). Whatever order changes come in, each row must be
// what a recomputation from Enrolment, Certificate, QuizAttempt, Membership and User gives.

let courseId: string;
let versionId: string;

beforeAll(async () => {
  await importFixtureCourse("status-fixture");
  const course = await db.course.findUniqueOrThrow({ where: { slug: "status-fixture" }, select: { id: true, versions: { select: { id: true } } } });
  courseId = course.id;
  versionId = course.versions[0].id;
});

const snapshot = () => db.$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM "TrainingStatus" ORDER BY "organisationId", "courseId", "userId"`;

/** The table rebuilt from scratch by the same function the triggers call. */
async function recomputed() {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM "TrainingStatus"`;
    await tx.$executeRaw`SELECT opora_refresh_training_status(array_agg(o), array_agg(u), array_agg(c)) FROM (
      SELECT "organisationId" AS o, "userId" AS u, "courseId" AS c FROM "Enrolment" UNION SELECT "organisationId", "userId", "courseId" FROM "Certificate") k`;
    const rows = await tx.$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM "TrainingStatus" ORDER BY "organisationId", "courseId", "userId"`;
    throw Object.assign(new Error("rollback"), { rows });
  }).catch((error: { rows?: Array<Record<string, unknown>> }) => {
    if (!error.rows) throw error;
    return error.rows;
  });
}

it("follows enrolments, attempts, certificates, memberships and accounts as they change", async () => {
  const { organisation, people } = await createOrganisationWithMembers({ ana: ["LEARNER"], bor: ["LEARNER"], cene: ["LEARNER"] });
  const [emergency, paediatrics] = organisation.departments;
  const row = async (userId: string) => (await db.$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM "TrainingStatus" WHERE "userId" = ${userId}`)[0];

  // Enrolled: a row appears with the membership's department and the account's profession.
  await db.membership.updateMany({ where: { userId: people.ana.id }, data: { departmentId: emergency.id } });
  const enrolment = await db.enrolment.create({ data: { userId: people.ana.id, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "ASSIGNED", dueAt: new Date("2027-01-01T00:00:00Z") } });
  expect(await row(people.ana.id)).toMatchObject({ member: true, departmentId: emergency.id, enrolmentId: enrolment.id, source: "ASSIGNED", startedAt: null, certificateCode: null });

  // A lesson step (last item, time spent) leaves the row alone; starting and a due-date change show.
  await db.enrolment.update({ where: { id: enrolment.id }, data: { lastItemKey: "intro", timeSpentSeconds: 60 } });
  await db.enrolment.update({ where: { id: enrolment.id }, data: { startedAt: new Date("2026-12-01T08:00:00Z"), dueAt: new Date("2027-02-01T00:00:00Z") } });
  expect(await row(people.ana.id)).toMatchObject({ startedAt: new Date("2026-12-01T08:00:00Z"), dueAt: new Date("2027-02-01T00:00:00Z") });

  // A failed then a passed attempt: the best passed score is shown.
  for (const [number, score, passed] of [[1, 40, false], [2, 90, true]] as const) {
    await db.quizAttempt.create({ data: { enrolmentId: enrolment.id, userId: people.ana.id, itemKey: "quiz", number, questions: [], startedAt: new Date(), submittedAt: new Date(), score, passed } });
  }
  expect(await row(people.ana.id)).toMatchObject({ score: 90 });

  // Completed and certified; then revoked: the certificate goes, the completion stays.
  await db.enrolment.update({ where: { id: enrolment.id }, data: { completedAt: new Date("2026-12-05T08:00:00Z") } });
  const certificate = await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: enrolment.id, now: new Date("2026-12-05T08:00:00Z") }));
  const issued = await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
  expect(await row(people.ana.id)).toMatchObject({ certificateCode: issued.code, certificateExpiresOn: issued.expiresOn, certificateIssuedAt: issued.issuedAt });
  await db.certificate.update({ where: { id: certificate.id }, data: { revokedAt: new Date("2026-12-06T08:00:00Z"), revocationReason: "issued in error" } });
  expect(await row(people.ana.id)).toMatchObject({ certificateCode: null, completedAt: new Date("2026-12-05T08:00:00Z") });

  // Moving department, a new profession, leaving the organisation.
  await db.membership.updateMany({ where: { userId: people.ana.id }, data: { departmentId: paediatrics.id } });
  await db.user.update({ where: { id: people.ana.id }, data: { profession: "PHYSICIAN" } });
  expect(await row(people.ana.id)).toMatchObject({ departmentId: paediatrics.id, profession: "PHYSICIAN", member: true });
  await db.membership.updateMany({ where: { userId: people.ana.id }, data: { endedAt: new Date() } });
  expect(await row(people.ana.id)).toMatchObject({ member: false, departmentId: null });

  // A second person certified, then renewing: the new cycle shows with the old certificate still current.
  const first = await db.enrolment.create({ data: { userId: people.bor.id, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "SELF", startedAt: new Date("2025-01-01T08:00:00Z"), completedAt: new Date("2025-01-02T08:00:00Z") } });
  const held = await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: first.id, now: new Date("2025-01-02T08:00:00Z") }));
  const renewal = await db.enrolment.create({ data: { userId: people.bor.id, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "RULE", cycle: 2, kind: "RENEWAL", renewsCertificateId: held.id } });
  expect(await row(people.bor.id)).toMatchObject({ enrolmentId: renewal.id, source: "RULE", completedAt: null, certificateCode: held.code });

  // Several people in one statement (as a training rule assigns them), then one enrolment removed.
  await db.enrolment.createMany({ data: [people.cene.id].map((userId) => ({ userId, courseId, courseVersionId: versionId, organisationId: organisation.id, source: "RULE" as const })) });
  expect(await row(people.cene.id)).toMatchObject({ source: "RULE", member: true });
  await db.enrolment.deleteMany({ where: { userId: people.cene.id } });
  expect(await row(people.cene.id)).toBeUndefined();

  expect(await snapshot()).toEqual(await recomputed());
});
