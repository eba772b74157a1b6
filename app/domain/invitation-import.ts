import { z } from "zod";
import { normaliseEmail } from "~/utils/email-address.ts";
import type { ProfessionValue } from "~/utils/roles.ts";

// Reading a list of people to invite, as Slovene offices export it from Excel or an HR system:
// ";" or "," between fields, UTF-8 (with or without BOM) or Windows-1250, Excel's quoting, CRLF or
// LF, and a header row in Slovene or English. Pure, so every case is unit-tested without a database;
// app/domain/invitation-import.server.ts adds who is already a member or invited, and invites.

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
/** Values longer than this are shortened in the preview: longer than any valid value, so never one that is imported. */
const DISPLAY_LENGTH = 256;

export type ImportEncoding = "utf-8" | "windows-1250";
export type ImportDelimiter = ";" | ",";
export type ImportColumn = "name" | "email" | "profession" | "department" | "licenceNumber";

/** Why a whole file cannot be read; `vars` fill the message's placeholders. */
export type ImportFileProblem =
  | { key: "empty" | "tooLarge" | "notCsv" | "noRows" }
  | { key: "tooManyRows"; vars: { count: number } }
  | { key: "unclosedQuote"; vars: { row: number } }
  | { key: "missingColumns"; columns: ImportColumn[] };

export type ImportRowProblem = "missingName" | "nameTooLong" | "missingEmail" | "invalidEmail" | "emailTooLong" | "unknownProfession" | "unknownDepartment" | "licenceTooLong" | "duplicateEmail" | "departmentRequired";

export type ImportRow = {
  /** The record's number in the file, the header being 1: the row Excel shows. */
  row: number;
  name: string;
  /** Normalised when valid, else as written (shortened for display). */
  email: string;
  profession: ProfessionValue | null;
  /** As written in the file, for the preview. */
  professionText: string;
  department: { id: string; name: string } | null;
  departmentText: string;
  licenceNumber: string | null;
  problems: ImportRowProblem[];
  /** For duplicateEmail: the earlier row with the same address. */
  duplicateOf?: number;
};

export type ParsedInvitationFile = { ok: true; encoding: ImportEncoding; delimiter: ImportDelimiter; rows: ImportRow[] } | { ok: false; problem: ImportFileProblem };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const windows1250 = new TextDecoder("windows-1250");

/** Valid UTF-8 is UTF-8; anything else is what Slovene Windows writes, Windows-1250. A BOM is dropped. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: utf8.decode(body), encoding: "utf-8" };
  } catch {
    return { text: windows1250.decode(body), encoding: "windows-1250" };
  }
}

// An .xlsx workbook is a ZIP file; an old .xls one an OLE compound file.
const SPREADSHEET_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0],
];

function looksLikeSpreadsheet(bytes: Uint8Array) {
  return SPREADSHEET_SIGNATURES.some((signature) => signature.every((byte, index) => bytes[index] === byte));
}

/** The separator of the header line: whichever of ";" and "," occurs more often outside quotes (";" on a tie). */
export function detectDelimiter(text: string): ImportDelimiter {
  let semicolons = 0;
  let commas = 0;
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === "\n" || char === "\r")) break;
    else if (!inQuotes && char === ";") semicolons++;
    else if (!inQuotes && char === ",") commas++;
  }
  return commas > semicolons ? "," : ";";
}

/**
 * Splits CSV text into records as Excel writes them: a field that starts with a quote runs to the
 * closing quote, "" inside it is one quote, and separators and line breaks inside it are text.
 * A quote inside an unquoted field is an ordinary character.
 */
export function parseCsvRecords(text: string, delimiter: ImportDelimiter): { ok: true; records: string[][] } | { ok: false; unclosedQuoteInRecord: number } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let fieldStarted = false;
  let inQuotes = false;
  let index = 0;
  const endField = () => {
    record.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (index < text.length) {
    const char = text[index];
    if (inQuotes) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') inQuotes = false;
      else field += char;
      index++;
      continue;
    }
    if (char === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      endField();
    } else if (char === "\r" || char === "\n") {
      endRecord();
      if (char === "\r" && text[index + 1] === "\n") index++;
    } else {
      field += char;
      fieldStarted = true;
    }
    index++;
  }
  if (inQuotes) return { ok: false, unclosedQuoteInRecord: records.length + 1 };
  if (fieldStarted || record.length) endRecord();
  return { ok: true, records };
}

