import { describe, expect, it } from "vitest";
import { decodeCsvBytes, detectDelimiter, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, matchProfession, parseCsvRecords, parseInvitationFile } from "./invitation-import.ts";

const DEPARTMENTS = [
  { id: "dep-urgenca", name: "Urgenca" },
  { id: "dep-pediatrija", name: "Pediatrija" },
];
const bytes = (text: string) => new TextEncoder().encode(text);

function parsed(content: string | Uint8Array) {
  const result = parseInvitationFile(typeof content === "string" ? bytes(content) : content, DEPARTMENTS);
  if (!result.ok) throw new Error(`file refused: ${JSON.stringify(result.problem)}`);
  return result;
}

function refused(content: string | Uint8Array) {
  const result = parseInvitationFile(typeof content === "string" ? bytes(content) : content, DEPARTMENTS);
  if (result.ok) throw new Error("file was accepted");
  return result.problem;
}

// "Čačič Šuštar Žužek" as Windows-1250 writes it: Č C8, č E8, Š 8A, š 9A, Ž 8E, ž 9E.
const WINDOWS_1250: Record<string, number> = { Č: 0xc8, č: 0xe8, Š: 0x8a, š: 0x9a, Ž: 0x8e, ž: 0x9e };
function windows1250(text: string) {
  return Uint8Array.from([...text].map((char) => WINDOWS_1250[char] ?? char.charCodeAt(0)));
}

describe("reading the bytes", () => {
  it("reads UTF-8 with and without a byte-order mark", () => {
    expect(decodeCsvBytes(bytes("Čačič"))).toEqual({ text: "Čačič", encoding: "utf-8" });
    expect(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes("Čačič")]))).toEqual({ text: "Čačič", encoding: "utf-8" });
  });

  it("drops a byte-order mark also before Windows-1250 text", () => {
    expect(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...windows1250("Čačič")]))).toEqual({ text: "Čačič", encoding: "windows-1250" });
  });

  it("reads bytes that are not UTF-8 as Windows-1250", () => {
    const raw = windows1250("Čačič Šuštar Žužek");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(raw)).toThrow();
    expect(decodeCsvBytes(raw)).toEqual({ text: "Čačič Šuštar Žužek", encoding: "windows-1250" });
  });

  it("imports a Windows-1250 file with the names intact", () => {
    const result = parsed(windows1250("Ime in priimek;E-pošta;Oddelek\r\nČačič Šuštar Žužek;cacic@example.org;Urgenca\r\n"));
    expect(result.encoding).toBe("windows-1250");
    expect(result.rows).toEqual([expect.objectContaining({ row: 2, name: "Čačič Šuštar Žužek", email: "cacic@example.org", department: DEPARTMENTS[0], problems: [] })]);
  });
});

describe("splitting records", () => {
  it.each([
    ["Ime;E-pošta,dodatno\n", ";"],
    ["Name,Email;x,Profession\n", ","],
    ['"Priimek; ime",E-pošta,Oddelek\n', ","],
    ["Ime in priimek\n", ";"],
  ])("detects the separator of %j as %s", (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it("follows Excel's quoting: separators, doubled quotes and line breaks inside quotes", () => {
    const text = 'a;"b;c";"say ""hi""";"two\r\nlines"\r\nx;y""z;;\n';
    expect(parseCsvRecords(text, ";")).toEqual({
      ok: true,
      records: [
        ["a", "b;c", 'say "hi"', "two\r\nlines"],
        ["x", 'y""z', "", ""],
      ],
    });
  });

  it("ends records at CRLF, LF or CR, with or without a final line break", () => {
    expect(parseCsvRecords("a,b\r\nc,d\ne,f\rg,h", ",")).toEqual({ ok: true, records: [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]] });
  });

  it("reports a quote that is never closed, with its record", () => {
    expect(parseCsvRecords('a;b\n"c;d\ne;f\n', ";")).toEqual({ ok: false, unclosedQuoteInRecord: 2 });
  });
});

describe("headers", () => {
  it("understands a Slovene header with every column", () => {
    const result = parsed("Ime in priimek;E-pošta;Poklic;Oddelek;Številka licence\nAna Novak;Ana.Novak@Example.org;medicinska sestra;pediatrija;12345\n");
    expect(result.delimiter).toBe(";");
    expect(result.rows[0]).toEqual({
      row: 2,
      name: "Ana Novak",
      email: "ana.novak@example.org",
      profession: "NURSE",
      professionText: "medicinska sestra",
      department: DEPARTMENTS[1],
      departmentText: "pediatrija",
      licenceNumber: "12345",
      problems: [],
      duplicateOf: undefined,
    });
  });

  it("understands an English header in another order, with commas", () => {
    const result = parsed("Email,Licence number,Name,Department,Profession\r\nbor@example.org,,Bor Kos,URGENCA,PHYSICIAN\r\n");
    expect(result.delimiter).toBe(",");
    expect(result.rows[0]).toMatchObject({ name: "Bor Kos", email: "bor@example.org", profession: "PHYSICIAN", department: DEPARTMENTS[0], licenceNumber: null, problems: [] });
  });

  it("joins separate first-name and surname columns and ignores columns it does not know", () => {
    const result = parsed("Zap. št.;Ime;Priimek;E-posta;Opomba\n1;Eva;Zupan;eva@example.org;nočna izmena\n");
    expect(result.rows[0]).toMatchObject({ name: "Eva Zupan", email: "eva@example.org", profession: null, department: null, problems: [] });
  });

  it("finds the header below a title line and skips blank lines", () => {
    const result = parsed("Seznam zaposlenih 2026;;\n;;\nName;Email;Department\n\nAna;ana@example.org;\n;;\n");
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ row: 5, name: "Ana", department: null });
  });

  it("says which required columns are missing", () => {
    expect(refused("Poklic;Oddelek\nzdravnik;Urgenca\n")).toEqual({ key: "missingColumns", columns: ["name", "email"] });
    expect(refused("Ime in priimek;Telefon\nAna;01 234\n")).toEqual({ key: "missingColumns", columns: ["email"] });
  });
});

