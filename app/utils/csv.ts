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

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (!NEEDS_CARE.test(text)) return text;
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
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

// Text is encoded in pieces of about this many characters (at most 64 KB even in UTF-16): pieces
// that small die young in V8's heap, where a whole batch as one string would be a large object that
// only a full collection frees, and a long download would grow the process by megabytes per batch.
export const STREAM_PIECE = 32_768;

/**
 * The same CSV as a byte stream, for downloads too large to build in memory: the header first, then
 * each batch of rows, in pieces, when the reader wants more. Stopping the download stops `rows`
 * (closing, say, a database cursor).
 */
export function csvStream(header: ReadonlyArray<CsvValue>, rows: AsyncIterable<ReadonlyArray<ReadonlyArray<CsvValue>>>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = rows[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + csvLine(header)));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) return controller.close();
      let text = "";
      for (const row of next.value) {
        text += csvLine(row);
        if (text.length >= STREAM_PIECE) {
          controller.enqueue(encoder.encode(text));
          text = "";
        }
      }
      if (text) controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await batches.return?.();
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
