// `npx tsx scripts/build-hostile-images.ts [outDir]`: writes the hostile image corpus
// (scripts/lib/image-fixtures.ts) into outDir, by default tests/fixtures/hostile/images, where the
// files are kept in git. app/authoring/media.test.ts checks the kept files still match.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HOSTILE_IMAGES } from "./lib/image-fixtures.ts";

export const HOSTILE_IMAGES_DIR = fileURLToPath(new URL("../tests/fixtures/hostile/images/", import.meta.url));

export async function buildHostileImages(outDir: string = HOSTILE_IMAGES_DIR): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, build] of Object.entries(HOSTILE_IMAGES)) {
    const target = path.join(outDir, name);
    await writeFile(target, build());
    written.push(target);
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildHostileImages(process.argv[2]);
  for (const file of written) console.log(path.relative(process.cwd(), file));
}
