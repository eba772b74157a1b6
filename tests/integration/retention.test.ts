import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { downloadCertificateExport } from "../../app/certificates/exports.server.ts";
import { jobHandlers } from "../../app/jobs/handlers.server.ts";
import { drainJobs, enqueue } from "../../app/jobs/queue.server.ts";
import { RETENTION_RULES, runRetention } from "../../app/privacy/retention.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { putFile, readStoredFile } from "../../app/utils/storage.server.ts";
import { replaceIn } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";

const slug = "retention-fixture";
let steps: Awaited<ReturnType<typeof fixtureCourseSteps>>;

beforeAll(async () => {
  // Every question drawn, so each attempt includes the free-text (short answer) one.
  steps = await fixtureCourseSteps(slug, (dir) => replaceIn(`${dir}/01-basics/quiz.yaml`, "draw: 5", "draw: 6"));
});

// With the defaults (12 months for answers, 7 days for ZIPs, 24 months for the email log), a run at
// NOW removes answers of courses completed before 2025-06-15T10:00Z.
const NOW = "2026-06-15T10:00:00Z";
const DAY = 864e5;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs);
const secret = () => randomBytes(16).toString("hex");

/** Everything a learner's record holds that retention must not touch. */
async function results(userId: string) {
  const [enrolments, attempts, answers, runs, certificates, progress] = await Promise.all([
    db.enrolment.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    db.quizAttempt.findMany({ where: { userId }, select: { id: true, score: true, passed: true, startedAt: true, submittedAt: true, closedBy: true, questions: true }, orderBy: { id: "asc" } }),
    db.quizAnswer.findMany({ where: { attempt: { userId } }, select: { id: true, questionKey: true, points: true, answeredAt: true }, orderBy: { id: "asc" } }),
    db.caseRun.findMany({ where: { enrolment: { userId } }, select: { id: true, outcome: true, currentNode: true, startedAt: true, endedAt: true }, orderBy: { id: "asc" } }),
    db.certificate.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    db.itemProgress.findMany({ where: { enrolment: { userId } }, orderBy: { id: "asc" } }),
  ]);
  return { enrolments, attempts, answers, runs, certificates, progress };
}

const responsesOf = async (userId: string) => (await db.quizAnswer.findMany({ where: { attempt: { userId } }, select: { response: true } })).map((a) => a.response);
const pathsOf = async (userId: string) => (await db.caseRun.findMany({ where: { enrolment: { userId } }, select: { path: true } })).map((r) => r.path);
const fileExists = (key: string) => {
  try {
    readStoredFile(key);
    return true;
  } catch {
    return false;
  }
};

