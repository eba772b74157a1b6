// CSV for Excel (transcripts, attendee lists, the people export, the index of certificate ZIPs):
// UTF-8 with a byte-order mark (without it Excel reads č š ž as mojibake), fields separated by ";"
// (Excel in Slovene and most European locales expects it, since "," is their decimal separator),
// lines ended by CRLF as RFC 4180 says.

export const CSV_DELIMITER = ";";
const BOM = "\uFEFF";

// A cell starting with one of these is run as a formula by spreadsheets ("=HYPERLINK(…)" in a
// name); a leading apostrophe makes it text and is not shown.
const FORMULA_START = /^[=+\-@\t\r]/;
// Whatever might need the apostrophe or quotes (\s is the set trim() removes): most values have
// none of it and are written as they are, which keeps large exports fast.
const NEEDS_CARE = /^[=+\-@\s]|[";\r\n]|\s$/;

export type CsvValue = string | number | null | undefined;

/** Text a spreadsheet will not run as a formula. */
export function formulaSafe(text: string) {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The same rule in SQL, for CSV that PostgreSQL writes (`copyCsvLines`): a text expression as its
 * cell, with the apostrophe, and empty as NULL (which COPY writes as an empty field, where it would
 * write an empty string as "").
 */
export function formulaSafeSql(expression: string) {
  return `CASE WHEN left(${expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expression} ELSE NULLIF(${expression}, '') END`;
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (!NEEDS_CARE.test(text)) return text;
  if (typeof value === "string") text = formulaSafe(text);
  return /[";\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(row: ReadonlyArray<CsvValue>) {
  let line = csvField(row[0]);
  for (let i = 1; i < row.length; i++) line += CSV_DELIMITER + csvField(row[i]);
  return `${line}\r\n`;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  return BOM + rows.map(csvLine).join("");
}

/**
 * CSV whose rows PostgreSQL wrote (`copyCsvLines`) as a byte stream: the byte-order mark and the
 * header, then the rows' bytes as they come. Stopping the download stops `lines`.
 */
export function csvBytesStream(header: ReadonlyArray<CsvValue>, lines: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const chunks = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(BOM + csvLine(header)));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
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
