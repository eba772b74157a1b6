import { beforeAll, describe, expect, it } from "vitest";
import { verifyCertificate } from "../../app/certificates/certificates.server.ts";
import { reissueCertificate } from "../../app/certificates/reissue-certificate.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { getMember, getOrganisationOverview } from "../../app/domain/organisations.server.ts";
import { completeLesson } from "../../app/domain/record-lesson-progress.server.ts";
import { cancelAccountDeletion, confirmEmailChange, deleteAccountAsAdmin, eraseDueAccounts, leaveOrganisation, requestAccountDeletion, requestEmailChange } from "../../app/privacy/account.server.ts";
import { renderPersonalDataHtml } from "../../app/privacy/data-summary.server.ts";
import { DERIVED_PERSONAL_DATA, exportPersonalData, PERSONAL_DATA, PERSONAL_DATA_BY_PARENT } from "../../app/privacy/personal-data.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers, createUser, TEST_PASSWORD } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";
import { inbox, lastEmail, linkIn } from "../support/smtp.ts";

const slug = "privacy-fixture";
let steps: Awaited<ReturnType<typeof fixtureCourseSteps>>;

beforeAll(async () => {
  steps = await fixtureCourseSteps(slug);
});

/** A named nurse of a new organisation who completed the fixture course (certificate, quiz answers, emails). */
async function certifiedNurse(name = "Ana Čačič Novak") {
  const { organisation, people } = await createOrganisationWithMembers({ nurse: ["LEARNER"], boss: ["ORGANISER"], admin: ["LEARNER"] });
  const licence = `LIC-${Math.random().toString(36).slice(2, 10)}`;
  await db.user.update({ where: { id: people.nurse.id }, data: { name, licenceNumber: licence } });
  await db.user.update({ where: { id: people.admin.id }, data: { isAdmin: true } });
  const nurse = { id: people.nurse.id, isAdmin: false };
  const clock = fixedClock("2026-05-04T08:00:00Z");
  await steps.complete(nurse, clock);
  const certificate = await db.certificate.findFirstOrThrow({ where: { userId: nurse.id } });
  return { organisation, people, nurse, clock, certificate, email: people.nurse.email, name, licence };
}

