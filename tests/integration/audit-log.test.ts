import { describe, expect, it } from "vitest";
import { addDepartment, getMember, updateMembership } from "../../app/domain/organisations.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";

// The audit log as admins, organisers and the people it concerns read it, and the "who has seen my
// record" events that opening someone's page or certificate writes.

const { AUDIT_PAGE_SIZE, auditLogCsvFile, getAuditLog, getMyRecordAccess } = await import("../../app/privacy/audit-log.server.ts");
const { certificatePdf } = await import("../../app/certificates/certificates.server.ts");
const { certificateCredential } = await import("../../app/certificates/open-badges.server.ts");
const { credentialKeysFrom, generateSigningJwk } = await import("../../app/certificates/keys.server.ts");
const { revokeCertificate } = await import("../../app/certificates/revoke-certificate.server.ts");
const { legalDocument } = await import("../../app/privacy/legal.server.ts");
const { env, readLegalContacts } = await import("../../app/utils/env.server.ts");

const HOUR = 60 * 60_000;
const csvLines = (body: string) => body.replace(/^\uFEFF/, "").trimEnd().split("\r\n");

describe("reading the audit log", () => {
  it("shows an organiser only their own organisation's events and refuses trainers and learners", async () => {
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"], trainer: ["TRAINER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    await updateMembership({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, roles: ["LEARNER", "TRAINER"] });
    await updateMembership({ actor: b.people.organiser, organisationId: b.organisation.id, userId: b.people.learner.id, roles: ["LEARNER", "TRAINER"] });

    // Asking for organisation B on A's page changes nothing: the page is A's.
    const log = await getAuditLog({ actor: a.people.organiser, organisationId: a.organisation.id, query: { organisation: b.organisation.id }, locale: "en" });
    const bEvents = await db.auditEvent.findMany({ where: { organisationId: b.organisation.id }, select: { id: true } });
    expect(bEvents.length).toBeGreaterThan(0);
    expect(log.rows.map((row) => row.id)).not.toEqual(expect.arrayContaining([bEvents[0].id]));
    expect(log.rows.every((row) => row.organisation === a.organisation.name)).toBe(true);
    expect(log.rows[0]).toMatchObject({ actionLabel: "Changed role, department or quiz time", actor: `organiser (${a.people.organiser.email})`, role: "Organiser", subject: `learner (${a.people.learner.email})` });
    expect(log.rows[0].summary).toContain("Roles: Learner, Trainer");
    expect(log.rows[0].summary).toContain("Roles before: Learner");
    expect(log.scope.timeZone).toBe("Europe/Ljubljana");

    for (const actor of [a.people.trainer, a.people.learner]) {
      await expect(getAuditLog({ actor, organisationId: a.organisation.id, query: {}, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(auditLogCsvFile({ actor, organisationId: a.organisation.id, query: {}, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    // Another organisation's organiser cannot tell that A exists; nobody but admins reads the whole log.
    await expect(getAuditLog({ actor: b.people.organiser, organisationId: a.organisation.id, query: {}, locale: "en" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getAuditLog({ actor: a.people.organiser, query: {}, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(auditLogCsvFile({ actor: a.people.organiser, query: {}, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("shows an admin every organisation's events, filtered by action, organisation, period and person", async () => {
    const admin = await createUser({ isAdmin: true, name: "Ana Admin" });
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const clock = fixedClock("2026-03-10T10:00:00Z");
    await updateMembership({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, roles: ["LEARNER", "TRAINER"], clock });
    // 23:30 UTC on 12 March is already 13 March in Ljubljana.
    clock.set("2026-03-12T23:30:00Z");
    await updateMembership({ actor: b.people.organiser, organisationId: b.organisation.id, userId: b.people.learner.id, roles: ["LEARNER", "TRAINER"], clock });
    await getMember({ actor: b.people.organiser, organisationId: b.organisation.id, userId: b.people.learner.id, clock });

    const all = await getAuditLog({ actor: admin, query: {}, locale: "en" });
    const organisations = new Set(all.rows.map((row) => row.organisation));
    expect(organisations).toContain(a.organisation.name);
    expect(organisations).toContain(b.organisation.name);
    expect(all.organisations.map((o) => o.id)).toEqual(expect.arrayContaining([a.organisation.id, b.organisation.id]));
    // Newest first.
    expect([...all.rows.map((row) => row.at)]).toEqual([...all.rows.map((row) => row.at)].sort().reverse());

    const views = await getAuditLog({ actor: admin, query: { action: "person.view", organisation: b.organisation.id }, locale: "en" });
    expect(views.rows).toHaveLength(1);
    expect(views.rows[0]).toMatchObject({ action: "person.view", actionLabel: "Opened a person's page", role: "Organiser", time: "13 Mar 2026, 00:30" });

    const onThe13th = await getAuditLog({ actor: admin, query: { from: "2026-03-13", to: "2026-03-13" }, locale: "en" });
    expect(onThe13th.rows.map((row) => row.organisation)).toEqual([b.organisation.name, b.organisation.name]);
    const onThe10th = await getAuditLog({ actor: admin, query: { from: "2026-03-10", to: "2026-03-12" }, locale: "sl" });
    expect(onThe10th.rows).toHaveLength(1);
    expect(onThe10th.rows[0]).toMatchObject({ organisation: a.organisation.name, actionLabel: "Sprememba vloge, oddelka ali časa za preverjanja", time: "10. mar. 2026, 11:00" });

    // Part of an email finds what the person did and what was done concerning them.
    const aboutLearner = await getAuditLog({ actor: admin, query: { person: b.people.learner.email.split("@")[0].toUpperCase() }, locale: "en" });
    expect(aboutLearner.personFound).toBe(true);
    expect(aboutLearner.rows.map((row) => row.action).sort()).toEqual(["membership.update", "person.view"]);
    const byOrganiser = await getAuditLog({ actor: admin, query: { person: a.people.organiser.email }, locale: "en" });
    expect(byOrganiser.rows.map((row) => row.actor)).toEqual([`organiser (${a.people.organiser.email})`]);
    const nobody = await getAuditLog({ actor: admin, query: { person: "nobody-at-all@example.org" }, locale: "en" });
    expect(nobody).toMatchObject({ personFound: false, rows: [] });
  });

  it("answers filters it cannot read with a message, not an error page", async () => {
    const admin = await createUser({ isAdmin: true });
    expect(await getAuditLog({ actor: admin, query: { from: "2026-02-30" }, locale: "en" })).toMatchObject({ problem: { field: "from", messageKey: "audit.invalidDate" }, rows: [] });
    expect(await getAuditLog({ actor: admin, query: { to: "yesterday" }, locale: "en" })).toMatchObject({ problem: { field: "to", messageKey: "audit.invalidDate" } });
    expect(await getAuditLog({ actor: admin, query: { from: "2026-03-02", to: "2026-03-01" }, locale: "en" })).toMatchObject({ problem: { field: "to", messageKey: "audit.periodOrder" } });
    expect(await getAuditLog({ actor: admin, query: { action: "DROP TABLE" }, locale: "en" })).toMatchObject({ problem: { field: "action", messageKey: "audit.invalidAction" } });
    expect(await getAuditLog({ actor: admin, query: { before: "not-a-cursor" }, locale: "en" })).toMatchObject({ problem: { field: "before" } });
    await expect(auditLogCsvFile({ actor: admin, query: { from: "2026-13-01" }, locale: "en" })).rejects.toMatchObject({ code: "INVALID", field: "from", messageKey: "audit.invalidDate" });
    // Empty fields (a cleared form) are no filter at all.
    expect((await getAuditLog({ actor: admin, query: { from: "", to: " ", action: "", person: "" }, locale: "en" })).problem).toBeNull();
  });

  it("pages through 50 events at a time without repeating or skipping one", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const at = new Date("2026-01-05T08:00:00Z");
    // Several events in the same millisecond: the id breaks the tie.
    await db.auditEvent.createMany({
      data: Array.from({ length: AUDIT_PAGE_SIZE + 5 }, (_, i) => ({ actorId: people.organiser.id, organisationId: organisation.id, action: "department.create", subjectType: "Department", subjectId: `d${i}`, data: { name: `Dept ${i}` }, at: new Date(at.getTime() + Math.floor(i / 3) * 1000) })),
    });
    const first = await getAuditLog({ actor: people.organiser, organisationId: organisation.id, query: {}, locale: "en" });
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await getAuditLog({ actor: people.organiser, organisationId: organisation.id, query: { before: first.nextCursor! }, locale: "en" });
    expect(second.rows).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.rows, ...second.rows].map((row) => row.subject);
    expect(new Set(seen).size).toBe(AUDIT_PAGE_SIZE + 5);
  });

  it("exports the filtered events as CSV with awkward text escaped", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const clock = fixedClock("2026-04-01T09:15:00Z");
    await addDepartment({ actor: people.organiser, organisationId: organisation.id, name: '=HYPERLINK("http://evil.example");Kardiologija', clock });
    clock.advance(60_000);
    await updateMembership({ actor: people.organiser, organisationId: organisation.id, userId: people.learner.id, roles: ["LEARNER"], clock });

    const { body, filename } = await auditLogCsvFile({ actor: people.organiser, organisationId: organisation.id, query: { action: "department.create" }, locale: "en", clock });
    expect(filename).toBe(`opora-audit-${organisation.slug}-2026-04-01.csv`);
    expect(body.startsWith("\uFEFF")).toBe(true);
    const lines = csvLines(body);
    expect(lines[0]).toBe("Time (Europe/Ljubljana);Who;Role;Organisation;Action;Action code;Concerning;Details");
    expect(lines).toHaveLength(2);
    // A spreadsheet must read the name as text, not run it as a formula; ";" and '"' stay inside one cell.
    expect(lines[1]).toBe(`2026-04-01 11:15;organiser (${people.organiser.email});Organiser;${organisation.name};Added a department;department.create;"'=HYPERLINK(""http://evil.example"");Kardiologija";"Name: =HYPERLINK(""http://evil.example"");Kardiologija"`);

    const everything = csvLines((await auditLogCsvFile({ actor: people.organiser, organisationId: organisation.id, query: {}, locale: "sl", clock })).body);
    expect(everything[0]).toContain("Čas (Europe/Ljubljana);Kdo;Vloga");
    expect(everything.slice(1).map((line) => line.split(";")[5])).toEqual(["membership.update", "department.create"]);
  });
});

describe("who has seen my record", () => {
  it("records an organiser opening a person's page once an hour, never a person opening their own", async () => {
    const admin = await createUser({ isAdmin: true, name: "Ana Admin" });
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"], colleague: ["LEARNER"] });
    const clock = fixedClock("2026-05-04T08:00:00Z");
    const views = (userId: string) => db.auditEvent.count({ where: { action: "person.view", subjectUserId: userId } });

    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, clock });
    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, clock });
    clock.advance(59 * 60_000);
    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, clock });
    expect(await views(a.people.learner.id)).toBe(1);
    clock.advance(2 * 60_000);
    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, clock });
    expect(await views(a.people.learner.id)).toBe(2);
    // Another viewer is another line, even within the hour.
    clock.advance(60_000);
    await getMember({ actor: admin, organisationId: a.organisation.id, userId: a.people.learner.id, clock });
    expect(await views(a.people.learner.id)).toBe(3);

    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.organiser.id, clock });
    expect(await views(a.people.organiser.id)).toBe(0);

    clock.advance(HOUR);
    await updateMembership({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.learner.id, roles: ["LEARNER", "TRAINER"], clock });
    await getMember({ actor: a.people.organiser, organisationId: a.organisation.id, userId: a.people.colleague.id, clock });

    const { rows, nextCursor } = await getMyRecordAccess({ actor: a.people.learner, locale: "en" });
    expect(nextCursor).toBeNull();
    expect(rows.map((row) => [row.actor, row.role, row.organisation, row.actionLabel])).toEqual([
      [`organiser (${a.people.organiser.email})`, "Organiser", a.organisation.name, "Changed your role, department or quiz time"],
      [`Ana Admin (${admin.email})`, "Administrator", a.organisation.name, "Opened your page"],
      [`organiser (${a.people.organiser.email})`, "Organiser", a.organisation.name, "Opened your page"],
      [`organiser (${a.people.organiser.email})`, "Organiser", a.organisation.name, "Opened your page"],
    ]);
    expect(rows[0].summary).toContain("Roles: Learner, Trainer");
    expect(rows[1].time).toBe("4 May 2026, 11:02");
    // Their own record is theirs: the colleague's view is not on it, and they are not named as the subject.
    expect(rows.every((row) => row.subject === null)).toBe(true);
    expect((await getMyRecordAccess({ actor: a.people.colleague, locale: "sl" })).rows.map((row) => row.actionLabel)).toEqual(["Ogled vaše strani"]);
    expect((await getMyRecordAccess({ actor: a.people.organiser, locale: "en" })).rows).toEqual([]);
  });

  it("records someone else downloading a certificate or credential, and shows it to the holder", async () => {
    const steps = await fixtureCourseSteps("audit-log-fixture");
    const a = await createOrganisationWithMembers({ nurse: ["LEARNER"], organiser: ["ORGANISER"] });
    const holder = { id: a.people.nurse.id, isAdmin: false };
    const clock = fixedClock("2026-06-01T07:00:00Z");
    await steps.complete(holder, clock);
    const certificate = await db.certificate.findFirstOrThrow({ where: { userId: holder.id } });
    const keys = await credentialKeysFrom({ signingJwk: await generateSigningJwk() });

    await certificatePdf({ actor: holder, code: certificate.code, locale: "en", clock });
    await certificateCredential({ actor: holder, code: certificate.code, keys, clock });
    expect(await db.auditEvent.count({ where: { subjectUserId: holder.id, action: { in: ["certificate.pdf", "certificate.credential"] } } })).toBe(0);

    await certificatePdf({ actor: a.people.organiser, code: certificate.code, locale: "en", clock });
    await certificatePdf({ actor: a.people.organiser, code: certificate.code, locale: "sl", clock });
    clock.advance(60_000);
    await certificateCredential({ actor: a.people.organiser, code: certificate.code, keys, clock });
    clock.advance(60_000);
    await revokeCertificate({ actor: a.people.organiser, code: certificate.code, reason: 'Issued in error; "wrong" person', clock });

    const { rows } = await getMyRecordAccess({ actor: holder, locale: "en" });
    const what = `Recognition basics (${certificate.code.match(/.{4}/g)!.join("-")})`;
    expect(rows.map((row) => [row.actionLabel, row.subject])).toEqual([
      ["Revoked your certificate", what],
      ["Downloaded your digital credential", what],
      ["Downloaded your certificate (PDF)", what],
    ]);
    expect(rows[0].summary).toBe('Reason: Issued in error; "wrong" person');

    // The organisation's log names whose certificate it was; the CSV keeps the reason in one cell.
    const log = await getAuditLog({ actor: a.people.organiser, organisationId: a.organisation.id, query: { action: "certificate.pdf" }, locale: "en" });
    expect(log.rows.map((row) => row.subject)).toEqual([`nurse (${a.people.nurse.email}): ${what}`]);
    const csv = csvLines((await auditLogCsvFile({ actor: a.people.organiser, organisationId: a.organisation.id, query: { action: "certificate.revoke" }, locale: "en", clock })).body);
    expect(csv[1].endsWith(';"Reason: Issued in error; ""wrong"" person"')).toBe(true);
  });
});

describe("privacy notice and terms", () => {
  it("fill in the controller and the retention periods in force, in both languages", () => {
    for (const locale of ["sl", "en"] as const) {
      for (const name of ["privacy", "terms"] as const) {
        const text = legalDocument(name, locale);
        // Outside production the controller's details are placeholders that say what to configure.
        expect(text).toContain("configure CONTROLLER\\_NAME");
        expect(text, `${name}.${locale}`).not.toMatch(/\{[a-zA-Z]+\}/);
      }
    }
    expect(legalDocument("privacy", "en")).toContain(`removed ${env.RETENTION_QUIZ_ANSWERS_MONTHS} months after you complete`);
    expect(legalDocument("privacy", "sl")).toContain(`izbrišejo se po ${env.RETENTION_QUIZ_ANSWERS_MONTHS} mesecih od`);
    expect(legalDocument("privacy", "en")).toContain(`removed after ${env.RETENTION_EMAIL_LOG_MONTHS} months`);
    expect(legalDocument("privacy", "sl")).toContain("www.ip-rs.si");
    expect(legalDocument("terms", "en")).toContain("AGPL-3.0-or-later");
  });

  it("will not start in production without a named controller", () => {
    const unset = { CONTROLLER_NAME: undefined, CONTROLLER_ADDRESS: undefined, CONTROLLER_EMAIL: undefined, DPO_EMAIL: undefined, OPORA_DEMO: "0", SEED_DEMO: undefined } as const;
    expect(() => readLegalContacts({ ...unset, NODE_ENV: "production" })).toThrow(/CONTROLLER_NAME: required in production[\s\S]*CONTROLLER_EMAIL: required in production/);
    // A demo installation (npm start on a laptop, the end-to-end suite) shows placeholders instead.
    expect(readLegalContacts({ ...unset, NODE_ENV: "production", SEED_DEMO: "1" }).controllerName).toBe("[configure CONTROLLER_NAME]");
    const contacts = readLegalContacts({ ...unset, NODE_ENV: "production", CONTROLLER_NAME: "Bolnišnica *Primer* d.o.o.", CONTROLLER_ADDRESS: "Ulica 1\n1000 Ljubljana", CONTROLLER_EMAIL: "office@primer.si", DPO_EMAIL: "dpo@primer.si" });
    const notice = legalDocument("privacy", "en", contacts);
    // Markdown characters in a name stay text; the addresses stay plain so that they become links.
    expect(notice).toContain("**Bolnišnica \\*Primer\\* d\\.o\\.o\\.**, Ulica 1, 1000 Ljubljana, runs this installation");
    expect(notice).toContain("Write to office@primer.si with any question");
    expect(notice).toContain("You can also write to the data protection officer at dpo@primer.si.");
    expect(legalDocument("privacy", "sl", { ...contacts, dpoEmail: null })).not.toContain("pooblaščeni osebi");
  });
});
