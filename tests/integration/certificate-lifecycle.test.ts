import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCertificateExport, downloadCertificateExport, getCertificateExport, requestCertificateExport } from "../../app/certificates/exports.server.ts";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { dueExpiryMilestone, sweepNotices } from "../../app/certificates/notices.server.ts";
import { revokeCertificate } from "../../app/certificates/revoke-certificate.server.ts";
import { loadLearnerCourse } from "../../app/domain/learner-course.server.ts";
import { completeLesson } from "../../app/domain/record-lesson-progress.server.ts";
import { renewalStatus, startRenewal } from "../../app/domain/renew.server.ts";
import { jobHandlers } from "../../app/jobs/handlers.server.ts";
import { drainJobs, enqueue } from "../../app/jobs/queue.server.ts";
import { CLAIM_TIMEOUT_MS } from "../../app/notifications/ledger.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { inbox } from "../support/smtp.ts";

const slug = "lifecycle-fixture";
let courseId: string;
let versionId: string;

beforeAll(async () => {
  await importFixtureCourse(slug);
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true, versions: { select: { id: true } } } });
  courseId = course.id;
  versionId = course.versions[0].id;
});

/** A learner who completed the fixture course at `completedAt`, with the certificate that issues. */
async function certified(organisationId: string, userId: string, completedAt: string, cycle = 1) {
  const now = new Date(completedAt);
  return db.$transaction(async (tx) => {
    const enrolment = await tx.enrolment.create({ data: { userId, courseId, cycle, courseVersionId: versionId, organisationId, source: "SELF", createdAt: now, startedAt: now, completedAt: now }, select: { id: true } });
    return issueCertificate(tx, { enrolmentId: enrolment.id, now });
  });
}

const expirySubjects = (email: string) => inbox(email).filter((m) => /poteče|poteklo/.test(m.subject)).map((m) => m.subject);

describe("expiry reminders", () => {
  it("picks the latest milestone reached, so a sweep after downtime sends only what matters now", () => {
    expect(dueExpiryMilestone("2028-09-01", "2028-07-02")).toBeNull(); // 61 days left
    expect(dueExpiryMilestone("2028-09-01", "2028-07-03")).toBe(60);
    expect(dueExpiryMilestone("2028-09-01", "2028-08-02")).toBe(30);
    expect(dueExpiryMilestone("2028-09-01", "2028-08-27")).toBe(7); // 5 days left after missing the 30-day one
    expect(dueExpiryMilestone("2028-09-01", "2028-09-01")).toBe(0);
    expect(dueExpiryMilestone("2028-09-01", "2028-09-20")).toBe(0);
    expect(dueExpiryMilestone("2028-09-01", "2028-10-05")).toBeNull(); // long expired: no longer news
  });

  it("sends each milestone once, also from concurrent sweeps, in the holder's language, and catches up after downtime", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
    const certificate = await certified(organisation.id, people.nurse.id, "2026-09-01T08:00:00Z");
    const stored = await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    expect(stored.expiresOn).toBe("2028-09-01");
    const clock = fixedClock("2028-07-02T10:00:00Z");

    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email)).toEqual([]);

    clock.set("2028-07-03T10:00:00Z");
    const results = await Promise.all([sweepNotices({ clock }), sweepNotices({ clock }), sweepNotices({ clock })]);
    expect(results.reduce((sum, r) => sum + r.expiry.sent, 0)).toBe(1);
    expect(expirySubjects(people.nurse.email)).toEqual(["Vaše potrdilo za tečaj Osnove prepoznavanja poteče 1. september 2028"]);
    const reminder = inbox(people.nurse.email).at(-1)!;
    expect(reminder.links.some((link) => link.endsWith(`/courses/${slug}`))).toBe(true);

    // Down from day 60 to day 5: the 30-day reminder is skipped, the 7-day one goes out once.
    clock.set("2028-08-27T10:00:00Z");
    await sweepNotices({ clock });
    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email)).toHaveLength(2);
    expect(await db.notification.findMany({ where: { subjectId: certificate.id, kind: "certificate-expiry" }, select: { milestone: true }, orderBy: { milestone: "asc" } })).toEqual([{ milestone: "60d" }, { milestone: "7d" }]);

    // On the expiry date (local time: 22:30 UTC on 31 August is 1 September in Ljubljana).
    clock.set("2028-08-31T22:30:00Z");
    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email).at(-1)).toBe("Vaše potrdilo za tečaj Osnove prepoznavanja je poteklo");
    clock.set("2028-09-15T10:00:00Z");
    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email)).toHaveLength(3);
  });

  it("does not remind about revoked or renewed certificates", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"], boss: ["ORGANISER"], renewed: ["LEARNER"] });
    const revoked = await certified(organisation.id, people.nurse.id, "2026-09-01T08:00:00Z");
    await revokeCertificate({ actor: { id: people.boss.id, isAdmin: false }, code: revoked.code, reason: "Issued to the wrong person", clock: fixedClock("2027-01-01T00:00:00Z") });
    await certified(organisation.id, people.renewed.id, "2026-09-01T08:00:00Z");
    await certified(organisation.id, people.renewed.id, "2028-08-01T08:00:00Z", 2);
    await sweepNotices({ clock: fixedClock("2028-08-27T10:00:00Z") });
    expect(expirySubjects(people.nurse.email)).toEqual([]);
    expect(expirySubjects(people.renewed.email)).toEqual([]);
  });

  it("retries a claim whose email never went out, but only once the claim is stale", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
    const certificate = await certified(organisation.id, people.nurse.id, "2026-09-01T08:00:00Z");
    const clock = fixedClock("2028-08-05T10:00:00Z");
    // Another process claimed the 30-day reminder and died before sending it.
    await db.notification.create({ data: { userId: people.nurse.id, kind: "certificate-expiry", subjectId: certificate.id, milestone: "30d", claimedAt: clock.now() } });
    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email)).toEqual([]);
    clock.advance(CLAIM_TIMEOUT_MS + 1000);
    await sweepNotices({ clock });
    await sweepNotices({ clock });
    expect(expirySubjects(people.nurse.email)).toHaveLength(1);
  });
});

