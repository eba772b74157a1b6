// Validates and extracts an uploaded SCORM zip into a fresh folder. The upload is hostile until
// proven otherwise: names are checked before anything is written, and sizes are counted while
// inflating, because headers can lie (zip bombs). One entry at a time, in small chunks, so memory
// stays bounded whatever the package's size.
//
// The central directory is the one source of truth: names, sizes and offsets come from it, and each
// local header is only checked against it. (fflate's streaming `Unzip` walks local headers and finds
// the end of entries written with a data descriptor by scanning for signatures, which compressed
// data can contain; so only its per-entry `UnzipInflate` decoder is used.)
//
// Decisions:
// - Backslashes are read as folder separators: some Windows tools write them; then the usual checks apply.
// - Entry paths that differ only in case (or Unicode normalisation) are duplicates and refused:
//   packages end up on case-insensitive disks, where one would silently replace the other.
// - `__MACOSX/` folders and `.DS_Store` files are skipped, never written.
// - Symlinks and other special files (devices, FIFOs) are refused, not skipped.
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import { UnzipInflate } from "fflate";
import { z } from "zod";

export const PACKAGE_ERROR_CODES = [
  "scorm.package.not_zip",
  "scorm.package.corrupt",
  "scorm.package.encrypted",
  "scorm.package.unsupported_compression",
  "scorm.package.no_manifest",
  "scorm.package.unsafe_path",
  "scorm.package.symlink",
  "scorm.package.duplicate_entry",
  "scorm.package.too_many_entries",
  "scorm.package.too_large",
  "scorm.package.file_too_large",
  "scorm.package.ratio",
  "course.zip.no_course_file",
] as const;
export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];

/** `code` is an i18n key; `detail` (usually the entry's path) fills its `{detail}`. */
export class PackageError extends Error {
  constructor(
    readonly code: PackageErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "PackageError";
  }
}

export type ScormLimits = {
  maxEntries: number;
  /** Sum of the uncompressed sizes of the extracted files. */
  maxTotalBytes: number;
  maxFileBytes: number;
  /** Uncompressed ÷ compressed, for each file and for the whole package… */
  maxRatio: number;
  /** …once its uncompressed size passes this, so that small, very compressible text files pass. */
  ratioMinBytes: number;
};

const MiB = 1024 * 1024;

export const DEFAULT_SCORM_LIMITS: Readonly<ScormLimits> = Object.freeze({
  maxEntries: 10_000,
  maxTotalBytes: 1024 * MiB,
  maxFileBytes: 512 * MiB,
  maxRatio: 100,
  ratioMinBytes: MiB,
});

const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);
const PositiveSetting = z.preprocess(unsetWhenEmpty, z.coerce.number().positive().optional());

export const ScormLimitsEnvSchema = z.object({
  SCORM_MAX_ENTRIES: z.preprocess(unsetWhenEmpty, z.coerce.number().int().positive().optional()),
  SCORM_MAX_TOTAL_MB: PositiveSetting,
  SCORM_MAX_FILE_MB: PositiveSetting,
  SCORM_MAX_RATIO: PositiveSetting,
});

