import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Every file (sorted, relative, `/`-separated), the texts of YAML and Markdown files, and the hash. */
export type CourseListing = {
  files: string[];
  folders: string[];
  texts: Map<string, string>;
  contentHash: string;
};

const TEXT_FILE = /\.(?:ya?ml|md)$/;

/** Whether the loader reads a file as text (course, module, quiz and case YAML; lessons). */
export function isCourseTextFile(relativePath: string) {
  return TEXT_FILE.test(relativePath);
}

export async function readCourseFolder(absoluteDir: string): Promise<CourseListing | null> {
  let top: Awaited<ReturnType<typeof readdirEntries>>;
  try {
    top = await readdirEntries(absoluteDir);
  } catch {
    return null;
  }
  const folders = top.filter((entry) => entry.isDirectory() && !entry.name.startsWith(".")).map((entry) => entry.name).sort();
  const files = (await walk(absoluteDir, "")).sort();
  const hash = new ListingHash();
  const texts = new Map<string, string>();
  for (const relativePath of files) {
    const bytes = await readFile(path.join(absoluteDir, ...relativePath.split("/")));
    hash.add(relativePath, bytes);
    if (isCourseTextFile(relativePath)) texts.set(relativePath, bytes.toString("utf8"));
  }
  return { files, folders, texts, contentHash: hash.digest() };
}

/**
 * The same listing for a course held in memory (a draft, an uploaded zip): text files by path, and
 * the SHA-256 of each binary file. The hash matches the folder's when the bytes are the same, so a
 * course exported and imported again is recognised as unchanged.
 */
export function listingFromFiles(texts: ReadonlyMap<string, string>, binaries: ReadonlyMap<string, string>): CourseListing {
  const files = [...texts.keys(), ...binaries.keys()].sort();
  const hash = new ListingHash();
  for (const relativePath of files) {
    const text = texts.get(relativePath);
    if (text !== undefined) hash.add(relativePath, Buffer.from(text, "utf8"));
    else hash.addHashed(relativePath, binaries.get(relativePath) as string);
  }
  const folders = [...new Set(files.filter((file) => file.includes("/")).map((file) => file.slice(0, file.indexOf("/"))))].filter((folder) => !folder.startsWith(".")).sort();
  return { files, folders, texts: new Map([...texts].filter(([relativePath]) => isCourseTextFile(relativePath))), contentHash: hash.digest() };
}

/**
 * Path and length delimit each file, so moving bytes between files changes the hash. A file is
 * entered by its own SHA-256, so a stored file counts without being read again.
 */
class ListingHash {
  private readonly hash = createHash("sha256");
  add(relativePath: string, bytes: Uint8Array) {
    this.addHashed(relativePath, createHash("sha256").update(bytes).digest("hex"));
  }
  addHashed(relativePath: string, sha256: string) {
    this.hash.update(`${relativePath}\0${sha256}\n`);
  }
  digest() {
    return this.hash.digest("hex");
  }
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