describe("retention", () => {
  it("removes raw answers, stale sign-in data, old ZIPs and old email logs, and keeps results and recent data", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ old: ["LEARNER"], recent: ["LEARNER"], boss: ["ORGANISER"] });
    // Completed a minute before and a minute after the 12-month cut.
    await steps.complete({ id: people.old.id, isAdmin: false }, fixedClock("2025-06-15T09:59:00Z"));
    await steps.complete({ id: people.recent.id, isAdmin: false }, fixedClock("2025-06-15T10:01:00Z"));
    const oldBefore = await results(people.old.id);
    const recentBefore = await results(people.recent.id);
    expect(oldBefore.certificates).toHaveLength(1);
    expect(oldBefore.answers.length).toBeGreaterThan(0);
    expect(oldBefore.answers.every((a) => a.points !== null)).toBe(true);
    expect(await responsesOf(people.old.id)).toContainEqual({ text: expect.any(String) });
    expect((await pathsOf(people.old.id)).flat().length).toBeGreaterThan(0);
    const recentResponses = await responsesOf(people.recent.id);
    const recentPaths = await pathsOf(people.recent.id);

    const user = people.old.id;
    await db.session.createMany({
      data: [
        { id: secret(), userId: user, expiresAt: at(-1) },
        { id: secret(), userId: user, expiresAt: at(60_000) },
      ],
    });
    await db.token.createMany({
      data: [
        { kind: "VERIFY_EMAIL", tokenHash: secret(), userId: user, createdAt: at(-10 * DAY), expiresAt: at(-8 * DAY) },
        { kind: "RESET_PASSWORD", tokenHash: secret(), userId: user, createdAt: at(-9 * DAY), expiresAt: at(-9 * DAY + 3_600_000), usedAt: at(-9 * DAY + 60_000) },
        { kind: "RESET_PASSWORD", tokenHash: secret(), userId: user, createdAt: at(-6 * DAY), expiresAt: at(-6 * DAY + 3_600_000), usedAt: at(-6 * DAY) },
        { kind: "VERIFY_EMAIL", tokenHash: secret(), userId: user, createdAt: at(-DAY), expiresAt: at(DAY) },
      ],
    });
    await db.throttleEvent.createMany({ data: [{ key: "login:a@example.org", at: at(-DAY - 1000) }, { key: "login:a@example.org", at: at(-DAY + 60_000) }] });
    await db.emailMessage.createMany({
      data: [
        { userId: user, to: "a@example.org", subject: "Old", kind: "test", createdAt: new Date("2024-06-15T09:00:00Z"), sentAt: new Date("2024-06-15T09:00:00Z") },
        { userId: user, to: "a@example.org", subject: "Recent", kind: "test", createdAt: new Date("2024-06-15T11:00:00Z"), sentAt: new Date("2024-06-15T11:00:00Z") },
      ],
    });

    // Invitations: one expired 31 days ago (removed), one accepted 29 days ago and one still open (kept).
    const invitation = (email: string, expiresAt: Date, acceptedAt: Date | null) => ({ organisationId: organisation.id, email, name: "Invited Person", roles: ["LEARNER"], tokenHash: secret(), createdAt: at(-40 * DAY), expiresAt, acceptedAt });
    await db.invitation.createMany({ data: [invitation("gone@example.org", at(-31 * DAY), null), invitation("accepted@example.org", at(-20 * DAY), at(-29 * DAY)), invitation("open@example.org", at(DAY), null)] });

    // Two exports with the same bytes share one stored file; a third has its own.
    const shared = putFile(new TextEncoder().encode(`shared zip ${secret()}`));
    const own = putFile(new TextEncoder().encode(`own zip ${secret()}`));
    const exportRow = (storageKey: string, finishedAt: Date) => ({ organisationId: organisation.id, requestedById: people.boss.id, filter: { state: "all", locale: "sl" }, status: "DONE" as const, total: 1, done: 1, storageKey, sizeBytes: 10, createdAt: finishedAt, finishedAt });
    const oldShared = await db.certificateExport.create({ data: exportRow(shared.sha256, at(-8 * DAY)) });
    const newShared = await db.certificateExport.create({ data: exportRow(shared.sha256, at(-2 * DAY)) });
    const oldOwn = await db.certificateExport.create({ data: exportRow(own.sha256, at(-7 * DAY - 1000)) });

    const clock = fixedClock(NOW);
    const first = await runRetention({ clock });
    expect(first).toEqual({ quizAnswers: oldBefore.answers.length, caseChoices: oldBefore.runs.length, sessions: 1, tokens: 2, throttleEvents: 1, invitations: 1, certificateExports: 2, emailLog: 1 });

    // Raw answers and choices are gone; scores, points, outcomes, progress and the certificate are not.
    expect(await responsesOf(people.old.id)).toEqual(oldBefore.answers.map(() => null));
    expect(await pathsOf(people.old.id)).toEqual(oldBefore.runs.map(() => []));
    expect(await results(people.old.id)).toEqual(oldBefore);
    expect(oldBefore.attempts.every((a) => a.passed === true && a.score !== null)).toBe(true);
    // The learner who completed after the cut keeps everything.
    expect(await responsesOf(people.recent.id)).toEqual(recentResponses);
    expect(await pathsOf(people.recent.id)).toEqual(recentPaths);
    expect(await results(people.recent.id)).toEqual(recentBefore);

    expect(await db.session.findMany({ where: { userId: user }, select: { expiresAt: true } })).toEqual([{ expiresAt: at(60_000) }]);
    expect((await db.token.findMany({ where: { userId: user }, select: { createdAt: true }, orderBy: { createdAt: "asc" } })).map((t) => t.createdAt)).toEqual([at(-6 * DAY), at(-DAY)]);
    expect(await db.throttleEvent.findMany({ select: { at: true } })).toEqual([{ at: at(-DAY + 60_000) }]);
    expect((await db.emailMessage.findMany({ where: { userId: user }, select: { subject: true } })).map((m) => m.subject)).toEqual(["Recent"]);

    const statuses = async () => Object.fromEntries((await db.certificateExport.findMany({ where: { organisationId: organisation.id }, select: { id: true, status: true } })).map((e) => [e.id, e.status]));
    expect(await statuses()).toEqual({ [oldShared.id]: "EXPIRED", [newShared.id]: "DONE", [oldOwn.id]: "EXPIRED" });
    expect(fileExists(own.sha256)).toBe(false);
    expect(fileExists(shared.sha256)).toBe(true);
    const boss = { id: people.boss.id, isAdmin: false };
    await expect(downloadCertificateExport({ actor: boss, organisationId: organisation.id, exportId: oldShared.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await downloadCertificateExport({ actor: boss, organisationId: organisation.id, exportId: newShared.id });

    // A second run the same day finds nothing more to remove.
    expect(await runRetention({ clock })).toEqual({ quizAnswers: 0, caseChoices: 0, sessions: 0, tokens: 0, throttleEvents: 0, invitations: 0, certificateExports: 0, emailLog: 0 });
    expect(await results(people.old.id)).toEqual(oldBefore);
    expect(fileExists(shared.sha256)).toBe(true);

    // Once the newer export expires too, the shared file goes.
    clock.set(at(6 * DAY));
    expect(await runRetention({ clock })).toMatchObject({ certificateExports: 1 });
    expect(await statuses()).toEqual({ [oldShared.id]: "EXPIRED", [newShared.id]: "EXPIRED", [oldOwn.id]: "EXPIRED" });
    expect(fileExists(shared.sha256)).toBe(false);

    // One audit event per run, by no one, with counts and nothing about people.
    const audits = await db.auditEvent.findMany({ where: { action: "retention.run" }, orderBy: { at: "asc" } });
    expect(audits).toHaveLength(3);
    expect(audits[0]).toMatchObject({ actorId: null, organisationId: null, subjectUserId: null, at: new Date(NOW), data: first });
    expect(JSON.stringify(audits)).not.toContain(people.old.id);
  });

  it("describes each rule and runs as the daily job through the queue", async () => {
    expect(RETENTION_RULES.map((rule) => rule.name)).toEqual(["quizAnswers", "caseChoices", "sessions", "tokens", "throttleEvents", "invitations", "certificateExports", "emailLog"]);
    expect(RETENTION_RULES.find((rule) => rule.name === "certificateExports")?.describe).toContain("7 days");

    const { people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
    const clock = fixedClock("2026-09-01T01:15:00Z");
    await db.session.create({ data: { id: secret(), userId: people.nurse.id, expiresAt: new Date("2026-08-31T00:00:00Z") } });
    const audits = await db.auditEvent.count({ where: { action: "retention.run" } });

    await enqueue("retention", {});
    expect(await drainJobs(jobHandlers(clock))).toBeGreaterThanOrEqual(1);
    expect(await db.session.count({ where: { userId: people.nurse.id } })).toBe(0);
    const events = await db.auditEvent.findMany({ where: { action: "retention.run" }, orderBy: { at: "asc" } });
    expect(events).toHaveLength(audits + 1);
    expect(events.at(-1)).toMatchObject({ actorId: null, at: clock.now() });
    expect(Object.keys(events.at(-1)?.data as object).sort()).toEqual(RETENTION_RULES.map((rule) => rule.name).sort());
  });
});
