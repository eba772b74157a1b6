import { describe, expect, it } from "vitest";
import { type InvitationImportResult, importInvitations, previewInvitationImport, readInvitationImportForm } from "../../app/domain/invitation-import.server.ts";
import { acceptInvitation, findInvitation, inviteMember } from "../../app/domain/invitations.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { inbox, linkIn } from "../support/smtp.ts";

// Organisers invite people from a CSV file: a preview that writes nothing, an import that sends
// real emails through the one invitation path, and a second import of the same file that does nothing.

let counter = 0;
/** Addresses unique to this run, since the test SMTP server keeps every message of the file. */
const address = (name: string) => `${name}-${Date.now().toString(36)}${(counter++).toString(36)}@example.org`;
const csv = (lines: string[]) => new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`);

function accepted(result: InvitationImportResult) {
  if (!result.ok) throw new Error(`file refused: ${JSON.stringify(result.problem)}`);
  return result;
}

describe("inviting people from a CSV file", () => {
  it("previews without writing, imports through the invitation path, and does nothing the second time", async () => {
    const clock = fixedClock(new Date());
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const emergency = organisation.departments.find((department) => department.name === "Emergency")!;
    const newNurse = address("new-nurse");
    const newDoctor = address("new-doctor");
    const elsewhere = await createUser({ email: address("elsewhere"), name: "Elsewhere Nurse" });
    const alreadyInvited = address("already-invited");
    await inviteMember({ actor: people.organiser, organisationId: organisation.id, email: alreadyInvited, roles: ["LEARNER"], locale: "sl", clock });
    const file = csv([
      "Ime in priimek;E-pošta;Poklic;Oddelek;Številka licence",
      `Nova Sestra;${newNurse.toUpperCase()};medicinska sestra;emergency;10001`,
      `Nov Zdravnik;${newDoctor};zdravnik;;`,
      `Drugje Zaposlena;${elsewhere.email};medicinska sestra;Paediatrics;`,
      `Že Članica;${people.learner.email};;;`,
      `Že Povabljena;${alreadyInvited};;;`,
      "Brez Naslova;ni-naslov;;;",
      `Dvojnica;${newDoctor};;;`,
    ]);
    const invitationsBefore = await db.invitation.count({ where: { organisationId: organisation.id } });

    const preview = accepted(await previewInvitationImport({ actor: people.organiser, organisationId: organisation.id, file, clock }));
    expect(preview.rows.map((row) => [row.row, row.outcome])).toEqual([
      [2, "invite"],
      [3, "invite"],
      [4, "addExisting"],
      [5, "member"],
      [6, "pending"],
      [7, "error"],
      [8, "error"],
    ]);
    expect(preview.counts).toEqual({ invite: 2, addExisting: 1, skipped: 2, errors: 2 });
    expect(await db.invitation.count({ where: { organisationId: organisation.id } })).toBe(invitationsBefore);
    expect(await db.membership.count({ where: { userId: elsewhere.id } })).toBe(0);
    expect(inbox(newNurse)).toHaveLength(0);

    const imported = accepted(await importInvitations({ actor: people.organiser, organisationId: organisation.id, file, locale: "sl", clock }));
    expect(imported.counts).toEqual({ invite: 2, addExisting: 1, skipped: 2, errors: 2 });
    expect(imported.rows.map((row) => row.outcome)).toEqual(preview.rows.map((row) => row.outcome));

    // The new people got an invitation email with a working link, as learners in the given department.
    expect(inbox(newNurse)).toHaveLength(1);
    expect(inbox(newDoctor)).toHaveLength(1);
    const invitation = await db.invitation.findFirstOrThrow({ where: { organisationId: organisation.id, email: newNurse } });
    expect(invitation).toMatchObject({ name: "Nova Sestra", profession: "NURSE", licenceNumber: "10001", roles: ["LEARNER"], departmentId: emergency.id, invitedById: people.organiser.id });
    const token = linkIn(inbox(newNurse)[0], "/invite/").pathname.split("/").pop()!;
    expect(await findInvitation(token, clock)).toMatchObject({ email: newNurse, name: "Nova Sestra" });
    // The profession and licence number from the file carry over to the new account.
    const { userId } = await acceptInvitation({ token, signedInUserId: null, name: "Nova Sestra", password: "a good password", locale: "sl", clock });
    expect(await db.user.findUniqueOrThrow({ where: { id: userId }, select: { profession: true, licenceNumber: true } })).toEqual({ profession: "NURSE", licenceNumber: "10001" });
    expect(await db.membership.findUniqueOrThrow({ where: { userId_organisationId: { userId, organisationId: organisation.id } } })).toMatchObject({ roles: ["LEARNER"], departmentId: emergency.id });

    // The existing account was added (and told), the member and the invited person were left alone.
    expect(await db.membership.findUniqueOrThrow({ where: { userId_organisationId: { userId: elsewhere.id, organisationId: organisation.id } } })).toMatchObject({ roles: ["LEARNER"], departmentId: organisation.departments.find((d) => d.name === "Paediatrics")!.id });
    expect(inbox(elsewhere.email)).toHaveLength(1);
    expect(inbox(people.learner.email)).toHaveLength(0);
    expect(inbox(alreadyInvited)).toHaveLength(1);
    expect(await db.invitation.count({ where: { organisationId: organisation.id } })).toBe(invitationsBefore + 2);

    const audit = await db.auditEvent.findMany({ where: { organisationId: organisation.id, action: "invitations.import" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: people.organiser.id, subjectType: "Organisation", subjectId: organisation.id, data: { rows: 7, invited: 2, addedExisting: 1, skipped: 2, rowErrors: 2 } });

    // The same file again: everyone is a member or invited by now, and nobody gets a second email.
    const again = accepted(await importInvitations({ actor: people.organiser, organisationId: organisation.id, file, locale: "sl", clock }));
    expect(again.counts).toEqual({ invite: 0, addExisting: 0, skipped: 5, errors: 2 });
    expect(again.rows.slice(0, 3).map((row) => row.outcome)).toEqual(["member", "pending", "member"]);
    for (const email of [newNurse, newDoctor, elsewhere.email, alreadyInvited]) expect(inbox(email), email).toHaveLength(1);
    expect(await db.invitation.count({ where: { organisationId: organisation.id } })).toBe(invitationsBefore + 2);
    expect(await db.auditEvent.count({ where: { organisationId: organisation.id, action: "invitations.import" } })).toBe(2);
  });

  it("invites again once an earlier invitation has expired", async () => {
    const clock = fixedClock(new Date());
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const late = address("late");
    const file = csv(["Name,Email", `Late Comer,${late}`]);
    expect(accepted(await importInvitations({ actor: people.organiser, organisationId: organisation.id, file, locale: "en", clock })).counts.invite).toBe(1);
    clock.advance(15 * 24 * 3600_000);
    const preview = accepted(await previewInvitationImport({ actor: people.organiser, organisationId: organisation.id, file, clock }));
    expect(preview.rows[0].outcome).toBe("invite");
    await importInvitations({ actor: people.organiser, organisationId: organisation.id, file, locale: "en", clock });
    expect(inbox(late)).toHaveLength(2);
  });

  it("never invites anyone twice when the same file is imported twice at once", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const emails = Array.from({ length: 6 }, (_, index) => address(`twice-${index}`));
    const file = csv(["Name;Email", ...emails.map((email, index) => `Person ${index};${email}`)]);
    const runs = await Promise.allSettled([0, 1].map(() => importInvitations({ actor: people.organiser, organisationId: organisation.id, file, locale: "en" })));
    for (const run of runs) if (run.status === "rejected") expect(run.reason).toMatchObject({ code: "CONFLICT", messageKey: "invitationImport.busy" });
    expect(runs.some((run) => run.status === "fulfilled")).toBe(true);
    for (const email of emails) expect(inbox(email), email).toHaveLength(1);
    expect(await db.invitation.count({ where: { organisationId: organisation.id } })).toBe(emails.length);
  });

  it("reports a file it cannot read without writing anything", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const result = await importInvitations({ actor: people.organiser, organisationId: organisation.id, file: csv(["Telefon;Oddelek", "01 234;Emergency"]), locale: "sl" });
    expect(result).toEqual({ ok: false, problem: { key: "missingColumns", columns: ["name", "email"] } });
    expect(await db.auditEvent.count({ where: { organisationId: organisation.id, action: "invitations.import" } })).toBe(0);
  });

  it("keeps organisers of other organisations out (not found) and refuses learners and trainers", async () => {
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"], trainer: ["TRAINER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
    const admin = await createUser({ isAdmin: true });
    const target = address("target");
    const file = csv(["Name;Email", `Target;${target}`]);
    for (const run of [previewInvitationImport, importInvitations]) {
      await expect(run({ actor: b.people.organiser, organisationId: a.organisation.id, file, locale: "en" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(run({ actor: a.people.learner, organisationId: a.organisation.id, file, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(run({ actor: a.people.trainer, organisationId: a.organisation.id, file, locale: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(inbox(target)).toHaveLength(0);
    expect(await db.invitation.count({ where: { organisationId: a.organisation.id } })).toBe(0);
    // An administrator may import into any organisation.
    expect(accepted(await importInvitations({ actor: admin, organisationId: a.organisation.id, file, locale: "en" })).counts.invite).toBe(1);
  });
});

describe("the upload and confirm forms", () => {
  const post = (form: FormData) => new Request("http://opora.test/org/x/invite-import", { method: "POST", body: form });

  it("reads the uploaded file and the same bytes carried back as base64", async () => {
    const bytes = Uint8Array.from([0xc8, 0xe8, 0x3b, 0x0d, 0x0a, 0xef, 0xbb]);
    const upload = new FormData();
    upload.set("intent", "preview");
    upload.set("file", new File([bytes], "seznam.csv", { type: "text/csv" }));
    expect(await readInvitationImportForm(post(upload))).toEqual({ intent: "preview", file: bytes });
    const confirm = new FormData();
    confirm.set("intent", "import");
    confirm.set("content", Buffer.from(bytes).toString("base64"));
    expect(await readInvitationImportForm(post(confirm))).toEqual({ intent: "import", file: bytes });
  });

  it("asks for a file, and refuses bodies larger than the largest file", async () => {
    const empty = new FormData();
    empty.set("intent", "preview");
    empty.set("file", new File([], "empty.csv"));
    await expect(readInvitationImportForm(post(empty))).rejects.toMatchObject({ messageKey: "invitationImport.chooseFile", field: "file" });
    const large = new FormData();
    large.set("intent", "preview");
    large.set("file", new File([new Uint8Array(2 * 1024 * 1024 + 1)], "large.csv"));
    await expect(readInvitationImportForm(post(large))).rejects.toMatchObject({ messageKey: "invitationImport.file.tooLarge" });
    const huge = new FormData();
    huge.set("intent", "import");
    huge.set("content", "A".repeat(4 * 1024 * 1024));
    await expect(readInvitationImportForm(post(huge))).rejects.toMatchObject({ messageKey: "invitationImport.file.tooLarge" });
    const damaged = new FormData();
    damaged.set("intent", "import");
    damaged.set("content", "not base64 at all!");
    await expect(readInvitationImportForm(post(damaged))).rejects.toMatchObject({ messageKey: "errors.badRequest" });
  });
});