/** The limits, with the defaults overridden by whichever `SCORM_MAX_*` settings are set. Throws when one is not a positive number. */
export function scormLimitsFromEnv(env: Record<string, string | undefined>): ScormLimits {
  const parsed = ScormLimitsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid SCORM limits: ${problems.join("; ")}`);
  }
  const settings = parsed.data;
  return {
    ...DEFAULT_SCORM_LIMITS,
    ...(settings.SCORM_MAX_ENTRIES && { maxEntries: settings.SCORM_MAX_ENTRIES }),
    ...(settings.SCORM_MAX_TOTAL_MB && { maxTotalBytes: Math.floor(settings.SCORM_MAX_TOTAL_MB * MiB) }),
    ...(settings.SCORM_MAX_FILE_MB && { maxFileBytes: Math.floor(settings.SCORM_MAX_FILE_MB * MiB) }),
    ...(settings.SCORM_MAX_RATIO && { maxRatio: settings.SCORM_MAX_RATIO }),
  };
}

export type UnpackedFile = { path: string; size: number };

export type UnpackedPackage = {
  /** Folder holding imsmanifest.xml, relative to destDir: "" or "name/". */
  root: string;
  /** Every extracted file, relative to destDir (so including `root`), in archive order. */
  files: UnpackedFile[];
  manifestXml: string;
};

/**
 * Extracts the package at `zipPath` into `destDir`, which must not exist or be empty. On any
 * failure, what was written is removed (and the folders this call created, destDir included).
 */
export async function unpackScormZip(zipPath: string, destDir: string, limits: Partial<ScormLimits> = {}): Promise<UnpackedPackage> {
  return unpackZip(zipPath, destDir, { limits, marker: { name: "imsmanifest.xml", missing: "scorm.package.no_manifest" } }, async ({ root, files, markerPath }, dir) => {
    const manifest = files.find((file) => file.path === markerPath);
    if (manifest && manifest.size > MAX_MANIFEST_BYTES) throw new PackageError("scorm.package.file_too_large", markerPath);
    const manifestXml = decodeXml(await readFile(path.join(dir, markerPath)));
    return { root, files, manifestXml };
  });
}

/** The file that marks a zip's root folder (at the top or in its one folder), and the error when it is missing. */
export type RootMarker = { name: string; missing: PackageErrorCode };

/**
 * Extracts any zip with the same limits and refusals as a SCORM package: the root is where `marker`
 * is. `then` reads what it needs while the files exist; on any failure, everything written is removed.
 */
export async function unpackZip<T>(
  zipPath: string,
  destDir: string,
  { limits = {}, marker }: { limits?: Partial<ScormLimits>; marker: RootMarker },
  then: (unpacked: { root: string; files: UnpackedFile[]; markerPath: string }, dir: string) => Promise<T>,
): Promise<T> {
  const effective: ScormLimits = { ...DEFAULT_SCORM_LIMITS, ...limits };
  const archive = await open(zipPath, "r");
  try {
    const directory = await readCentralDirectory(archive, effective);
    const plan = planExtraction(directory.entries, effective, marker);
    const destination = await prepareDestination(destDir);
    try {
      const files = await extractAll(archive, zipPath, directory.centralOffset, plan.files, destination.dir, effective);
      return await then({ root: plan.root, files, markerPath: plan.manifestPath }, destination.dir);
    } catch (error) {
      await destination.clean();
      throw error;
    }
  } finally {
    await archive.close();
  }
}

const MAX_MANIFEST_BYTES = 16 * MiB;
const READ_CHUNK_BYTES = 64 * 1024;
/**
 * Compressed bytes handed to the inflater at a time. DEFLATE expands at most ~1032:1, so a bomb is
 * caught within ~4 MiB of output, and little time, whatever its headers say.
 */
const INFLATE_SLICE_BYTES = 4 * 1024;
/** Generous room per entry for a name and extra fields; bounds what is read before any check. */
const MAX_CENTRAL_BYTES_PER_ENTRY = 4096;

// --- Central directory ---------------------------------------------------------------------------

type CentralEntry = {
  rawName: Uint8Array;
  name: string;
  madeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localHeaderOffset: number;
};

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(archive: FileHandle, limits: ScormLimits): Promise<{ entries: CentralEntry[]; centralOffset: number }> {
  const { size: fileSize } = await archive.stat();
  const head = await readAt(archive, 0, 4);
  if (fileSize < 22 || (head.readUInt32LE(0) !== 0x04034b50 && head.readUInt32LE(0) !== 0x06054b50)) {
    throw new PackageError("scorm.package.not_zip", "no zip signature");
  }

  // The end record sits in the last 22 bytes plus up to 64 KiB of comment.
  const tailStart = Math.max(0, fileSize - 22 - 0xffff);
  const tail = await readAt(archive, tailStart, fileSize - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50 && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at === -1) throw new PackageError("scorm.package.not_zip", "no central directory");
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) {
    throw new PackageError("scorm.package.not_zip", "split archives are not supported");
  }
  let count = tail.readUInt16LE(at + 10);
  let centralSize = tail.readUInt32LE(at + 12);
  let centralOffset = tail.readUInt32LE(at + 16);
  let recordOffset = tailStart + at;
  if (count === 0xffff || centralSize === 0xffffffff || centralOffset === 0xffffffff) {
    const locator = await readAt(archive, recordOffset - 20, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== 0x07064b50) throw new PackageError("scorm.package.corrupt", "zip64 locator missing");
    recordOffset = safeNumber(locator.readBigUInt64LE(8));
    const record = await readAt(archive, recordOffset, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw new PackageError("scorm.package.corrupt", "zip64 end record missing");
    count = safeNumber(record.readBigUInt64LE(32));
    centralSize = safeNumber(record.readBigUInt64LE(40));
    centralOffset = safeNumber(record.readBigUInt64LE(48));
  }
  if (count > limits.maxEntries) throw new PackageError("scorm.package.too_many_entries", `${count} > ${limits.maxEntries}`);
  // Anything between the directory and its end record, or before the first entry, is not ours to guess at.
  if (centralOffset + centralSize !== recordOffset) throw new PackageError("scorm.package.corrupt", "central directory out of place");
  if (centralSize > count * MAX_CENTRAL_BYTES_PER_ENTRY + 0xffff) throw new PackageError("scorm.package.corrupt", "central directory too large");

  const central = await readAt(archive, centralOffset, centralSize);
  const entries: CentralEntry[] = [];
  let position = 0;
  for (let index = 0; index < count; index++) {
    if (position + 46 > central.length || central.readUInt32LE(position) !== 0x02014b50) {
      throw new PackageError("scorm.package.corrupt", `central directory entry ${index}`);
    }
    const nameLength = central.readUInt16LE(position + 28);
    const extraLength = central.readUInt16LE(position + 30);
    const commentLength = central.readUInt16LE(position + 32);
    const end = position + 46 + nameLength + extraLength + commentLength;
    if (end > central.length) throw new PackageError("scorm.package.corrupt", `central directory entry ${index}`);
    const flags = central.readUInt16LE(position + 8);
    const rawName = central.subarray(position + 46, position + 46 + nameLength);
    const entry: CentralEntry = {
      rawName,
      name: decodeName(rawName, (flags & 0x800) !== 0),
      madeBy: central.readUInt16LE(position + 4),
      flags,
      method: central.readUInt16LE(position + 10),
      crc: central.readUInt32LE(position + 16),
      compressedSize: central.readUInt32LE(position + 20),
      size: central.readUInt32LE(position + 24),
      externalAttributes: central.readUInt32LE(position + 38),
      localHeaderOffset: central.readUInt32LE(position + 42),
    };
    applyZip64Extra(entry, central.subarray(position + 46 + nameLength, position + 46 + nameLength + extraLength));
    entries.push(entry);
    position = end;
  }
  return { entries, centralOffset };
}

/** Fields saturated at 0xFFFFFFFF carry their real value in the zip64 extra field, in this order. */
function applyZip64Extra(entry: CentralEntry, extra: Buffer): void {
  const saturated = (["size", "compressedSize", "localHeaderOffset"] as const).filter((field) => entry[field] === 0xffffffff);
  if (saturated.length === 0) return;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      if (length < saturated.length * 8 || at + 4 + length > extra.length) break;
      saturated.forEach((field, index) => {
        entry[field] = safeNumber(extra.readBigUInt64LE(at + 4 + index * 8));
      });
      return;
    }
    at += 4 + length;
  }
  throw new PackageError("scorm.package.corrupt", `${entry.name}: zip64 sizes missing`);
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PackageError("scorm.package.corrupt", "size out of range");
  return Number(value);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** Names without the UTF-8 flag are still usually UTF-8 (macOS, Info-ZIP); otherwise read as Latin-1. */
function decodeName(raw: Uint8Array, flaggedUtf8: boolean): string {
  try {
    return utf8.decode(raw);
  } catch {
    if (flaggedUtf8) throw new PackageError("scorm.package.corrupt", latin1.decode(raw));
    return latin1.decode(raw);
  }
}

// --- Validation ----------------------------------------------------------------------------------

type PlannedFile = { entry: CentralEntry; path: string };
type Plan = { files: PlannedFile[]; root: string; manifestPath: string };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function planExtraction(entries: readonly CentralEntry[], limits: ScormLimits, marker: RootMarker): Plan {
  const files: PlannedFile[] = [];
  const fileKeys = new Map<string, string>();
  const folderKeys = new Set<string>();
  let totalSize = 0;
  let totalCompressed = 0;

  for (const entry of entries) {
    const { path: entryPath, isFolder } = normaliseEntryPath(entry.name);
    if ((entry.flags & 0x1) !== 0 || entry.method === 99) throw new PackageError("scorm.package.encrypted", entryPath);
    // Unix permissions live in the upper 16 bits whoever made the zip; DOS-made entries leave them 0.
    const fileType = (entry.externalAttributes >>> 16) & S_IFMT;
    if (fileType !== 0 && fileType !== S_IFREG && fileType !== S_IFDIR) throw new PackageError("scorm.package.symlink", entryPath);
    if (isJunk(entryPath)) continue;
    if (isFolder) {
      folderKeys.add(pathKey(entryPath));
      continue;
    }
    if (entry.method !== 0 && entry.method !== 8) throw new PackageError("scorm.package.unsupported_compression", `${entryPath} (method ${entry.method})`);
    if (entry.method === 0 && entry.compressedSize !== entry.size) throw new PackageError("scorm.package.corrupt", entryPath);

    const key = pathKey(entryPath);
    const clash = fileKeys.get(key);
    if (clash !== undefined) throw new PackageError("scorm.package.duplicate_entry", clash === entryPath ? entryPath : `${clash}, ${entryPath}`);
    fileKeys.set(key, entryPath);
    const segments = key.split("/");
    for (let depth = 1; depth < segments.length; depth++) folderKeys.add(segments.slice(0, depth).join("/"));

    checkSize(entryPath, entry.size, entry.compressedSize, limits);
    totalSize += entry.size;
    totalCompressed += entry.compressedSize;
    files.push({ entry, path: entryPath });
  }
  checkTotal(totalSize, totalCompressed, limits);
  for (const [key, entryPath] of fileKeys) {
    if (folderKeys.has(key)) throw new PackageError("scorm.package.duplicate_entry", `${entryPath} is both a file and a folder`);
  }
  return { files, ...locateRoot(files, marker) };
}

/** "a\\b/./c" → "a/b/c". Refuses what could land outside the destination or confuse a file system. */
function normaliseEntryPath(name: string): { path: string; isFolder: boolean } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\x00-\x1f\x7f]/.test(name)) throw new PackageError("scorm.package.unsafe_path", JSON.stringify(name));
  const slashed = name.replaceAll("\\", "/");
  if (slashed.startsWith("/") || /^[a-z]:/i.test(slashed)) throw new PackageError("scorm.package.unsafe_path", name);
  const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw new PackageError("scorm.package.unsafe_path", name);
  if (segments.length === 0) return { path: "", isFolder: true };
  return { path: segments.join("/"), isFolder: slashed.endsWith("/") };
}

function isJunk(entryPath: string): boolean {
  const segments = entryPath.split("/");
  return segments[0] === "__MACOSX" || segments.at(-1) === ".DS_Store";
}

function pathKey(entryPath: string): string {
  return entryPath.normalize("NFC").toLowerCase();
}

function checkSize(entryPath: string, size: number, compressedSize: number, limits: ScormLimits): void {
  if (size > limits.maxFileBytes) throw new PackageError("scorm.package.file_too_large", entryPath);
  if (size > limits.ratioMinBytes && size > Math.max(compressedSize, 1) * limits.maxRatio) throw new PackageError("scorm.package.ratio", entryPath);
}

function checkTotal(totalSize: number, totalCompressed: number, limits: ScormLimits): void {
  if (totalSize > limits.maxTotalBytes) throw new PackageError("scorm.package.too_large", `${totalSize} bytes`);
  if (totalSize > limits.ratioMinBytes && totalSize > Math.max(totalCompressed, 1) * limits.maxRatio) {
    throw new PackageError("scorm.package.ratio", "whole package");
  }
}

/** The marker (imsmanifest.xml) at the top, or in the one folder everything else is in (a zipped folder). */
function locateRoot(files: readonly PlannedFile[], marker: RootMarker): { root: string; manifestPath: string } {
  const isManifest = (filePath: string) => filePath.toLowerCase() === marker.name;
  const atTop = files.find((file) => isManifest(file.path));
  if (atTop) return { root: "", manifestPath: atTop.path };
  const tops = new Set(files.map((file) => file.path.split("/")[0]));
  const [folder] = tops;
  if (tops.size === 1 && folder !== undefined) {
    const inFolder = files.find((file) => isManifest(file.path.slice(folder.length + 1)) && file.path.startsWith(`${folder}/`));
    if (inFolder) return { root: `${folder}/`, manifestPath: inFolder.path };
  }
  const deeper = files.find((file) => file.path.toLowerCase().endsWith(`/${marker.name}`));
  throw new PackageError(marker.missing, deeper ? deeper.path : "");
}

// --- Extraction ----------------------------------------------------------------------------------

async function prepareDestination(destDir: string): Promise<{ dir: string; clean: () => Promise<void> }> {
  const dir = path.resolve(destDir);
  const existing = await stat(dir).catch(() => null);
  if (existing && (!existing.isDirectory() || (await readdir(dir)).length > 0)) {
    throw new Error(`SCORM destination ${dir} must be a new or empty folder`);
  }
  // The first folder mkdir creates may be a missing parent of destDir; cleaning removes it too.
  const firstCreated = await mkdir(dir, { recursive: true });
  const clean = firstCreated
    ? () => rm(firstCreated, { recursive: true, force: true })
    : async () => {
        for (const name of await readdir(dir)) await rm(path.join(dir, name), { recursive: true, force: true });
      };
  return { dir, clean };
}

async function extractAll(
  archive: FileHandle,
  zipPath: string,
  centralOffset: number,
  files: readonly PlannedFile[],
  destDir: string,
  limits: ScormLimits,
): Promise<UnpackedFile[]> {
  const totals = { size: 0 };
  const folders = new Set<string>();
  const extracted = new Map<PlannedFile, UnpackedFile>();
  let previousEnd = 0;
  // In file order: overlapping entries (one deflate stream shared by many names) show up as going backwards.
  for (const file of [...files].sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset)) {
    const dataStart = await checkLocalHeader(archive, file);
    const dataEnd = dataStart + file.entry.compressedSize;
    if (file.entry.localHeaderOffset < previousEnd || dataEnd > centralOffset) throw new PackageError("scorm.package.corrupt", `${file.path}: overlapping entries`);
    previousEnd = dataEnd;

    const target = path.join(destDir, file.path);
    if (!target.startsWith(destDir + path.sep)) throw new PackageError("scorm.package.unsafe_path", file.path);
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    const size = await extractOne(zipPath, dataStart, file, target, totals, limits);
    extracted.set(file, { path: file.path, size });
  }
  return files.map((file) => extracted.get(file)!);
}

async function checkLocalHeader(archive: FileHandle, file: PlannedFile): Promise<number> {
  const { entry } = file;
  const header = await readAt(archive, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new PackageError("scorm.package.corrupt", `${file.path}: no local header`);
  if ((header.readUInt16LE(6) & 0x1) !== 0) throw new PackageError("scorm.package.encrypted", file.path);
  const nameLength = header.readUInt16LE(26);
  const localName = await readAt(archive, entry.localHeaderOffset + 30, nameLength);
  // Tools that read local headers would see a different file than we checked.
  if (!localName.equals(entry.rawName)) throw new PackageError("scorm.package.corrupt", `${file.path}: local name differs`);
  return entry.localHeaderOffset + 30 + nameLength + header.readUInt16LE(28);
}

/**
 * Streams one entry to `target` and returns its size. Declared sizes already passed the limits, so
 * only a lying header can take real output past them: the entry is then stopped at the first chunk
 * that goes over, as a bomb (ratio of output to the compressed bytes read so far) or as corrupt.
 */
async function extractOne(
  zipPath: string,
  dataStart: number,
  file: PlannedFile,
  target: string,
  totals: { size: number },
  limits: ScormLimits,
): Promise<number> {
  const { entry } = file;
  const output = await open(target, "wx");
  let consumed = 0;
  let size = 0;
  let crc = 0;
  const write = async (piece: Uint8Array) => {
    size += piece.length;
    totals.size += piece.length;
    if (size > limits.maxFileBytes) throw new PackageError("scorm.package.file_too_large", file.path);
    if (totals.size > limits.maxTotalBytes) throw new PackageError("scorm.package.too_large", `${totals.size} bytes`);
    if (size > entry.size) {
      if (size > limits.ratioMinBytes && size > consumed * limits.maxRatio) throw new PackageError("scorm.package.ratio", file.path);
      throw new PackageError("scorm.package.corrupt", `${file.path}: more data than declared`);
    }
    crc = crc32(piece, crc);
    await output.write(piece);
  };
  try {
    const input =
      entry.compressedSize === 0
        ? []
        : createReadStream(zipPath, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: READ_CHUNK_BYTES });
    if (entry.method === 0) {
      for await (const chunk of input) {
        consumed += (chunk as Buffer).length;
        await write(chunk as Buffer);
      }
    } else if (entry.compressedSize > 0) {
      const inflater = new UnzipInflate();
      const pending: Uint8Array[] = [];
      let failure: Error | null = null;
      inflater.ondata = (error, data) => {
        if (error) failure = error;
        else if (data.length > 0) pending.push(data);
      };
      const drain = async () => {
        if (failure) throw new PackageError("scorm.package.corrupt", `${file.path}: ${(failure as Error).message}`);
        for (const piece of pending.splice(0)) await write(piece);
      };
      for await (const chunk of input) {
        for (let at = 0; at < (chunk as Buffer).length; at += INFLATE_SLICE_BYTES) {
          const slice = (chunk as Buffer).subarray(at, at + INFLATE_SLICE_BYTES);
          consumed += slice.length;
          inflater.push(slice, false);
          await drain();
        }
      }
      // A truncated stream fails here; one that ends early leaves the size or checksum short, below.
      inflater.push(new Uint8Array(0), true);
      await drain();
    }
  } finally {
    await output.close();
  }
  if (size !== entry.size || crc >>> 0 !== entry.crc >>> 0) throw new PackageError("scorm.package.corrupt", `${file.path}: checksum or size mismatch`);
  return size;
}

/** Honours a byte order mark or the XML declaration's encoding (old 1.2 tools wrote ISO-8859-1). */
function decodeXml(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const declared = /^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(bytes.subarray(0, 200).toString("latin1"))?.[1];
  // Read as Latin-1 above, so the bytes are not UTF-16 whatever the declaration says.
  const label = declared && !/^utf-?16/i.test(declared) ? declared : "utf-8";
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}