describe("rows", () => {
  it("keeps quoted names with separators and line breaks on one line", () => {
    const result = parsed('Ime in priimek;E-pošta\r\n"Novak; Ana\r\n(dr. med.)";ana@example.org\r\n"Kos ""Bobi"" Bor";bor@example.org\r\n');
    expect(result.rows.map((row) => [row.row, row.name])).toEqual([
      [2, "Novak; Ana (dr. med.)"],
      [3, 'Kos "Bobi" Bor'],
    ]);
  });

  it.each([
    ["medicinska sestra", "NURSE"],
    ["Diplomirani zdravstvenik", "NURSE"],
    ["ZDRAVNIK", "PHYSICIAN"],
    ["dr. med.", "PHYSICIAN"],
    ["babica", "MIDWIFE"],
    ["Midwife", "MIDWIFE"],
    ["drugo", "OTHER"],
    ["OTHER", "OTHER"],
    ["  ", null],
  ])("reads the profession %j as %s", (text, profession) => {
    expect(matchProfession(text)).toBe(profession);
  });

  it("gives every reason a row cannot be imported, and imports the good rows around it", () => {
    const file = [
      "Ime in priimek;E-pošta;Poklic;Oddelek;Številka licence",
      "Dobra Vrstica;dobra@example.org;zdravnica;Urgenca;1",
      ";brez.imena@example.org;;;",
      "Brez Naslova;;;;",
      "Slab Naslov;to ni naslov;;;",
      `Dolg Naslov;${"a".repeat(250)}@example.org;;;`,
      `${"Predolgo ime ".repeat(10)};dolgo.ime@example.org;;;`,
      "Neznan Poklic;poklic@example.org;kirurg;;",
      "Neznan Oddelek;oddelek@example.org;;Kardiologija;",
      `Dolga Licenca;licenca@example.org;;;${"9".repeat(41)}`,
      "Dvojnik;DOBRA@example.org;;;",
      ";;vrtnar;Nikjer;",
      "Zadnja Dobra;zadnja@example.org;babica;pediatrija;",
    ].join("\r\n");
    const { rows } = parsed(file);
    expect(rows.map((row) => [row.row, row.problems])).toEqual([
      [2, []],
      [3, ["missingName"]],
      [4, ["missingEmail"]],
      [5, ["invalidEmail"]],
      [6, ["emailTooLong"]],
      [7, ["nameTooLong"]],
      [8, ["unknownProfession"]],
      [9, ["unknownDepartment"]],
      [10, ["licenceTooLong"]],
      [11, ["duplicateEmail"]],
      [12, ["missingName", "missingEmail", "unknownProfession", "unknownDepartment"]],
      [13, []],
    ]);
    expect(rows[9].duplicateOf).toBe(2);
    expect(rows[9].email).toBe("dobra@example.org");
  });

  it("counts addresses as duplicates regardless of case and spacing, pointing to the first row", () => {
    const { rows } = parsed("Name,Email\nA,ana@example.org\nB, Ana@Example.org \nC,ana@example.org\n");
    expect(rows.map((row) => row.duplicateOf)).toEqual([undefined, 2, 2]);
  });

  it("shortens very long values for the preview, never ones that are imported", () => {
    const { rows } = parsed(`Name;Email;Department\nX;x@example.org;${"O".repeat(1000)}\n`);
    expect(rows[0].departmentText).toHaveLength(256);
    expect(rows[0].departmentText.endsWith("…")).toBe(true);
  });
});

describe("files that cannot be read", () => {
  it("refuses an empty file, a header without people and an unclosed quote", () => {
    expect(refused("")).toEqual({ key: "empty" });
    expect(refused("\r\n;;\r\n")).toEqual({ key: "empty" });
    expect(refused("Name;Email\r\n")).toEqual({ key: "noRows" });
    expect(refused('Name;Email\r\n"Ana;ana@example.org\r\n')).toEqual({ key: "unclosedQuote", vars: { row: 2 } });
  });

  it("refuses Excel workbooks and UTF-16 text", () => {
    expect(refused(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toEqual({ key: "notCsv" });
    expect(refused(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toEqual({ key: "notCsv" });
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[..."Name;Email"].flatMap((char) => [char.charCodeAt(0), 0])]);
    expect(refused(utf16)).toEqual({ key: "notCsv" });
  });

  it(`accepts ${MAX_IMPORT_ROWS} people and refuses one more`, () => {
    const people = (count: number) => ["Name;Email", ...Array.from({ length: count }, (_, index) => `Person ${index};p${index}@example.org`)].join("\n");
    expect(parsed(people(MAX_IMPORT_ROWS)).rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(refused(people(MAX_IMPORT_ROWS + 1))).toEqual({ key: "tooManyRows", vars: { count: MAX_IMPORT_ROWS + 1 } });
  });

  it("accepts a file of exactly 2 MB and refuses a byte more", () => {
    const header = "Name;Email\nAna;ana@example.org\n";
    const padded = (size: number) => bytes(header + " ".repeat(size - header.length));
    expect(parsed(padded(MAX_IMPORT_BYTES)).rows).toHaveLength(1);
    expect(refused(padded(MAX_IMPORT_BYTES + 1))).toEqual({ key: "tooLarge" });
  });
});