/** Every text and JSON value in the database that contains `needle` (case-insensitive), as table.column. */
async function whereDatabaseMentions(needle: string) {
  const columns = await db.$queryRawUnsafe<Array<{ table_name: string; column_name: string; data_type: string }>>(
    `SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`, `%${needle}%`);
    if (Number(rows[0].n) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe("personal data register", () => {
  it("lists every column that can hold a person, so a new table cannot be left out of the download and deletion", async () => {
    const columns = await db.$queryRawUnsafe<Array<{ table_name: string; column_name: string }>>(
      `SELECT table_name::text, column_name::text FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
         AND (column_name ~ '(^userId$|ById$|UserId$|^actorId$)' OR column_name IN ('email', 'to', 'holderName')
              OR (table_name = 'User' AND column_name IN ('id', 'name', 'licenceNumber')) OR (table_name = 'ThrottleEvent' AND column_name = 'key'))`,
    );
    const found = columns.map((c) => `${c.table_name}.${c.column_name}`).sort();
    const registered = Object.entries({ ...PERSONAL_DATA, ...DERIVED_PERSONAL_DATA }).flatMap(([table, entry]) => entry.columns.filter((c) => c !== "name" || table === "User").map((c) => `${table}.${c}`));
    const missing = found.filter((column) => !registered.includes(column));
    expect(missing, `columns holding a person but not in PERSONAL_DATA (app/privacy/personal-data.server.ts): ${missing.join(", ")}`).toEqual([]);
  });

  it("downloads a section for every registered table, with the person's records and no secrets", async () => {
    const { nurse, email, name, licence } = await certifiedNurse();
    const data = await exportPersonalData({ actor: nurse });
    // Failed log-ins are keyed by address, not by account, and kept for a day: not part of the download.
    const sections = [...Object.keys(PERSONAL_DATA).filter((t) => t !== "ThrottleEvent"), ...Object.values(PERSONAL_DATA_BY_PARENT).map((p) => p.section)];
    for (const section of sections) expect(data, section).toHaveProperty(section);
    expect(data.User).toMatchObject({ email, name, licenceNumber: licence });
    expect(data.Enrolment).toHaveLength(1);
    expect(data.ItemProgress.length).toBeGreaterThanOrEqual(2);
    expect(data.QuizAttempt[0].answers.length).toBeGreaterThan(0);
    expect(data.CaseRun).toHaveLength(1);
    expect(data.Certificate[0]).toMatchObject({ holderName: name });
    expect(data.Membership[0]).toMatchObject({ roles: ["LEARNER"] });
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/passwordHash|tokenHash|\$argon2/);

    const html = renderPersonalDataHtml(data, "sl");
    expect(html).toContain("<h2>Vaš račun</h2>");
    expect(html).toContain("Potrdila");
    expect(html).toContain("Ana Čačič Novak");
    expect(html).not.toContain("<script");
  });
});

describe("deleting an account", () => {
  it("waits 14 days, can be cancelled, then leaves nothing that names the person while records and statistics stay", async () => {
    const { organisation, people, nurse, certificate, email, name, licence } = await certifiedNurse("Bojana Žužek Kralj");
    const organiser = { id: people.boss.id, isAdmin: false };
    const before = await getOrganisationOverview({ actor: organiser, organisationId: organisation.id });
    const clock = fixedClock("2026-06-01T10:00:00Z");

    await expect(requestAccountDeletion({ actor: nurse, password: "wrong password", clock })).rejects.toMatchObject({ messageKey: "privacy.wrongPassword" });
    const { erasedOn } = await requestAccountDeletion({ actor: nurse, password: TEST_PASSWORD, clock });
    expect(erasedOn).toBe("2026-06-15");
    expect(lastEmail(email).subject).toContain("bo izbrisan");
    await cancelAccountDeletion({ actor: nurse, clock });
    clock.set("2026-06-20T10:00:00Z");
    expect(await eraseDueAccounts({ clock })).toEqual({ erased: 0 });

    await requestAccountDeletion({ actor: nurse, password: TEST_PASSWORD, clock });
    clock.set("2026-07-03T10:00:00Z"); // 13 days later: not yet
    expect(await eraseDueAccounts({ clock })).toEqual({ erased: 0 });
    clock.set("2026-07-04T10:00:01Z");
    expect(await eraseDueAccounts({ clock })).toEqual({ erased: 1 });

    expect(await whereDatabaseMentions(email)).toEqual([]);
    expect(await whereDatabaseMentions(name)).toEqual([]);
    expect(await whereDatabaseMentions("Žužek")).toEqual([]);
    expect(await whereDatabaseMentions(licence)).toEqual([]);

    // The certificate still verifies, without the name.
    const view = await verifyCertificate({ input: certificate.code, clientIp: "198.51.100.7", clock });
    expect(view).toMatchObject({ holderName: "", holderWithdrawn: true, code: certificate.code });
    // The organisation's records: the certificate it issued and the completed enrolment remain.
    expect(await db.certificate.count({ where: { organisationId: organisation.id } })).toBe(1);
    expect(await db.enrolment.count({ where: { organisationId: organisation.id, completedAt: { not: null } } })).toBe(1);
    const after = await getOrganisationOverview({ actor: organiser, organisationId: organisation.id });
    expect(after.members).toHaveLength(before.members.length - 1);
    // The attendee list for the chamber still counts the completion, without a name.
    const { attendeesCsvFile } = await import("../../app/cpd/attendees.server.ts");
    const csv = await attendeesCsvFile({ actor: organiser, organisationId: organisation.id, query: { course: slug }, locale: "sl", clock });
    expect(csv.count).toBe(1);
    expect(csv.body).toContain("Izdano; imetnik je pozneje umaknil svoje osebne podatke");
    // Nobody can log in as the erased account or receive mail at its address.
    expect(await db.user.findUniqueOrThrow({ where: { id: nurse.id }, select: { passwordHash: true, deletedAt: true } })).toEqual({ passwordHash: null, deletedAt: clock.now() });
    expect(await db.session.count({ where: { userId: nurse.id } })).toBe(0);
  });

  it("is done at once by an admin, and by nobody else", async () => {
    const { organisation, people, nurse, email } = await certifiedNurse("Cvetka Horvat");
    // An invitation sent before she had an account names her address in the audit log.
    await db.auditEvent.create({ data: { actorId: people.boss.id, organisationId: organisation.id, action: "invitation.create", subjectType: "Invitation", subjectId: "earlier-invitation", data: { email, roles: ["LEARNER"] } } });
    expect(await whereDatabaseMentions(email)).toContain("AuditEvent.data");
    await expect(deleteAccountAsAdmin({ actor: { id: people.boss.id, isAdmin: false }, userId: nurse.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await deleteAccountAsAdmin({ actor: { id: people.admin.id, isAdmin: true }, userId: nurse.id });
    expect(await whereDatabaseMentions(email)).toEqual([]);
    expect(await whereDatabaseMentions("Cvetka Horvat")).toEqual([]);
    await expect(deleteAccountAsAdmin({ actor: { id: people.admin.id, isAdmin: true }, userId: nurse.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("changing the email address", () => {
  it("changes only when the new address confirms, and tells the old one", async () => {
    const user = await createUser({ name: "Darja Kos" });
    const actor = { id: user.id, isAdmin: false };
    const newEmail = `darja-${Date.now()}@example.org`;
    await expect(requestEmailChange({ actor, newEmail, password: "nope" })).rejects.toMatchObject({ messageKey: "privacy.wrongPassword" });
    await requestEmailChange({ actor, newEmail: newEmail.toUpperCase(), password: TEST_PASSWORD });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    expect(lastEmail(user.email).text).toContain("d•••@example.org");
    const link = linkIn(lastEmail(newEmail), "/settings/email");
    const token = link.searchParams.get("token")!;
    await confirmEmailChange({ token });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(newEmail);
    expect(lastEmail(user.email).subject).toBe("Vaš e-poštni naslov v Opori je spremenjen");
    await expect(confirmEmailChange({ token })).rejects.toMatchObject({ messageKey: "privacy.emailLinkInvalid" });
  });

  it("does not reveal that an address has an account: its owner is told instead", async () => {
    const user = await createUser();
    const other = await createUser();
    const sentToOther = inbox(other.email).length;
    await requestEmailChange({ actor: { id: user.id, isAdmin: false }, newEmail: other.email, password: TEST_PASSWORD });
    expect(inbox(other.email)).toHaveLength(sentToOther + 1);
    expect(lastEmail(other.email).subject).toBe("Nekdo je želel v Opori uporabiti vaš naslov");
    expect(await db.token.count({ where: { userId: user.id, kind: "CHANGE_EMAIL" } })).toBe(0);
  });
});

describe("leaving an organisation", () => {
  it("hides the person's future activity from the organisers and keeps what was completed there", async () => {
    const { organisation, people, nurse } = await certifiedNurse("Eva Mlakar");
    const organiser = { id: people.boss.id, isAdmin: false };
    // A second course in progress, reported to the organisation until the nurse leaves.
    const other = await fixtureCourseSteps("privacy-second");
    await enrol({ actor: nurse, slug: "privacy-second" });
    await completeLesson({ actor: nurse, slug: "privacy-second", itemKey: "what-is-it", secondsSpent: 30 });
    expect(other.course.slug).toBe("privacy-second");

    await leaveOrganisation({ actor: nurse, organisationId: organisation.id });
    expect(await db.enrolment.findFirstOrThrow({ where: { userId: nurse.id, course: { slug: "privacy-second" } }, select: { organisationId: true } })).toEqual({ organisationId: null });
    expect(await db.enrolment.count({ where: { userId: nurse.id, organisationId: organisation.id, completedAt: { not: null } } })).toBe(1);
    expect((await getOrganisationOverview({ actor: organiser, organisationId: organisation.id })).members.map((m) => m.user.id)).not.toContain(nurse.id);
    const member = await getMember({ actor: organiser, organisationId: organisation.id, userId: nurse.id });
    expect(member.membership.endedAt).not.toBeNull();
    expect(member.certificates).toHaveLength(1);
    // Leaving twice, or an organisation one never joined, is refused.
    await expect(leaveOrganisation({ actor: nurse, organisationId: organisation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A former organiser loses their rights with the membership.
    await leaveOrganisation({ actor: organiser, organisationId: organisation.id });
    await expect(getOrganisationOverview({ actor: organiser, organisationId: organisation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("a certificate after a change of name", () => {
  it("keeps the name it was issued to until its holder asks for a re-issue", async () => {
    const { nurse, certificate } = await certifiedNurse("Fani Zupan");
    await db.user.update({ where: { id: nurse.id }, data: { name: "Fani Zupan Rozman" } });
    expect((await verifyCertificate({ input: certificate.code, clientIp: "198.51.100.8" })).holderName).toBe("Fani Zupan");
    const clock = fixedClock("2026-09-01T09:00:00Z");
    await reissueCertificate({ actor: nurse, code: certificate.code, clock });
    const view = await verifyCertificate({ input: certificate.code, clientIp: "198.51.100.8", clock });
    expect(view).toMatchObject({ holderName: "Fani Zupan Rozman", reissuedOn: "2026-09-01", issuedOn: "2026-05-04" });
    await expect(reissueCertificate({ actor: nurse, code: certificate.code, clock })).rejects.toMatchObject({ messageKey: "reissue.sameName" });
    const stranger = await createUser();
    await expect(reissueCertificate({ actor: { id: stranger.id, isAdmin: false }, code: certificate.code })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.reissue", subjectUserId: nurse.id } });
    expect(audit.data).toEqual({ previousName: "Fani Zupan" });
  });
});