describe("the certificate-issued email", () => {
  it("goes out through the job queue once, and the sweep sends it when the job was lost", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"], other: ["LEARNER"] });
    const clock = fixedClock(new Date());
    const issued = (email: string) => inbox(email).filter((m) => m.subject.startsWith("Vaše potrdilo:"));

    // Lost job: the certificate exists but nothing was queued.
    await certified(organisation.id, people.other.id, clock.now().toISOString());
    await sweepNotices({ clock });
    await sweepNotices({ clock });
    expect(issued(people.other.email)).toHaveLength(1);

    // The normal path: completion queues a job; a duplicate job still sends once.
    const certificate = await certified(organisation.id, people.nurse.id, clock.now().toISOString());
    const { enrolmentId } = await db.certificate.findUniqueOrThrow({ where: { id: certificate.id }, select: { enrolmentId: true } });
    await enqueue("certificate-issued", { enrolmentId });
    await enqueue("certificate-issued", { enrolmentId });
    expect(await drainJobs(jobHandlers(clock))).toBe(2);
    expect(issued(people.nurse.email)).toHaveLength(1);
    await sweepNotices({ clock });
    expect(issued(people.nurse.email)).toHaveLength(1);
  });
});

describe("renewal", () => {
  it("opens 60 days before expiry, requires only the refresher, and issues a certificate that supersedes the old one", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
    const actor = { id: people.nurse.id, isAdmin: false };
    const old = await certified(organisation.id, people.nurse.id, "2026-09-01T08:00:00Z");
    const early = fixedClock("2028-06-01T10:00:00Z");
    expect(await renewalStatus({ actor, courseId, clock: early })).toMatchObject({ open: false, opensOn: "2028-07-03", expiresOn: "2028-09-01", inProgress: false });
    await expect(startRenewal({ actor, slug, clock: early })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "renew.notYet" });

    const clock = fixedClock("2028-07-10T10:00:00Z");
    const first = await startRenewal({ actor, slug, clock });
    const again = await startRenewal({ actor, slug, clock });
    expect(again).toEqual({ id: first.id, created: false });
    expect(await renewalStatus({ actor, courseId, clock })).toMatchObject({ open: true, inProgress: true });

    const course = await loadLearnerCourse({ actor, slug });
    expect(course.enrolment.cycle).toBe(2);
    expect(course.state.next).toEqual({ moduleKey: "refresher", itemKey: "recap", kind: "LESSON" });
    expect(course.state.modules.map((m) => m.unlocked)).toEqual([true, true]);

    const result = await completeLesson({ actor, slug, itemKey: "recap", secondsSpent: 120, clock });
    expect(result.completedNow).toBe(true);
    const certificates = await db.certificate.findMany({ where: { userId: actor.id }, orderBy: { issuedAt: "asc" } });
    expect(certificates).toHaveLength(2);
    expect(certificates[0]).toMatchObject({ id: old.id, supersededAt: clock.now() });
    expect(certificates[1]).toMatchObject({ supersedesId: old.id, supersededAt: null, expiresOn: "2030-07-10" });
    expect(await renewalStatus({ actor, courseId, clock })).toMatchObject({ certificateCode: certificates[1].code, open: false, inProgress: false });
  });

  it("is refused without a current certificate", async () => {
    const nurse = await createUser();
    const { enrol } = await import("../../app/domain/enrol.server.ts");
    await enrol({ actor: { id: nurse.id, isAdmin: false }, slug });
    await expect(startRenewal({ actor: { id: nurse.id, isAdmin: false }, slug })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "renew.noCertificate" });
  });
});

