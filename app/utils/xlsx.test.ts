import { crc32 } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { xlsxStream } from "./xlsx.ts";

async function* batchesOf<T>(batches: T[][], on: { start?: () => void; stop?: () => void } = {}) {
  on.start?.();
  try {
    for (const batch of batches) yield batch;
  } finally {
    on.stop?.();
  }
}

/** Each entry's CRC-32 from the ZIP's central directory, by file name. */
function centralCrcs(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const crcs: Record<string, number> = {};
  for (let at = 0; at + 46 <= zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    crcs[strFromU8(zip.subarray(at + 46, at + 46 + nameLength))] = view.getUint32(at + 16, true);
  }
  return crcs;
}

describe("XLSX stream", () => {
  it("writes every batch into one sheet, numbers as numbers and text as escaped inline strings", async () => {
    const many = Array.from({ length: 3_000 }, (_, i) => [`Oseba ${i} Čačič`, i, null]);
    const stream = xlsxStream("Ljudje", ["Ime", "Točke", "Opomba"], batchesOf([[["=HYPERLINK(\"x\")", 1.5, "a<b & \"c\"\u0007"]], many]));
    const zip = new Uint8Array(await new Response(stream).arrayBuffer());
    const files = unzipSync(zip);
    const crcs = centralCrcs(zip);
    for (const [name, bytes] of Object.entries(files)) expect(crc32(bytes) >>> 0, name).toBe(crcs[name]);
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
    expect(sheet.match(/<row>/g)).toHaveLength(1 + 1 + 3_000);
    expect(sheet).toContain('<row><c t="inlineStr" s="1"><is><t xml:space="preserve">Ime</t></is></c>');
    expect(sheet).toContain('<c t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;x&quot;)</t></is></c><c><v>1.5</v></c><c t="inlineStr"><is><t xml:space="preserve">a&lt;b &amp; &quot;c&quot;</t></is></c>');
    expect(sheet).toContain('<t xml:space="preserve">Oseba 2999 Čačič</t></is></c><c><v>2999</v></c><c/></row></sheetData></worksheet>');
    expect(strFromU8(files["xl/workbook.xml"])).toContain('<sheet name="Ljudje"');
  });

  it("stops its source when the reader cancels half way", async () => {
    let started = false;
    let stopped = false;
    const rows = Array.from({ length: 10 }, () => Array.from({ length: 100 }, (_, i) => [`row ${i}`]));
    const reader = xlsxStream("Sheet", ["h"], batchesOf(rows, { start: () => (started = true), stop: () => (stopped = true) })).getReader();
    while (!started) await reader.read();
    await reader.cancel();
    expect(stopped).toBe(true);
  });
});