/** Lower case, without diacritics, spaces or punctuation: "E-pošta" and "e posta" are one header. */
function headerKey(text: string) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Lower case, without diacritics, words separated by one space: "Dipl. med. sestra" → "dipl med sestra". */
function valueKey(text: string) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

// Header names in Slovene and English, compared by headerKey. "Ime" and "Priimek" in separate
// columns are joined into the full name.
const HEADERS = {
  name: ["imeinpriimek", "priimekinime", "imepriimek", "priimekime", "name", "fullname"],
  givenName: ["ime", "firstname", "givenname"],
  surname: ["priimek", "lastname", "surname", "familyname"],
  email: ["eposta", "email", "mail", "enaslov", "epostninaslov", "elektronskaposta", "emailaddress"],
  profession: ["poklic", "profession", "occupation"],
  department: ["oddelek", "department", "enota"],
  licenceNumber: ["stevilkalicence", "stlicence", "licenca", "licence", "license", "licencenumber", "licensenumber"],
} as const;

type HeaderField = keyof typeof HEADERS;
/** How many non-blank records from the top may be a title rather than the header. */
const HEADER_SEARCH = 10;

function findColumns(header: string[]) {
  const columns: Partial<Record<HeaderField, number>> = {};
  header.forEach((cell, index) => {
    const key = headerKey(cell);
    for (const [field, names] of Object.entries(HEADERS) as Array<[HeaderField, readonly string[]]>) {
      if (names.includes(key) && columns[field] === undefined) columns[field] = index;
    }
  });
  return columns;
}

// Professions as offices write them, compared by valueKey; the codes themselves (NURSE, …) too.
const PROFESSION_NAMES: Record<ProfessionValue, string[]> = {
  NURSE: [
    "nurse",
    "registered nurse",
    "medicinska sestra",
    "medicinski brat",
    "medicinski tehnik",
    "diplomirana medicinska sestra",
    "diplomirani zdravstvenik",
    "diplomirana zdravstvenica",
    "dipl med sestra",
    "dipl m s",
    "zdravstvenik",
    "zdravstvenica",
    "srednja medicinska sestra",
    "tehnik zdravstvene nege",
    "tehnica zdravstvene nege",
  ],
  PHYSICIAN: ["physician", "doctor", "medical doctor", "zdravnik", "zdravnica", "doktor medicine", "doktorica medicine", "dr med"],
  MIDWIFE: ["midwife", "babica", "diplomirana babica", "diplomirani babicar", "babicar"],
  OTHER: ["other", "drugo", "drug", "drugi", "ostalo"],
};

const PROFESSION_BY_NAME = new Map(Object.entries(PROFESSION_NAMES).flatMap(([profession, names]) => names.map((name) => [name, profession as ProfessionValue])));

/** A profession as written, or undefined when it is none we know (empty is null: not given). */
export function matchProfession(text: string): ProfessionValue | null | undefined {
  const key = valueKey(text);
  if (!key) return null;
  return PROFESSION_BY_NAME.get(key);
}

function departmentKey(text: string) {
  return text.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("sl");
}

/** The cells every row must pass; messages are ImportRowProblem codes. */
export const ImportCellsSchema = z.object({
  name: z.string().trim().min(1, "missingName").max(120, "nameTooLong"),
  email: z.string().trim().min(1, "missingEmail").max(254, "emailTooLong").pipe(z.email("invalidEmail")),
  licenceNumber: z.string().trim().max(40, "licenceTooLong"),
});

