import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Files addressed by their SHA-256 on local disk (STORAGE_DIR, default .data/storage). The same
// three calls are what an S3-compatible backend would implement for a cluster.
const root = process.env.STORAGE_DIR ?? ".data/storage";

function pathOf(sha256: string) {
  if (!/^[a-f0-9]{64}$/.test(sha256)) throw new Error("invalid content hash");
  return join(root, sha256.slice(0, 2), sha256);
}

export function putFile(bytes: Uint8Array) {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const target = pathOf(sha256);
  if (!existsSync(target)) {
    mkdirSync(join(root, sha256.slice(0, 2)), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, target);
  }
  return { sha256, size: bytes.byteLength };
}

export function readStoredFile(sha256: string) {
  return readFileSync(pathOf(sha256));
}

/** The SHA-256 and size of a file on disk, read as a stream. */
export async function hashFile(path: string) {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Moves a finished file (e.g. a ZIP built on disk) into storage without reading it into memory. */
export async function putFileFromPath(path: string) {
  const { sha256, size } = await hashFile(path);
  const target = pathOf(sha256);
  if (existsSync(target)) rmSync(path);
  else {
    mkdirSync(join(root, sha256.slice(0, 2)), { recursive: true });
    renameSync(path, target);
  }
  return { sha256, size };
}

export function storedFileStream(sha256: string) {
  return createReadStream(pathOf(sha256));
}

/**
 * Removes a stored file; true when there was one. Files are shared by content, so the caller must
 * first make sure nothing else still refers to the same hash.
 */
export function deleteStoredFile(sha256: string) {
  const target = pathOf(sha256);
  if (!existsSync(target)) return false;
  rmSync(target, { force: true });
  return true;
}

/** A scratch path on the same disk as storage, so finished files move in with a rename. */
export function scratchPath(name: string) {
  mkdirSync(join(root, "tmp"), { recursive: true });
  return join(root, "tmp", `${process.pid}-${Date.now()}-${name}`);
}
