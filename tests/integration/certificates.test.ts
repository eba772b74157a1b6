import { beforeAll, describe, expect, it } from "vitest";
import { completeLesson } from "../../app/domain/record-lesson-progress.server.ts";
import { jobHandlers } from "../../app/jobs/handlers.server.ts";
import { drainJobs } from "../../app/jobs/queue.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";
import { inbox, lastEmail, linkIn } from "../support/smtp.ts";

const slug = "certificate-fixture";
let steps: Awaited<ReturnType<typeof fixtureCourseSteps>>;

beforeAll(async () => {
  steps = await fixtureCourseSteps(slug);
});

/** Everything but the last lesson, so that one step completes the course. */
const almostComplete = (actor: { id: string; isAdmin: boolean }, clock: ReturnType<typeof fixedClock>) => steps.almostComplete(actor, clock);

it("issues one certificate on completion, in the organisation's time zone, with a snapshot of the holder", async () => {
  const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
  await db.user.update({ where: { id: people.nurse.id }, data: { name: "Čačič Šuštar Žužek" } });
  const actor = { id: people.nurse.id, isAdmin: false };
  // 22:30 UTC on 31 August is already 1 September in Ljubljana.
  const clock = fixedClock("2026-08-31T22:30:00Z");
  await almostComplete(actor, clock);
  expect(await db.certificate.count({ where: { userId: actor.id } })).toBe(0);

  await completeLesson({ actor, slug, itemKey: "signs", secondsSpent: 60, clock });
  const certificate = await db.certificate.findFirstOrThrow({ where: { userId: actor.id } });
  expect(certificate.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  expect(certificate).toMatchObject({ holderName: "Čačič Šuštar Žužek", issuerName: organisation.name, timeZone: "Europe/Ljubljana", expiresOn: "2028-09-01", cpdCredits: 1, courseVersion: 1 });
  expect(certificate.courseTitle).toEqual({ sl: "Osnove prepoznavanja", en: "Recognition basics" });

  // The email is a job: nothing is sent until a worker runs it.
  expect(inbox(people.nurse.email).filter((m) => m.subject.startsWith("Vaše potrdilo"))).toHaveLength(0);
  expect(await drainJobs(jobHandlers(clock))).toBeGreaterThanOrEqual(1);
  const mail = lastEmail(people.nurse.email);
  expect(mail.subject).toBe("Vaše potrdilo: Osnove prepoznavanja");
  expect(mail.text).toContain("1. september 2028");
  expect(linkIn(mail, "/me/certificates").href).toBe("http://opora.test/me/certificates");

  await db.user.update({ where: { id: actor.id }, data: { name: "Renamed Person" } });
  expect((await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } })).holderName).toBe("Čačič Šuštar Žužek");
});