function forDisplay(text: string) {
  return text.length > DISPLAY_LENGTH ? `${text.slice(0, DISPLAY_LENGTH - 1)}…` : text;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Reads an uploaded file into rows, each with what is wrong with it. A bad row never hides a good
 * one; only a file that cannot be read as a whole (too large, not CSV, no header) is refused.
 * Departments are the organisation's, matched by name regardless of case.
 */
export function parseInvitationFile(bytes: Uint8Array, departments: ReadonlyArray<{ id: string; name: string }>): ParsedInvitationFile {
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, problem: { key: "tooLarge" } };
  if (looksLikeSpreadsheet(bytes)) return { ok: false, problem: { key: "notCsv" } };
  const { text, encoding } = decodeCsvBytes(bytes);
  // A NUL never occurs in text a spreadsheet saves as CSV, but does in UTF-16 and binary files.
  if (text.includes("\u0000")) return { ok: false, problem: { key: "notCsv" } };
  if (!text.trim()) return { ok: false, problem: { key: "empty" } };

  const delimiter = detectDelimiter(text.trimStart());
  const parsed = parseCsvRecords(text, delimiter);
  if (!parsed.ok) return { ok: false, problem: { key: "unclosedQuote", vars: { row: parsed.unclosedQuoteInRecord } } };
  const isBlank = (record: string[]) => record.every((cell) => !cell.trim());
  const firstRecords = parsed.records.map((_, index) => index).filter((index) => !isBlank(parsed.records[index])).slice(0, HEADER_SEARCH);
  if (!firstRecords.length) return { ok: false, problem: { key: "empty" } };
  // HR exports often put a title above the header: the header is the first record naming an email column.
  const headerIndex = firstRecords.find((index) => findColumns(parsed.records[index]).email !== undefined) ?? firstRecords[0];
  const columns = findColumns(parsed.records[headerIndex]);
  const missing: ImportColumn[] = [];
  if (columns.name === undefined && columns.givenName === undefined && columns.surname === undefined) missing.push("name");
  if (columns.email === undefined) missing.push("email");
  if (missing.length) return { ok: false, problem: { key: "missingColumns", columns: missing } };

  const records = parsed.records.map((cells, index) => ({ cells, row: index + 1 })).filter(({ cells }, index) => index > headerIndex && !isBlank(cells));
  if (!records.length) return { ok: false, problem: { key: "noRows" } };
  if (records.length > MAX_IMPORT_ROWS) return { ok: false, problem: { key: "tooManyRows", vars: { count: records.length } } };

  const departmentsByKey = new Map(departments.map((department) => [departmentKey(department.name), department]));
  const firstRowOfEmail = new Map<string, number>();
  const rows = records.map(({ cells, row }): ImportRow => {
    const cell = (field: HeaderField) => {
      const index = columns[field];
      return index === undefined ? "" : (cells[index] ?? "");
    };
    const name = columns.name !== undefined ? oneLine(cell("name")) : oneLine(`${cell("givenName")} ${cell("surname")}`);
    const rawEmail = cell("email").trim();
    const licence = oneLine(cell("licenceNumber"));
    const problems: ImportRowProblem[] = [];
    const checked = ImportCellsSchema.safeParse({ name, email: rawEmail, licenceNumber: licence });
    if (!checked.success) problems.push(...checked.error.issues.map((issue) => issue.message as ImportRowProblem));

    const professionText = oneLine(cell("profession"));
    const profession = matchProfession(professionText);
    if (profession === undefined) problems.push("unknownProfession");
    const departmentText = oneLine(cell("department"));
    const department = departmentText ? departmentsByKey.get(departmentKey(departmentText)) : null;
    if (department === undefined) problems.push("unknownDepartment");

    const emailValid = !problems.some((problem) => problem === "missingEmail" || problem === "invalidEmail" || problem === "emailTooLong");
    const email = emailValid ? normaliseEmail(rawEmail) : rawEmail;
    let duplicateOf: number | undefined;
    if (emailValid) {
      // The first row with an address counts; later ones would invite the same person twice.
      duplicateOf = firstRowOfEmail.get(email);
      if (duplicateOf === undefined) firstRowOfEmail.set(email, row);
      else problems.push("duplicateEmail");
    }
    return {
      row,
      name: forDisplay(name),
      email: forDisplay(email),
      profession: profession ?? null,
      professionText: forDisplay(professionText),
      department: department ? { id: department.id, name: department.name } : null,
      departmentText: forDisplay(departmentText),
      licenceNumber: licence ? forDisplay(licence) : null,
      problems,
      duplicateOf,
    };
  });
  return { ok: true, encoding, delimiter, rows };
}
