// CSV for Excel (transcripts, attendee lists, the index of certificate ZIPs): UTF-8 with a byte-order mark (without it Excel reads č š ž as mojibake), fields
// separated by ";" (Excel in Slovene and most European locales expects it, since "," is their
// decimal separator), lines ended by CRLF as RFC 4180 says.

export const CSV_DELIMITER = ";";
const BOM = "\uFEFF";

// A cell starting with one of these is run as a formula by spreadsheets ("=HYPERLINK(…)" in a
// name); a leading apostrophe makes it text and is not shown.
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  return BOM + rows.map((row) => row.map(csvField).join(CSV_DELIMITER)).join("\r\n") + "\r\n";
}

/** Credits as the viewer's spreadsheet reads numbers: 1,5 in Slovene, 1.5 in English. */
export function csvNumber(value: number, locale: string) {
  return new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB", { maximumFractionDigits: 2, useGrouping: false }).format(value);
}

export function csvResponse(body: string, filename: string) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
