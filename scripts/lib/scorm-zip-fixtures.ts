// Hand-built zip archives for testing the SCORM unzipper, hostile ones included. A zip writer of our
// own, because no well-behaved writer will lie about sizes, store symlinks or write "../" names.
// Shared by scripts/build-scorm-fixtures.ts and app/scorm/unpack.test.ts.
import { constants, crc32, deflateRawSync } from "node:zlib";

export type RawZipEntry = {
  name: string;
  /** Uncompressed content; empty for a directory entry ("name/"). */
  data?: Uint8Array | string;
  /** 0 stores, 8 deflates; anything else writes `data` as is under that method number. */
  method?: number;
  /** Bytes to store as the entry's data instead of compressing `data`. */
  compressed?: Uint8Array;
  /** Uncompressed size written in both headers; differs from the real size to lie. */
  declaredSize?: number;
  crc?: number;
  /** General purpose flags; bit 0 marks encryption. */
  flags?: number;
  /** Unix mode (e.g. 0o120777 for a symlink); sets "made by" to Unix. */
  unixMode?: number;
  /** Name in the local header when it should differ from the central directory's. */
  localName?: string;
};

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** Writes local headers, data, the central directory and its end record: a classic (non-zip64) zip. */
export function craftZip(entries: readonly RawZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = bytesOf(entry.data);
    const method = entry.method ?? (data.length > 0 ? 8 : 0);
    const stored = entry.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const name = encoder.encode(entry.name);
    const localName = entry.localName === undefined ? name : encoder.encode(entry.localName);
    const utf8Flag = /[^\x20-\x7e]/.test(entry.name) ? 0x800 : 0;
    const fields = {
      flags: (entry.flags ?? 0) | utf8Flag,
      method,
      crc: entry.crc ?? crc32(data),
      compressedSize: stored.length,
      size: entry.declaredSize ?? data.length,
    };

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    writeCommonFields(local, 6, fields);
    local.setUint16(26, localName.length, true);
    local.setUint16(28, 0, true);
    chunks.push(new Uint8Array(local.buffer), localName, stored);

    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, entry.unixMode === undefined ? 20 : (3 << 8) | 20, true);
    header.setUint16(6, 20, true);
    writeCommonFields(header, 8, fields);
    header.setUint16(28, name.length, true);
    header.setUint32(38, entry.unixMode === undefined ? 0 : (entry.unixMode << 16) >>> 0, true);
    header.setUint32(42, offset, true);
    central.push(new Uint8Array(header.buffer), name);

    offset += 30 + localName.length + stored.length;
  }
  const centralSize = central.reduce((sum, chunk) => sum + chunk.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return concat([...chunks, ...central, new Uint8Array(end.buffer)]);
}

// Flags, method, time, date, crc and sizes sit in the same order in local and central headers.
function writeCommonFields(
  view: DataView,
  at: number,
  fields: { flags: number; method: number; crc: number; compressedSize: number; size: number },
): void {
  view.setUint16(at, fields.flags, true);
  view.setUint16(at + 2, fields.method, true);
  view.setUint16(at + 4, 0, true); // 00:00:00
  view.setUint16(at + 6, (44 << 9) | (1 << 5) | 1, true); // 2024-01-01: fixed, so builds are reproducible
  view.setUint32(at + 8, fields.crc >>> 0, true);
  view.setUint32(at + 12, fields.compressedSize, true);
  view.setUint32(at + 16, fields.size, true);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const MiB = 1024 * 1024;

/**
 * A raw DEFLATE stream of `mebibytes` MiB of zeros, about 1 KiB per MiB. One MiB compressed with a
 * sync flush ends byte-aligned and non-final, so copies concatenate; `03 00` is an empty final block.
 */
export function zeroDeflateStream(mebibytes: number): Uint8Array {
  const unit = deflateRawSync(new Uint8Array(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return concat([...Array.from({ length: mebibytes }, () => unit), Uint8Array.of(0x03, 0x00)]);
}

/** A valid SCORM 1.2 manifest launching `index.html`, to put beside each hostile entry. */
export function manifest12(resources = `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>`, itemRef = "r1"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="fixture" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Fixture</title><item identifier="item1" identifierref="${itemRef}"><title>Lesson</title></item></organization>
  </organizations>
  <resources>${resources}</resources>
</manifest>
`;
}

export const FIXTURE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title></head><body><p>Fixture</p></body></html>\n`;

/** A well-formed package: manifest, page, plus `extra` entries. */
export function packageZip(extra: readonly RawZipEntry[] = []): Uint8Array {
  return craftZip([{ name: "imsmanifest.xml", data: manifest12() }, { name: "index.html", data: FIXTURE_PAGE }, ...extra]);
}

/**
 * A zip bomb whose headers lie: `content/bomb.bin` declares 4 KiB but inflates to `mebibytes` MiB of
 * zeros (default 2 GiB, from ~2 MB on disk). Only counting real output stops it.
 */
export function bombZip(mebibytes = 2048): Uint8Array {
  return packageZip([{ name: "content/bomb.bin", method: 8, compressed: zeroDeflateStream(mebibytes), declaredSize: 4096, crc: 0 }]);
}

/** Each writer of a hostile or broken package the build script emits, by file name. */
export const HOSTILE_ZIPS: Record<string, () => Uint8Array> = {
  "hostile-bomb.zip": () => bombZip(),
  "hostile-traversal.zip": () => packageZip([{ name: "../../opora-scorm-traversal.txt", data: "escaped\n" }]),
  "hostile-absolute.zip": () => packageZip([{ name: "/tmp/opora-scorm-absolute.txt", data: "escaped\n" }]),
  "hostile-symlink.zip": () => packageZip([{ name: "secrets.txt", data: "/etc/passwd", method: 0, unixMode: 0o120777 }]),
  "hostile-many-entries.zip": () => manyEntriesZip(10_001),
  "not-a-zip.zip": () => encoder.encode("This is a text file with a .zip name, not a zip archive.\n"),
  "no-manifest.zip": () => craftZip([{ name: "index.html", data: FIXTURE_PAGE }]),
  "malformed-manifest.zip": () =>
    craftZip([{ name: "imsmanifest.xml", data: manifest12().replace("</organizations>", "") }, { name: "index.html", data: FIXTURE_PAGE }]),
  "missing-resource.zip": () => craftZip([{ name: "imsmanifest.xml", data: manifest12(undefined, "no-such-resource") }, { name: "index.html", data: FIXTURE_PAGE }]),
  "no-sco.zip": () =>
    craftZip([
      { name: "imsmanifest.xml", data: manifest12(`<resource identifier="r1" type="webcontent" adlcp:scormtype="asset" href="index.html"><file href="index.html"/></resource>`) },
      { name: "index.html", data: FIXTURE_PAGE },
    ]),
};

/** A package with `total` entries in all (manifest and page included), each an empty stored file. */
export function manyEntriesZip(total: number): Uint8Array {
  const padding = Array.from({ length: Math.max(0, total - 2) }, (_, index) => ({ name: `pages/${String(index).padStart(5, "0")}.txt`, method: 0 }));
  return packageZip(padding);
}
