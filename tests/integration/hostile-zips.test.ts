import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importCourseZip } from "../../app/authoring/course-zip.server.ts";
import { translator } from "../../app/i18n/index.ts";
import { importScormPackage } from "../../app/scorm/import-package.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { DomainError } from "../../app/utils/errors.server.ts";
import { bombZip, craftZip, FIXTURE_PAGE, manifest12, manyEntriesZip, packageZip, type RawZipEntry, zeroDeflateStream } from "../../scripts/lib/scorm-zip-fixtures.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createUser } from "../support/factories.ts";

// Hostile uploads, end to end through both importers that unpack zips: a SCORM package into a course
// and a course zip into a draft. Each must be refused with a message naming what is wrong, leave no
// row and no stored file, write nothing outside its scratch folder and remove that folder, and stop
// inflating at its limit rather than after it. Archives are built byte by byte in the test.

/** Bytes written to files the unpacker creates (opened "wx"), so a limit can be seen to hold while inflating. */
const written = vi.hoisted(() => ({ bytes: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const open: typeof fs.open = async (...args) => {
    const handle = await fs.open(...args);
    if (args[1] !== "wx") return handle;
    const write = handle.write.bind(handle) as (buffer: Uint8Array) => Promise<unknown>;
    handle.write = (async (buffer: Uint8Array) => {
      written.bytes += buffer.byteLength;
      return write(buffer);
    }) as typeof handle.write;
    return handle;
  };
  return { ...fs, open, default: { ...fs, open } };
});

const MiB = 1024 * 1024;
const clock = fixedClock("2027-06-01T09:00:00Z");
const en = translator("en");
const storage = () => process.env.STORAGE_DIR as string;
/** Where an escaping entry named ESCAPE would land: beside the scratch folder, in storage, and above it. */
const ESCAPE = `opora-hostile-escape-${process.pid}.txt`;
const escapeTargets = () => [join(storage(), "tmp", ESCAPE), join(storage(), ESCAPE), join(dirname(storage()), ESCAPE), join("/tmp", ESCAPE)];

function writeUpload(bytes: Uint8Array, name = "upload.zip") {
  const path = join(mkdtempSync(join(tmpdir(), "opora-hostile-")), name);
  writeFileSync(path, bytes);
  return path;
}

/** Every file under storage, scratch folder included, relative to it. */
function storedFiles() {
  return readdirSync(storage(), { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(storage(), join(entry.parentPath, entry.name)))
    .sort();
}
const scratchEntries = () => (existsSync(join(storage(), "tmp")) ? readdirSync(join(storage(), "tmp")) : []);

async function refusalOf(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${error === null ? "success" : String(error)}`);
  return error;
}

const message = (error: DomainError) => en(error.messageKey, { detail: error.detail ?? "" });

/** A SCORM 1.2 manifest with a document type declaring `entities`. */
const manifestWithEntities = (entities: string, title = "Fixture") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest [${entities}]>\n${manifest12().replace(/^<\?xml[^>]*>\n/, "").replace("<title>Fixture</title>", `<title>${title}</title>`)}`;
const billionLaughs = `<!ENTITY lol0 "lol">${Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`).join("")}`;

type ZipCase = {
  name: string;
  zip: () => Uint8Array;
  /** The refusal's i18n key, and text its message must show (the entry's name, the limit). */
  key: string;
  shows?: string;
  /** Limits set through the SCORM_MAX_* settings for this case. */
  env?: Record<string, string>;
  /** At most this many bytes may have been written before the refusal. */
  writtenAtMost?: number;
};

/** Refusals of the archive itself: the same for both importers. */
const ARCHIVE_CASES = (extra: (entries: RawZipEntry[]) => Uint8Array): ZipCase[] => [
  { name: "a ../ path", zip: () => extra([{ name: `../../../${ESCAPE}`, data: "escaped\n" }]), key: "scorm.package.unsafe_path", shows: `../../../${ESCAPE}`, writtenAtMost: 0 },
  { name: "an absolute path", zip: () => extra([{ name: `/tmp/${ESCAPE}`, data: "escaped\n" }]), key: "scorm.package.unsafe_path", shows: `/tmp/${ESCAPE}`, writtenAtMost: 0 },
  { name: "a Windows ..\\ path", zip: () => extra([{ name: `sco\\..\\..\\..\\..\\${ESCAPE}`, data: "escaped\n" }]), key: "scorm.package.unsafe_path", shows: ESCAPE, writtenAtMost: 0 },
  { name: "a drive letter", zip: () => extra([{ name: `C:\\${ESCAPE}`, data: "escaped\n" }]), key: "scorm.package.unsafe_path", shows: `C:\\${ESCAPE}`, writtenAtMost: 0 },
  { name: "a symlink to /etc/passwd", zip: () => extra([{ name: "passwd.txt", data: "/etc/passwd", method: 0, unixMode: 0o120777 }]), key: "scorm.package.symlink", shows: "passwd.txt", writtenAtMost: 0 },
  { name: "the same name twice, in other case", zip: () => extra([{ name: "notes/a.txt", data: "1" }, { name: "NOTES/A.txt", data: "2" }]), key: "scorm.package.duplicate_entry", shows: "NOTES/A.txt", writtenAtMost: 0 },
  { name: "an encrypted entry", zip: () => extra([{ name: "secret.txt", data: "xxxxxxxxxxxx", flags: 1 }]), key: "scorm.package.encrypted", writtenAtMost: 0 },
  { name: "a truncated archive", zip: () => extra([{ name: "notes/a.txt", data: "a".repeat(2000) }]).subarray(0, 400), key: "scorm.package.not_zip", writtenAtMost: 0 },
  { name: "a damaged entry (wrong checksum)", zip: () => extra([{ name: "notes/a.txt", data: "abc", crc: 1234 }]), key: "scorm.package.corrupt", shows: "notes/a.txt" },
  { name: "a text file named .zip", zip: () => new TextEncoder().encode("This is a text file with a .zip name.\n"), key: "scorm.package.not_zip", writtenAtMost: 0 },
  { name: "an empty file", zip: () => new Uint8Array(0), key: "scorm.package.not_zip", writtenAtMost: 0 },
  { name: "a zip with no entries", zip: () => craftZip([]), key: "" /* the importer's missing-marker key */, writtenAtMost: 0 },
  {
    name: "a zip bomb whose headers lie (2 GiB of zeros declared as 4 KiB)",
    zip: () => extra([{ name: "media/bomb.bin", method: 8, compressed: zeroDeflateStream(2048), declaredSize: 4096, crc: 0 }]),
    key: "scorm.package.ratio",
    shows: "media/bomb.bin",
    // The ratio is checked once an entry passes 1 MiB, so output stops within a chunk of it.
    writtenAtMost: 2 * MiB,
  },
  { name: "a zip bomb declared honestly (8 MiB of zeros)", zip: () => extra([{ name: "media/zeros.bin", data: new Uint8Array(8 * MiB) }]), key: "scorm.package.ratio", shows: "media/zeros.bin", writtenAtMost: 0 },
  {
    name: "a file larger than the limit, declared",
    zip: () => extra([{ name: "media/large.bin", data: noise(MiB + 1), method: 0 }]),
    key: "scorm.package.file_too_large",
    shows: "media/large.bin",
    env: { SCORM_MAX_FILE_MB: "1" },
    writtenAtMost: 0,
  },
  {
    name: "a file larger than the limit, headers lying",
    zip: () => extra([{ name: "media/large.bin", method: 8, compressed: zeroDeflateStream(64), declaredSize: 4096, crc: 0 }]),
    key: "scorm.package.file_too_large",
    shows: "media/large.bin",
    env: { SCORM_MAX_FILE_MB: "1", SCORM_MAX_RATIO: "1000000" },
    writtenAtMost: MiB,
  },
  {
    name: "a package larger than the limit, headers lying",
    zip: () => extra([{ name: "media/a.bin", data: noise(MiB), method: 0 }, { name: "media/b.bin", method: 8, compressed: zeroDeflateStream(8), declaredSize: 10, crc: 0 }]),
    key: "scorm.package.too_large",
    env: { SCORM_MAX_TOTAL_MB: "2", SCORM_MAX_FILE_MB: "100", SCORM_MAX_RATIO: "1000000" },
    writtenAtMost: 2 * MiB,
  },
];

function noise(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 7;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function setEnv(values: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}
afterEach(() => {
  vi.unstubAllEnvs();
});

/** What a refusal must leave as it was. */
async function snapshot() {
  return {
    rows: {
      scormPackages: await db.scormPackage.count(),
      courseVersions: await db.courseVersion.count(),
      courses: await db.course.count(),
      draftFiles: await db.draftFile.count(),
      assets: await db.asset.count(),
      audit: await db.auditEvent.count(),
    },
    stored: storedFiles(),
  };
}

async function expectRefusal(test: ZipCase, key: string, run: (zipPath: string) => Promise<unknown>) {
  setEnv(test.env);
  const zipPath = writeUpload(test.zip());
  const before = await snapshot();
  written.bytes = 0;
  const error = await refusalOf(run(zipPath));
  expect({ code: error.code, key: error.messageKey }).toEqual({ code: "INVALID", key });
  // The message is the key's text with the detail filled in, never the bare key.
  expect(message(error)).not.toBe(error.messageKey);
  expect(message(error)).not.toContain("{detail}");
  if (test.shows) expect(message(error)).toContain(test.shows);
  if (test.writtenAtMost !== undefined) expect(written.bytes).toBeLessThanOrEqual(test.writtenAtMost);
  expect(await snapshot()).toEqual(before);
  expect(scratchEntries()).toEqual([]);
  for (const target of escapeTargets()) expect(existsSync(target), target).toBe(false);
  return error;
}

describe("a SCORM package upload", () => {
  const slug = "hostile-scorm";
  const importPackage = (zipPath: string) => importScormPackage({ actor: "operator", courseSlug: slug, moduleKey: "basics", zipPath, clock });

  beforeAll(async () => {
    await importFixtureCourse(slug);
  });

  const cases: ZipCase[] = [
    ...ARCHIVE_CASES(packageZip),
    { name: "too many entries", zip: () => manyEntriesZip(51), key: "scorm.package.too_many_entries", shows: "51 > 50", env: { SCORM_MAX_ENTRIES: "50" }, writtenAtMost: 0 },
    { name: "no imsmanifest.xml", zip: () => craftZip([{ name: "index.html", data: FIXTURE_PAGE }]), key: "scorm.package.no_manifest", writtenAtMost: 0 },
    {
      name: "a manifest with a billion laughs",
      zip: () => craftZip([{ name: "imsmanifest.xml", data: manifestWithEntities(billionLaughs, "&lol9;") }, { name: "index.html", data: FIXTURE_PAGE }]),
      key: "scorm.manifest.malformed",
      shows: "entity declarations are not allowed",
    },
    {
      name: "a manifest with an external entity",
      zip: () => craftZip([{ name: "imsmanifest.xml", data: manifestWithEntities('<!ENTITY secret SYSTEM "file:///etc/passwd">', "&secret;") }, { name: "index.html", data: FIXTURE_PAGE }]),
      key: "scorm.manifest.malformed",
      shows: "entity declarations are not allowed",
    },
    {
      name: "a manifest larger than 16 MiB",
      zip: () => craftZip([{ name: "imsmanifest.xml", data: `${manifest12()}<!--${" ".repeat(16 * MiB)}-->` }, { name: "index.html", data: FIXTURE_PAGE }]),
      key: "scorm.package.file_too_large",
      shows: "imsmanifest.xml",
      env: { SCORM_MAX_RATIO: "100000" },
    },
  ];

  it.each(cases.map((test) => [test.name, test] as const))("refuses %s, naming it, and leaves nothing behind", async (_name, test) => {
    await expectRefusal(test, test.key || "scorm.package.no_manifest", importPackage);
  });

  it("reads a manifest that is not valid UTF-8, showing the broken bytes as replacement characters", async () => {
    const [head, tail] = manifest12().split("<title>Fixture</title>");
    const manifest = Buffer.concat([Buffer.from(`${head}<title>Caf`), Buffer.from([0xe9, 0xff]), Buffer.from(`</title>${tail}`)]);
    const result = await importPackage(writeUpload(craftZip([{ name: "imsmanifest.xml", data: manifest }, { name: "index.html", data: FIXTURE_PAGE }])));
    expect(result.title).toBe("Caf\uFFFD\uFFFD");
    expect(scratchEntries()).toEqual([]);
  });

  it("imports the same package without its hostile entry (the corpus is refused for what it adds)", async () => {
    const before = await db.scormPackage.count();
    written.bytes = 0;
    await expect(importPackage(writeUpload(packageZip([{ name: "media/photo.bin", data: noise(64 * 1024) }])))).resolves.toMatchObject({ version: "1.2", files: 3 });
    expect(await db.scormPackage.count()).toBe(before + 1);
    // The count the limits above are checked with sees every byte unpacked.
    expect(written.bytes).toBe(manifest12().length + FIXTURE_PAGE.length + 64 * 1024);
    expect(scratchEntries()).toEqual([]);
  });
});

describe("a course zip upload", () => {
  let admin: { id: string; isAdmin: boolean };
  const importZip = (zipPath: string) => importCourseZip({ actor: admin, zipPath, organisationId: null, clock });
  const FIXTURE = new URL("../fixtures/courses/valid-minimal/", import.meta.url).pathname;

  /** The fixture course as a zip of its folder `c/`, slug `hostile-course`, plus `extra` entries (names relative to the zip). */
  function courseZip(extra: RawZipEntry[] = [], replace: Record<string, Uint8Array | string> = {}) {
    const files = readdirSync(FIXTURE, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(FIXTURE, join(entry.parentPath, entry.name)))
      .sort();
    const entries: RawZipEntry[] = files.map((path) => {
      const bytes = readFileSync(join(FIXTURE, path));
      const data = path === "course.yaml" ? bytes.toString("utf8").replace("slug: valid-minimal", "slug: hostile-course") : bytes;
      return { name: `c/${path}`, data: replace[path] ?? data };
    });
    return craftZip([...entries, ...extra.map((entry) => ({ ...entry, name: entry.name.startsWith("c/") || entry.name.includes(ESCAPE) ? entry.name : `c/${entry.name}` }))]);
  }

  beforeAll(async () => {
    admin = { id: (await createUser({ isAdmin: true })).id, isAdmin: true };
  });

  const aliasBomb = `slug: hostile-course\n${"abcdefghi"
    .split("")
    .map((name, level) => `${name}: &${name} [${Array(9).fill(level === 0 ? '"lol"' : `*${"abcdefghi"[level - 1]}`).join(", ")}]`)
    .join("\n")}\n`;

  const cases: ZipCase[] = [
    // Course zips have their own entry and size limits; the SCORM_MAX_* settings do not apply to them.
    ...ARCHIVE_CASES((entries) => courseZip(entries)).filter((test) => !test.env),
    { name: "more files than a draft may hold", zip: () => courseZip(Array.from({ length: 2001 }, (_, index) => ({ name: `c/01-basics/images/x${index}.png`, method: 0 }))), key: "scorm.package.too_many_entries", shows: "> 2000", writtenAtMost: 0 },
    { name: "a file declaring 60 MiB", zip: () => courseZip([{ name: "c/01-basics/images/huge.png", data: noise(1000), declaredSize: 60 * MiB }]), key: "scorm.package.file_too_large", shows: "c/01-basics/images/huge.png", writtenAtMost: 0 },
    { name: "a folder without course.yaml", zip: () => craftZip([{ name: "c/01-basics/module.yaml", data: "id: basics\n" }]), key: "course.zip.no_course_file", writtenAtMost: 0 },
    { name: "a course.yaml that is a YAML alias bomb", zip: () => courseZip([], { "course.yaml": aliasBomb }), key: "authoring.zip.problems", shows: "course.yaml:1: YAML aliases" },
    { name: "a module.yaml that is not UTF-8", zip: () => courseZip([], { "01-basics/module.yaml": Uint8Array.from([0x69, 0x64, 0x3a, 0x20, 0xc8, 0xe8, 0x0a]) }), key: "authoring.zip.notUtf8", shows: "01-basics/module.yaml" },
    { name: "a lesson of 600 KB", zip: () => courseZip([], { "01-basics/01-what-is-it.en.md": `---\nid: what-is-it\ntitle: Big\nminutes: 5\n---\n${"x".repeat(600 * 1024)}\n` }), key: "authoring.draft.tooLarge", shows: "01-basics/01-what-is-it.en.md" },
    { name: "a script among the media", zip: () => courseZip([{ name: "c/run.sh", data: "#!/bin/sh\nrm -rf /\n" }]), key: "authoring.media.unsupported", shows: "run.sh" },
    { name: "a file deeper than the course format allows", zip: () => courseZip([{ name: "c/01-basics/images/a/b.png", data: "x" }]), key: "authoring.zip.badPath", shows: "c/01-basics/images/a/b.png" },
    { name: "a hidden file", zip: () => courseZip([{ name: "c/01-basics/.env", data: "SECRET=1\n" }]), key: "authoring.zip.badPath", shows: "c/01-basics/.env" },
    { name: "an image claiming 100,000 × 100,000 pixels", zip: () => courseZip([], { "01-basics/images/diagram.png": readFileSync("tests/fixtures/hostile/images/dimensions-100000.png") }), key: "media.image.dimensions", shows: "diagram.png" },
  ];

  it.each(cases.map((test) => [test.name, test] as const))("refuses %s, naming it, and leaves nothing behind", async (_name, test) => {
    await expectRefusal(test, test.key || "course.zip.no_course_file", importZip);
  });

  it("imports the same course without its hostile entry (the corpus is refused for what it adds)", async () => {
    await expect(importZip(writeUpload(courseZip()))).resolves.toMatchObject({ slug: "hostile-course", created: true });
    expect(await db.draftFile.count({ where: { course: { slug: "hostile-course" } } })).toBeGreaterThan(5);
    expect(scratchEntries()).toEqual([]);
  });
});
