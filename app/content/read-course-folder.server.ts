import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Every file (sorted, relative, `/`-separated), the texts of YAML and Markdown files, and the hash. */
export async function readCourseFolder(absoluteDir: string): Promise<{
  files: string[];
  folders: string[];
  texts: Map<string, string>;
  contentHash: string;
} | null> {
  let top: Awaited<ReturnType<typeof readdirEntries>>;
  try {
    top = await readdirEntries(absoluteDir);
  } catch {
    return null;
  }
  const folders = top.filter((entry) => entry.isDirectory() && !entry.name.startsWith(".")).map((entry) => entry.name).sort();
  const files = (await walk(absoluteDir, "")).sort();
  const hash = createHash("sha256");
  const texts = new Map<string, string>();
  for (const relativePath of files) {
    const bytes = await readFile(path.join(absoluteDir, ...relativePath.split("/")));
    // Path and length delimit each file, so moving bytes between files changes the hash.
    hash.update(`${relativePath}\0${bytes.length}\0`);
    hash.update(bytes);
    if (/\.(?:ya?ml|md)$/.test(relativePath)) texts.set(relativePath, bytes.toString("utf8"));
  }
  return { files, folders, texts, contentHash: hash.digest("hex") };
}

function readdirEntries(dir: string) {
  return readdir(dir, { withFileTypes: true });
}

async function walk(absoluteDir: string, relativeDir: string): Promise<string[]> {
  const entries = await readdirEntries(path.join(absoluteDir, relativeDir));
  const found: string[] = [];
  for (const entry of entries) {
    const relativePath = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await walk(absoluteDir, relativePath)));
    else if (entry.isFile()) found.push(relativePath);
  }
  return found;
}