it("issues exactly one certificate when two requests complete the course at the same moment", async () => {
  const { people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
  const actor = { id: people.nurse.id, isAdmin: false };
  const clock = fixedClock(new Date());
  await almostComplete(actor, clock);
  const results = await Promise.allSettled([1, 2, 3].map(() => completeLesson({ actor, slug, itemKey: "signs", secondsSpent: 60, clock })));
  expect(results.filter((r) => r.status === "fulfilled" && r.value.completedNow)).toHaveLength(1);
  expect(await db.certificate.count({ where: { userId: actor.id } })).toBe(1);
  await drainJobs(jobHandlers(clock));
  expect(inbox(people.nurse.email).filter((m) => m.subject.startsWith("Vaše potrdilo"))).toHaveLength(1);
});

describe("verification and downloads", () => {
  it("shows the state to anyone, throttles unknown codes per client and never writes for valid ones", async () => {
    const { verifyCertificate } = await import("../../app/certificates/certificates.server.ts");
    const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"] });
    const actor = { id: people.nurse.id, isAdmin: false };
    const clock = fixedClock("2026-02-10T09:00:00Z");
    await almostComplete(actor, clock);
    await completeLesson({ actor, slug, itemKey: "signs", secondsSpent: 60, clock });
    const { code } = await db.certificate.findFirstOrThrow({ where: { userId: actor.id } });
    const formatted = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`.toLowerCase();

    const view = await verifyCertificate({ input: formatted, clientIp: "192.0.2.10", clock });
    expect(view).toMatchObject({ code, state: "valid", issuer: organisation.name, issuedOn: "2026-02-10", expiresOn: "2028-02-10" });
    expect(Object.keys(view)).not.toContain("email");
    clock.set("2028-01-20T09:00:00Z");
    expect((await verifyCertificate({ input: code, clientIp: "192.0.2.10", clock })).state).toBe("expiring");
    clock.set("2028-02-10T09:00:00Z");
    expect((await verifyCertificate({ input: code, clientIp: "192.0.2.10", clock })).state).toBe("expired");

    const before = await db.throttleEvent.count();
    for (let i = 0; i < 50; i++) await verifyCertificate({ input: code, clientIp: "192.0.2.10", clock });
    expect(await db.throttleEvent.count()).toBe(before);

    for (let i = 0; i < 20; i++) await expect(verifyCertificate({ input: `0000-0000-0000-${String(i).padStart(4, "0")}`, clientIp: "192.0.2.66", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(verifyCertificate({ input: code, clientIp: "192.0.2.66", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(verifyCertificate({ input: code, clientIp: "192.0.2.10", clock })).resolves.toMatchObject({ code });
    clock.advance(11 * 60_000);
    await expect(verifyCertificate({ input: code, clientIp: "192.0.2.66", clock })).resolves.toMatchObject({ code });
  });

  it("counts unknown codes sent all at once: a burst of 60 gets no more than the 20 look-ups a client has", async () => {
    const { verifyCertificate } = await import("../../app/certificates/certificates.server.ts");
    const clock = fixedClock("2026-02-11T09:00:00Z");
    const guess = (i: number) => verifyCertificate({ input: `0000-0000-0001-${String(i).padStart(4, "0")}`, clientIp: "192.0.2.88", clock });
    const burst = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => guess(i)));
    const codes = burst.map((outcome) => (outcome.status === "rejected" ? (outcome.reason as { code: string }).code : "found"));
    expect(codes.filter((code) => code !== "NOT_FOUND" && code !== "TOO_MANY_REQUESTS")).toEqual([]);
    // Guesses refused in the burst are not counted; the ones looked up are, so 20 in all, burst included.
    let lookedUp = codes.filter((code) => code === "NOT_FOUND").length;
    expect(lookedUp).toBeLessThanOrEqual(20);
    for (let i = 100; i < 130; i++) {
      const outcome = await guess(i).catch((error: { code: string }) => error.code);
      expect(["NOT_FOUND", "TOO_MANY_REQUESTS"]).toContain(outcome);
      if (outcome === "NOT_FOUND") lookedUp++;
    }
    expect(lookedUp).toBe(20);
    await expect(guess(200)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", messageKey: "check.throttled" });
    clock.advance(10 * 60_000 + 1);
    await expect(guess(200)).rejects.toMatchObject({ code: "NOT_FOUND", messageKey: "check.unknown" });
  });

  it("gives the PDF to the holder, the issuing organisation's organisers and admins only", async () => {
    const { certificatePdf } = await import("../../app/certificates/certificates.server.ts");
    const { createUser } = await import("../support/factories.ts");
    const a = await createOrganisationWithMembers({ nurse: ["LEARNER"], organiser: ["ORGANISER"], colleague: ["LEARNER"], trainer: ["TRAINER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const admin = await createUser({ isAdmin: true });
    const holder = { id: a.people.nurse.id, isAdmin: false };
    const clock = fixedClock(new Date());
    await almostComplete(holder, clock);
    await completeLesson({ actor: holder, slug, itemKey: "signs", secondsSpent: 60, clock });
    const { code } = await db.certificate.findFirstOrThrow({ where: { userId: holder.id } });
    for (const actor of [holder, a.people.organiser, admin]) {
      const { bytes } = await certificatePdf({ actor, code, locale: "sl" });
      expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe("%PDF-");
    }
    for (const actor of [a.people.colleague, a.people.trainer, b.people.organiser]) {
      await expect(certificatePdf({ actor, code, locale: "sl" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

describe("revocation", () => {
  it("lets the issuing organisation's organiser revoke with a reason, audited, and the verification page shows it at once", async () => {
    const { revokeCertificate } = await import("../../app/certificates/revoke-certificate.server.ts");
    const { verifyCertificate } = await import("../../app/certificates/certificates.server.ts");
    const a = await createOrganisationWithMembers({ nurse: ["LEARNER"], organiser: ["ORGANISER"], colleague: ["LEARNER", "TRAINER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const holder = { id: a.people.nurse.id, isAdmin: false };
    const clock = fixedClock(new Date());
    await almostComplete(holder, clock);
    await completeLesson({ actor: holder, slug, itemKey: "signs", secondsSpent: 60, clock });
    const { code } = await db.certificate.findFirstOrThrow({ where: { userId: holder.id } });

    for (const actor of [b.people.organiser, a.people.colleague, holder]) {
      await expect(revokeCertificate({ actor, code, reason: "Issued in error", clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(revokeCertificate({ actor: a.people.organiser, code, reason: " no ", clock })).rejects.toMatchObject({ field: "reason" });
    expect((await verifyCertificate({ input: code, clientIp: "192.0.2.1", clock })).state).toBe("valid");

    await revokeCertificate({ actor: a.people.organiser, code, reason: "Completed on another person's account", clock });
    expect(await verifyCertificate({ input: code, clientIp: "192.0.2.1", clock })).toMatchObject({ state: "revoked", revocationReason: "Completed on another person's account" });
    expect(await db.auditEvent.count({ where: { action: "certificate.revoke", actorId: a.people.organiser.id } })).toBe(1);
    await expect(revokeCertificate({ actor: a.people.organiser, code, reason: "Again, twice", clock })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
