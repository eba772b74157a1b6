import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ManifestError, missingLaunchFiles, parseManifest } from "../app/scorm/manifest.ts";
import { PackageError, unpackScormZip } from "../app/scorm/unpack.server.ts";
import { buildScormFixtures } from "./build-scorm-fixtures.ts";

let work: string;
let written: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "opora-scorm-fixtures-"));
  written = await buildScormFixtures(path.join(work, "build"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let extraction = 0;
/** Unpacks and parses one built fixture, as the importer will. */
async function importFixture(name: string) {
  const unpacked = await unpackScormZip(path.join(work, "build", name), path.join(work, `out-${extraction++}`));
  const manifest = parseManifest(unpacked.manifestXml);
  const files = unpacked.files.map((file) => file.path.slice(unpacked.root.length));
  return { unpacked, manifest, files };
}

test("writes every package and every hostile zip", () => {
  expect(written.map((file) => path.basename(file))).toEqual([
    "golf-like-2004-4th.zip",
    "hostile-js-12.zip",
    "init-finish-only-12.zip",
    "large-suspend-12.zip",
    "minimal-12.zip",
    "minimal-2004-3rd.zip",
    "hostile-bomb.zip",
    "hostile-traversal.zip",
    "hostile-absolute.zip",
    "hostile-symlink.zip",
    "hostile-many-entries.zip",
    "not-a-zip.zip",
    "no-manifest.zip",
    "malformed-manifest.zip",
    "missing-resource.zip",
    "no-sco.zip",
  ]);
});

test("builds are reproducible", async () => {
  const again = await buildScormFixtures(path.join(work, "again"));
  for (const [index, file] of written.entries()) {
    expect((await readFile(file)).equals(await readFile(again[index]!)), path.basename(file)).toBe(true);
  }
});

describe("the source packages import cleanly", () => {
  test.each([
    ["minimal-12.zip", "1.2", null, ["index.html"]],
    ["large-suspend-12.zip", "1.2", null, ["index.html"]],
    ["init-finish-only-12.zip", "1.2", null, ["index.html"]],
    ["hostile-js-12.zip", "1.2", null, ["index.html"]],
    ["minimal-2004-3rd.zip", "2004", "3rd", ["index.html"]],
    ["golf-like-2004-4th.zip", "2004", "4th", ["intro/index.html", "practice/index.html", "quiz/index.html"]],
  ])("%s: SCORM %s %s", async (name, version, edition, launchFiles) => {
    const { unpacked, manifest, files } = await importFixture(name);
    expect(unpacked.root).toBe("");
    expect(manifest).toMatchObject({ version, edition });
    expect(manifest.items.map((item) => item.launchFile)).toEqual(launchFiles);
    expect(manifest.items.every((item) => item.scormType === "sco")).toBe(true);
    expect(missingLaunchFiles(manifest, files)).toEqual([]);
    // Every file a resource lists is in the package, and every script a page loads is listed.
    expect(manifest.files.filter((file) => !files.includes(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith(".js") && !manifest.files.includes(file))).toEqual([]);
  });

  test("golf-like-2004-4th carries its sequencing data", async () => {
    const { manifest } = await importFixture("golf-like-2004-4th.zip");
    const [intro, practice, quiz] = manifest.items;
    expect(intro).toMatchObject({
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.8 },
      objectives: [{ id: "intro-done", primary: true }],
      sharedData: [{ targetId: "fixture.notes", readSharedData: true, writeSharedData: true }],
    });
    expect(practice).toMatchObject({ scaledPassingScore: 0.6, sharedData: [{ writeSharedData: false }] });
    expect(practice?.objectives.map((objective) => objective.id)).toEqual(["practice-mastery", "practice-answer"]);
    expect(quiz).toMatchObject({ scaledPassingScore: 0.7, objectives: [{ id: "quiz-passed", maps: [{ targetObjectiveId: "fixture.global.course" }] }] });
    expect(manifest.files).toContain("shared/sco-page.js");
  });

  test("the 1.2 packages with a pass mark carry it", async () => {
    expect((await importFixture("large-suspend-12.zip")).manifest.items[0]?.masteryScore).toBe(80);
    expect((await importFixture("hostile-js-12.zip")).manifest.items[0]?.masteryScore).toBe(80);
  });
});

describe("the hostile and broken zips are refused", () => {
  test.each([
    ["hostile-bomb.zip", "scorm.package.ratio"],
    ["hostile-traversal.zip", "scorm.package.unsafe_path"],
    ["hostile-absolute.zip", "scorm.package.unsafe_path"],
    ["hostile-symlink.zip", "scorm.package.symlink"],
    ["hostile-many-entries.zip", "scorm.package.too_many_entries"],
    ["not-a-zip.zip", "scorm.package.not_zip"],
    ["no-manifest.zip", "scorm.package.no_manifest"],
    ["malformed-manifest.zip", "scorm.manifest.malformed"],
    ["missing-resource.zip", "scorm.manifest.missing_resource"],
    ["no-sco.zip", "scorm.manifest.no_sco"],
  ])("%s: %s", async (name, code) => {
    const error = await importFixture(name).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error instanceof PackageError || error instanceof ManifestError).toBe(true);
    expect((error as PackageError | ManifestError).code).toBe(code);
  });
});
