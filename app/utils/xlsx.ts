import { constants, crc32, createDeflateRaw } from "node:zlib";
import { type AsyncFlateStreamHandler, Zip, ZipDeflate, type ZipInputFile } from "fflate";

// A one-sheet Excel workbook (Office Open XML) written as a stream: the sheet's rows are deflated
// into the ZIP as they come, so a 100,000-row export never sits in memory. Text goes in inline
// string cells, which spreadsheets never evaluate, so a name like "=HYPERLINK(…)" stays text.

export type Cell = string | number | null | undefined;

// Text is encoded in pieces of about this many characters (at most 64 KB even in UTF-16): pieces
// that small die young in V8's heap, where a whole batch as one string would be a large object that
// only a full collection frees, and a long download would grow the process by megabytes per batch.
const STREAM_PIECE = 32_768;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const STATIC_PARTS: Record<string, string> = {
  "[Content_Types].xml": `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  "_rels/.rels": `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  "xl/_rels/workbook.xml.rels": `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  "xl/styles.xml": `${XML_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>`,
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly these control characters is the point
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters, to find them
const NEEDS_ESCAPING = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escapeXml(text: string) {
  // Most text has nothing to escape and is written as it is, which keeps large exports fast.
  if (!NEEDS_ESCAPING.test(text)) return text;
  // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
  return text.replace(NOT_IN_XML, "").replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

function cellXml(value: Cell, style = 0) {
  if (value === null || value === undefined || value === "") return "<c/>";
  const s = style ? ` s="${style}"` : "";
  if (typeof value === "number" && Number.isFinite(value)) return `<c${s}><v>${value}</v></c>`;
  return `<c t="inlineStr"${s}><is><t xml:space="preserve">${escapeXml(String(value))}</t></is></c>`;
}

export function xlsxRowXml(cells: ReadonlyArray<Cell>, style = 0) {
  let xml = "<row>";
  for (const cell of cells) xml += cellXml(cell, style);
  return `${xml}</row>`;
}

/**
 * A ZIP entry deflated by Node's zlib, off the main thread: the sheet is nearly all of a large
 * workbook's bytes, and fflate's JavaScript deflate would take most of its time.
 */
class NativeDeflateEntry implements ZipInputFile {
  readonly compression = 8;
  size = 0;
  crc = 0;
  ondata?: AsyncFlateStreamHandler;
  private readonly deflate = createDeflateRaw({ level: 6 });

  constructor(readonly filename: string) {
    this.deflate.on("data", (chunk: Buffer) => this.ondata?.(null, chunk, false));
    this.deflate.on("end", () => this.ondata?.(null, new Uint8Array(0), true));
    // A zlib failure fails the workbook: Zip passes it on and the stream errors.
    this.deflate.on("error", (error) => this.ondata?.(Object.assign(error, { code: 0 }), new Uint8Array(0), true));
  }

  write(bytes: Uint8Array) {
    this.size += bytes.length;
    this.crc = crc32(bytes, this.crc);
    this.deflate.write(bytes);
  }

  /**
   * Resolves once everything written so far has been deflated and handed to `ondata` (a sync flush
   * costs a few bytes), so that a writer waiting for it holds one flush's worth of input at a time.
   */
  flush() {
    return new Promise<void>((resolve) => this.deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  }

  end(bytes: Uint8Array) {
    this.write(bytes);
    this.deflate.end();
  }

  terminate() {
    this.deflate.destroy();
  }
}

/**
 * The workbook as a byte stream: a bold header row, then every batch of rows `rows` yields. Each
 * batch is fetched only when the reader wants more, so memory holds one batch at a time.
 */
export function xlsxStream(sheetName: string, header: ReadonlyArray<Cell>, rows: AsyncIterable<ReadonlyArray<ReadonlyArray<Cell>>>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = rows[Symbol.asyncIterator]();
  let zip: Zip;
  const sheet = new NativeDeflateEntry("xl/worksheets/sheet1.xml");
  let cancelled = false;
  let ended = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (cancelled) return; // zlib may still hand over what it had when the reader left
        if (error) return controller.error(error);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
      const addWhole = (name: string, text: string) => {
        const entry = new ZipDeflate(name, { level: 6 });
        zip.add(entry);
        entry.push(encoder.encode(text), true);
      };
      for (const [name, text] of Object.entries(STATIC_PARTS)) addWhole(name, text);
      addWhole("xl/workbook.xml", `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`);
      zip.add(sheet);
      sheet.write(encoder.encode(`${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${xlsxRowXml(header, 1)}`));
    },
    // Each pull hands over at least one chunk (a batch's rows, deflated and flushed), else the
    // reader would wait for a pull that never comes; after the last, zlib's remaining bytes and the
    // end follow.
    async pull() {
      if (ended) return;
      const next = await batches.next();
      if (next.done) {
        ended = true;
        sheet.end(encoder.encode("</sheetData></worksheet>"));
        zip.end();
        return;
      }
      let xml = "";
      for (const row of next.value) {
        xml += xlsxRowXml(row);
        if (xml.length >= STREAM_PIECE) {
          sheet.write(encoder.encode(xml));
          xml = "";
        }
      }
      if (xml) sheet.write(encoder.encode(xml));
      await sheet.flush();
    },
    // A download stopped half way closes the source (a database cursor holds a connection).
    async cancel() {
      cancelled = true;
      sheet.terminate();
      await batches.return?.();
    },
  });
}
