import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  bombZip,
  craftZip,
  FIXTURE_PAGE,
  manifest12,
  manyEntriesZip,
  packageZip,
  zeroDeflateStream,
} from "../../scripts/lib/scorm-zip-fixtures.ts";
import {
  DEFAULT_SCORM_LIMITS,
  PACKAGE_ERROR_CODES,
  PackageError,
  type PackageErrorCode,
  type ScormLimits,
  scormLimitsFromEnv,
  unpackScormZip,
  unpackZip,
} from "./unpack.server.ts";

const MiB = 1024 * 1024;
let work: string;
let zipPath: string;
// Nested, so that a "../../x" entry would still land inside `work`, where the tests look for it.
let destDir: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "opora-scorm-unpack-"));
  zipPath = path.join(work, "upload.zip");
  destDir = path.join(work, "packages", "p1", "content");
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function unpack(bytes: Uint8Array, limits: Partial<ScormLimits> = {}) {
  await writeFile(zipPath, bytes);
  return unpackScormZip(zipPath, destDir, limits);
}

async function refusal(bytes: Uint8Array, limits: Partial<ScormLimits> = {}): Promise<PackageError> {
  try {
    await unpack(bytes, limits);
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error("expected a PackageError");
}

/** Everything under `work`, relative to it; folders end in "/". */
async function tree(): Promise<string[]> {
  const entries = await readdir(work, { recursive: true, withFileTypes: true });
  return entries.map((entry) => path.relative(work, path.join(entry.parentPath, entry.name)) + (entry.isDirectory() ? "/" : "")).sort();
}

function noise(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** Rewrites the end record's central directory offset. */
function withCentralOffset(zip: Uint8Array, change: (offset: number) => number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  view.setUint32(copy.length - 6, change(view.getUint32(copy.length - 6, true)), true);
  return copy;
}

describe("a valid package", () => {
  test("is extracted file by file, with junk skipped and the manifest returned", async () => {
    const result = await unpack(
      packageZip([
        { name: "sco/" },
        { name: "sco/app.js", data: "console.log('hi');\n" },
        { name: "sco/media/", method: 0 },
        { name: "sco/media/clip.bin", data: noise(3 * MiB), method: 0 },
        { name: "sco/media/big.txt", data: "x".repeat(200_000) },
        { name: "sco/empty.txt", data: "" },
        { name: "__MACOSX/._index.html", data: "junk" },
        { name: "sco/.DS_Store", data: "junk" },
      ]),
    );
    expect(result.root).toBe("");
    expect(result.files).toEqual([
      { path: "imsmanifest.xml", size: manifest12().length },
      { path: "index.html", size: FIXTURE_PAGE.length },
      { path: "sco/app.js", size: 19 },
      { path: "sco/media/clip.bin", size: 3 * MiB },
      { path: "sco/media/big.txt", size: 200_000 },
      { path: "sco/empty.txt", size: 0 },
    ]);
    expect(result.manifestXml).toBe(manifest12());
    expect((await readFile(path.join(destDir, "sco/media/clip.bin"))).equals(noise(3 * MiB))).toBe(true);
    expect(await readFile(path.join(destDir, "sco/media/big.txt"), "utf8")).toBe("x".repeat(200_000));
    expect(await tree()).toEqual([
      "packages/",
      "packages/p1/",
      "packages/p1/content/",
      "packages/p1/content/imsmanifest.xml",
      "packages/p1/content/index.html",
      "packages/p1/content/sco/",
      "packages/p1/content/sco/app.js",
      "packages/p1/content/sco/empty.txt",
      "packages/p1/content/sco/media/",
      "packages/p1/content/sco/media/big.txt",
      "packages/p1/content/sco/media/clip.bin",
      "upload.zip",
    ]);
  });

  test("reads zips from a real writer (fflate), deflated and stored, large and incompressible", async () => {
    const bytes = zipSync({
      "imsmanifest.xml": strToU8(manifest12()),
      "index.html": [strToU8(FIXTURE_PAGE), { level: 0 }],
      "media/noise.bin": noise(5 * MiB, 7),
      "notes/long.txt": strToU8("line\n".repeat(100_000)),
    });
    const result = await unpack(bytes);
    expect(result.files.map((file) => file.path)).toEqual(["imsmanifest.xml", "index.html", "media/noise.bin", "notes/long.txt"]);
    expect((await readFile(path.join(destDir, "media/noise.bin"))).equals(noise(5 * MiB, 7))).toBe(true);
  });

  test("a zipped folder: the manifest's folder is the root", async () => {
    const result = await unpack(
      craftZip([
        { name: "My Course/" },
        { name: "My Course/imsmanifest.xml", data: manifest12() },
        { name: "My Course/index.html", data: FIXTURE_PAGE },
        { name: "__MACOSX/My Course/._index.html", data: "junk" },
      ]),
    );
    expect(result.root).toBe("My Course/");
    expect(result.files.map((file) => file.path)).toEqual(["My Course/imsmanifest.xml", "My Course/index.html"]);
  });

  test("backslash separators are read as folders", async () => {
    const result = await unpack(packageZip([{ name: "sco\\pages\\one.html", data: FIXTURE_PAGE }]));
    expect(result.files.at(-1)).toEqual({ path: "sco/pages/one.html", size: FIXTURE_PAGE.length });
    expect(await readFile(path.join(destDir, "sco", "pages", "one.html"), "utf8")).toBe(FIXTURE_PAGE);
  });

  test("non-ASCII names survive", async () => {
    const result = await unpack(packageZip([{ name: "slike/čebela.png", data: "png" }]));
    expect(result.files.at(-1)?.path).toBe("slike/čebela.png");
  });

  test("a manifest declared ISO-8859-1 is decoded as such", async () => {
    const xml = manifest12().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("<title>Fixture</title>", "<title>Caf\u00e9</title>");
    const result = await unpack(craftZip([{ name: "imsmanifest.xml", data: Buffer.from(xml, "latin1") }, { name: "index.html", data: FIXTURE_PAGE }]));
    expect(result.manifestXml).toContain("<title>Café</title>");
  });

  test("small, highly compressible files pass the ratio check beside ordinary media", async () => {
    const result = await unpack(packageZip([{ name: "data.json", data: " ".repeat(MiB - 1) }, { name: "photo.jpg", data: noise(64 * 1024) }]));
    expect(result.files.map((file) => file.size)).toContain(MiB - 1);
  });
});

describe("refusals", () => {
  const cases: Array<[PackageErrorCode, string, () => Uint8Array, Partial<ScormLimits>?]> = [
    ["scorm.package.not_zip", "a text file", () => strToU8("hello, I am not a zip")],
    ["scorm.package.not_zip", "an empty file", () => new Uint8Array(0)],
    ["scorm.package.not_zip", "a zip cut short", () => packageZip().subarray(0, 200)],
    ["scorm.package.not_zip", "data before the first entry", () => new Uint8Array([...strToU8("MZ-prefix"), ...packageZip()])],
    ["scorm.package.corrupt", "a central directory out of place", () => withCentralOffset(packageZip(), (offset) => offset - 1)],
    ["scorm.package.corrupt", "a wrong checksum", () => packageZip([{ name: "a.txt", data: "abc", crc: 1234 }])],
    ["scorm.package.corrupt", "more data than declared, within the limits", () => packageZip([{ name: "a.txt", data: "abcdef", declaredSize: 3 }])],
    ["scorm.package.corrupt", "less data than declared", () => packageZip([{ name: "a.txt", data: "abcdef", declaredSize: 9 }])],
    ["scorm.package.corrupt", "a local header naming another file", () => packageZip([{ name: "a.txt", localName: "b.txt", data: "abc" }])],
    ["scorm.package.corrupt", "a broken deflate stream", () => packageZip([{ name: "a.txt", data: "abc", method: 8, compressed: Uint8Array.of(0xff, 0xff, 0xff) }])],
    ["scorm.package.encrypted", "an encrypted entry", () => packageZip([{ name: "secret.html", data: "xxxx", flags: 1 }])],
    ["scorm.package.unsupported_compression", "bzip2", () => packageZip([{ name: "a.txt", data: "BZh9", method: 12 }])],
    ["scorm.package.no_manifest", "no manifest at all", () => craftZip([{ name: "index.html", data: FIXTURE_PAGE }])],
    ["scorm.package.no_manifest", "a manifest two folders down", () => craftZip([{ name: "a/b/imsmanifest.xml", data: manifest12() }])],
    [
      "scorm.package.no_manifest",
      "a manifest in one of two top folders",
      () => craftZip([{ name: "a/imsmanifest.xml", data: manifest12() }, { name: "b/index.html", data: FIXTURE_PAGE }]),
    ],
    ["scorm.package.unsafe_path", "../", () => packageZip([{ name: "../../escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "../ inside", () => packageZip([{ name: "sco/../../../escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "..\\ inside", () => packageZip([{ name: "sco\\..\\..\\escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "absolute", () => packageZip([{ name: "/tmp/opora-escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "a drive letter", () => packageZip([{ name: "C:\\escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "a drive-relative path", () => packageZip([{ name: "C:escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "a UNC path", () => packageZip([{ name: "\\\\server\\share\\escaped.txt", data: "x" }])],
    ["scorm.package.unsafe_path", "a NUL byte", () => packageZip([{ name: "index.html\0.txt", data: "x" }])],
    ["scorm.package.symlink", "a symlink", () => packageZip([{ name: "passwd.txt", data: "/etc/passwd", method: 0, unixMode: 0o120777 }])],
    ["scorm.package.symlink", "a FIFO", () => packageZip([{ name: "pipe", method: 0, unixMode: 0o010644 }])],
    ["scorm.package.duplicate_entry", "the same path twice", () => packageZip([{ name: "index.html", data: "second" }])],
    ["scorm.package.duplicate_entry", "paths differing in case", () => packageZip([{ name: "INDEX.html", data: "second" }])],
    ["scorm.package.duplicate_entry", "the same path after normalisation", () => packageZip([{ name: "./sco//a.html", data: "1" }, { name: "sco\\a.html", data: "2" }])],
    ["scorm.package.duplicate_entry", "composed and decomposed é", () => packageZip([{ name: "caf\u00e9.html", data: "1" }, { name: "cafe\u0301.html", data: "2" }])],
    ["scorm.package.duplicate_entry", "a file that is also a folder", () => packageZip([{ name: "sco", data: "1" }, { name: "sco/a.html", data: "2" }])],
    ["scorm.package.too_many_entries", "over maxEntries", () => manyEntriesZip(6), { maxEntries: 5 }],
    ["scorm.package.too_many_entries", "10,001 entries against the default", () => manyEntriesZip(10_001)],
    ["scorm.package.too_large", "declared total over the limit", () => packageZip([{ name: "a.bin", data: noise(600) }, { name: "b.bin", data: noise(600) }]), { maxTotalBytes: 1500 }],
    [
      "scorm.package.too_large",
      "real total over the limit, headers lying",
      () =>
        packageZip([
          { name: "a.bin", data: noise(2 * MiB) },
          { name: "b.bin", method: 8, compressed: zeroDeflateStream(2), declaredSize: 10, crc: 0 },
        ]),
      { maxTotalBytes: 3 * MiB, maxFileBytes: 3 * MiB, maxRatio: 1e9 },
    ],
    ["scorm.package.file_too_large", "declared size over the limit", () => packageZip([{ name: "a.bin", data: noise(5000) }]), { maxFileBytes: 4096 }],
    ["scorm.package.file_too_large", "real size over the limit, header lying", () => bombZip(64), { maxFileBytes: MiB, maxRatio: 1e9 }],
    ["scorm.package.corrupt", "real size over the declared size, any limit aside", () => bombZip(64), { maxRatio: 1e9 }],
    ["scorm.package.ratio", "declared ratio", () => packageZip([{ name: "zeros.bin", data: new Uint8Array(4 * MiB) }])],
    [
      "scorm.package.ratio",
      "whole-package ratio, each file under the ratio threshold",
      () => packageZip(Array.from({ length: 8 }, (_, index) => ({ name: `zeros-${index}.bin`, data: new Uint8Array(MiB / 2) }))),
    ],
    ["scorm.package.ratio", "a lying-header bomb of 2 GiB", () => bombZip()],
  ];

  test.each(cases)("%s: %s, and nothing is left behind", async (code, _name, build, limits) => {
    const error = await refusal(build(), limits);
    expect(error.code).toBe(code);
    expect(await tree()).toEqual(["upload.zip"]);
  });

  test("a course zip (the course editor's import) needs its course.yaml at the top or in its one folder", async () => {
    const marker = { name: "course.yaml", missing: "course.zip.no_course_file" } as const;
    await writeFile(zipPath, craftZip([{ name: "my-course/01-a/course.yaml", data: "slug: x" }]));
    await expect(unpackZip(zipPath, destDir, { marker }, async () => null)).rejects.toMatchObject({ code: "course.zip.no_course_file", detail: "my-course/01-a/course.yaml" });
    expect(await tree()).toEqual(["upload.zip"]);
    await writeFile(zipPath, craftZip([{ name: "my-course/course.yaml", data: "slug: x" }]));
    expect(await unpackZip(zipPath, destDir, { marker }, async ({ root }) => root)).toBe("my-course/");
  });

  test("every error code has a case above", () => {
    expect(new Set([...cases.map(([code]) => code), "course.zip.no_course_file"])).toEqual(new Set(PACKAGE_ERROR_CODES));
  });

  test("the bomb is stopped at its first chunks, in well under the time inflating it would take", async () => {
    const started = performance.now();
    const error = await refusal(bombZip());
    expect(error).toMatchObject({ code: "scorm.package.ratio", detail: "content/bomb.bin" });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("details name the entry", async () => {
    expect((await refusal(packageZip([{ name: "../../escaped.txt", data: "x" }]))).detail).toBe("../../escaped.txt");
    expect((await refusal(packageZip([{ name: "INDEX.html", data: "second" }]))).detail).toBe("index.html, INDEX.html");
    expect((await refusal(packageZip([{ name: "a.txt", data: "BZh9", method: 12 }]))).detail).toBe("a.txt (method 12)");
  });
});

describe("the destination", () => {
  const failsMidway = () =>
    packageZip([
      { name: "sco/first.html", data: FIXTURE_PAGE },
      { name: "sco/second.html", data: "abc", crc: 1 },
    ]);

  test("folders this call created, missing parents included, are removed when extraction fails midway", async () => {
    expect((await refusal(failsMidway())).code).toBe("scorm.package.corrupt");
    expect(await tree()).toEqual(["upload.zip"]);
  });

  test("an existing parent is kept", async () => {
    await mkdir(path.dirname(destDir), { recursive: true });
    expect((await refusal(failsMidway())).code).toBe("scorm.package.corrupt");
    expect(await tree()).toEqual(["packages/", "packages/p1/", "upload.zip"]);
  });

  test("an empty folder given is kept, and emptied, when extraction fails midway", async () => {
    await mkdir(destDir, { recursive: true });
    expect((await refusal(failsMidway())).code).toBe("scorm.package.corrupt");
    expect(await tree()).toEqual(["packages/", "packages/p1/", "packages/p1/content/", "upload.zip"]);
  });

  test("a folder with content is refused before anything is written", async () => {
    await mkdir(destDir, { recursive: true });
    await writeFile(path.join(destDir, "keep.txt"), "mine");
    await expect(unpack(packageZip())).rejects.toThrow(/new or empty folder/);
    expect(await readdir(destDir)).toEqual(["keep.txt"]);
  });
});

describe("scormLimitsFromEnv", () => {
  test("defaults when nothing is set, and empty settings count as unset", () => {
    expect(scormLimitsFromEnv({})).toEqual(DEFAULT_SCORM_LIMITS);
    expect(scormLimitsFromEnv({ SCORM_MAX_ENTRIES: "" })).toEqual(DEFAULT_SCORM_LIMITS);
    expect(DEFAULT_SCORM_LIMITS).toEqual({ maxEntries: 10_000, maxTotalBytes: 1024 * MiB, maxFileBytes: 512 * MiB, maxRatio: 100, ratioMinBytes: MiB });
  });

  test("reads each override, sizes in MiB", () => {
    expect(
      scormLimitsFromEnv({ SCORM_MAX_ENTRIES: "20000", SCORM_MAX_TOTAL_MB: "2048", SCORM_MAX_FILE_MB: "0.5", SCORM_MAX_RATIO: "250", UNRELATED: "x" }),
    ).toEqual({ maxEntries: 20_000, maxTotalBytes: 2048 * MiB, maxFileBytes: MiB / 2, maxRatio: 250, ratioMinBytes: MiB });
  });

  test.each([{ SCORM_MAX_ENTRIES: "many" }, { SCORM_MAX_ENTRIES: "1.5" }, { SCORM_MAX_TOTAL_MB: "0" }, { SCORM_MAX_RATIO: "-3" }])("refuses %j", (env) => {
    expect(() => scormLimitsFromEnv(env)).toThrow(/Invalid SCORM limits/);
  });
});