describe("bulk certificate download", () => {
  it("builds a ZIP of the organisation's matching certificates as a job, with progress, for its organisers only", async () => {
    const a = await createOrganisationWithMembers({ boss: ["ORGANISER"], n1: ["LEARNER"], n2: ["LEARNER"], n3: ["LEARNER"], trainer: ["TRAINER"] });
    const b = await createOrganisationWithMembers({ bossB: ["ORGANISER"], other: ["LEARNER"] });
    await db.user.update({ where: { id: a.people.n1.id }, data: { name: "Čačič Šuštar" } });
    const clock = fixedClock("2027-03-01T10:00:00Z");
    await certified(a.organisation.id, a.people.n1.id, "2026-10-01T08:00:00Z");
    await certified(a.organisation.id, a.people.n2.id, "2026-11-01T08:00:00Z");
    const revoked = await certified(a.organisation.id, a.people.n3.id, "2026-12-01T08:00:00Z");
    await revokeCertificate({ actor: { id: a.people.boss.id, isAdmin: false }, code: revoked.code, reason: "Completed under another account", clock });
    await certified(b.organisation.id, b.people.other.id, "2026-10-01T08:00:00Z");

    const boss = { id: a.people.boss.id, isAdmin: false };
    const filter = { state: "current" as const, locale: "sl" as const };
    await expect(requestCertificateExport({ actor: { id: a.people.trainer.id, isAdmin: false }, organisationId: a.organisation.id, filter, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(requestCertificateExport({ actor: { id: b.people.bossB.id, isAdmin: false }, organisationId: a.organisation.id, filter, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const { id } = await requestCertificateExport({ actor: boss, organisationId: a.organisation.id, filter, clock });
    expect(await getCertificateExport({ actor: boss, organisationId: a.organisation.id, exportId: id })).toMatchObject({ status: "QUEUED", done: 0 });
    await expect(downloadCertificateExport({ actor: boss, organisationId: a.organisation.id, exportId: id })).rejects.toMatchObject({ code: "CONFLICT" });
    await drainJobs(jobHandlers(clock));
    expect(await getCertificateExport({ actor: boss, organisationId: a.organisation.id, exportId: id })).toMatchObject({ status: "DONE", total: 2, done: 2 });
    await expect(getCertificateExport({ actor: { id: b.people.bossB.id, isAdmin: false }, organisationId: a.organisation.id, exportId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const file = await downloadCertificateExport({ actor: boss, organisationId: a.organisation.id, exportId: id });
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream) chunks.push(chunk as Buffer);
    const entries = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(3);
    expect(names.filter((n) => n.endsWith(".pdf")).every((n) => /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4} .+\.pdf$/.test(n))).toBe(true);
    expect(names.some((n) => n.includes("Čačič Šuštar"))).toBe(true);
    for (const name of names.filter((n) => n.endsWith(".pdf"))) expect(new TextDecoder().decode(entries[name].slice(0, 5))).toBe("%PDF-");
    const index = new TextDecoder().decode(entries["index.csv"]);
    expect(index.split("\r\n").filter(Boolean)).toHaveLength(3);
    expect(index).not.toContain(revoked.code.slice(0, 4) + "-" + revoked.code.slice(4, 8));

    // Running the job again for a finished export changes nothing.
    await buildCertificateExport({ exportId: id, clock });
    expect(await getCertificateExport({ actor: boss, organisationId: a.organisation.id, exportId: id })).toMatchObject({ status: "DONE", total: 2 });
  });
});
