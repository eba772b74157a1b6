// `npx tsx scripts/build-scorm-fixtures.ts [outDir]`: zips each package folder in tests/fixtures/scorm
// into `<outDir>/<folder>.zip` and writes the hostile and broken packages beside them (see
// scripts/lib/scorm-zip-fixtures.ts). outDir defaults to tests/fixtures/scorm/build, which git ignores.
// Builds are reproducible: files in name order, fixed timestamps.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Zippable, zipSync } from "fflate";
import { HOSTILE_ZIPS } from "./lib/scorm-zip-fixtures.ts";

export const SCORM_FIXTURES_DIR = fileURLToPath(new URL("../tests/fixtures/scorm/", import.meta.url));
const DEFAULT_OUT_DIR = path.join(SCORM_FIXTURES_DIR, "build");
const FIXED_MTIME = new Date(2024, 0, 1);

/** Writes every fixture zip into `outDir` and returns their paths, package folders first. */
export async function buildScormFixtures(outDir: string = DEFAULT_OUT_DIR): Promise<string[]> {
  const out = path.resolve(outDir);
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  const folders = (await readdir(SCORM_FIXTURES_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "build")
    .map((entry) => path.join(SCORM_FIXTURES_DIR, entry.name))
    .filter((folder) => folder !== out)
    .sort();
  for (const folder of folders) {
    const target = path.join(out, `${path.basename(folder)}.zip`);
    await writeFile(target, await zipFolder(folder));
    written.push(target);
  }
  for (const [name, build] of Object.entries(HOSTILE_ZIPS)) {
    const target = path.join(out, name);
    await writeFile(target, build());
    written.push(target);
  }
  return written;
}

/** The folder's files at the zip's top level, as authoring tools export a package. */
async function zipFolder(folder: string): Promise<Uint8Array> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
  const zippable: Zippable = {};
  for (const file of files) zippable[file] = [await readFile(path.join(folder, file)), { mtime: FIXED_MTIME }];
  return zipSync(zippable, { level: 9 });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildScormFixtures(process.argv[2]);
  for (const file of written) console.log(path.relative(process.cwd(), file));
}
