import { createHash } from "node:crypto";
import { extname } from "node:path";
import { DomainError } from "~/utils/errors.server.ts";
import { checkCaptions, checkImage } from "./media.server.ts";

// Every non-text file that enters a draft (an upload in the editor, a file in an imported zip)
// passes the same checks: images by their bytes with metadata removed, captions as WebVTT, videos
// by their container signature.

export type CheckedMedia = { sha256: string; mediaType: string; size: number; bytes: Uint8Array };

export const MAX_VIDEO_BYTES = 50 * 1024 * 1024;

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg", ".webp", ".gif"]);

/** Checks one file for the draft path it will have; throws a DomainError naming the path. */
export function checkDraftMediaFile(path: string, bytes: Uint8Array): CheckedMedia {
  const extension = extname(path).toLowerCase();
  let checked: { mediaType: string; bytes: Uint8Array };
  if (IMAGE_EXTENSIONS.has(extension)) {
    const image = checkImage(bytes, path);
    if (`.${image.extension}` !== extension && !(image.extension === "jpg" && extension === ".jpeg")) throw new DomainError("INVALID", "authoring.media.extensionMismatch", undefined, path);
    checked = image;
  } else if (extension === ".vtt") {
    checked = { mediaType: "text/vtt", bytes: Buffer.from(checkCaptions(Buffer.from(bytes).toString("utf8")), "utf8") };
  } else if (extension === ".mp4" || extension === ".webm") {
    checked = { mediaType: checkVideo(path, bytes, extension), bytes };
  } else {
    throw new DomainError("INVALID", "authoring.media.unsupported", undefined, path);
  }
  return { sha256: createHash("sha256").update(checked.bytes).digest("hex"), mediaType: checked.mediaType, size: checked.bytes.byteLength, bytes: checked.bytes };
}

/** All of a zip's or upload's non-text files, checked; the first bad one refuses them all. */
export async function checkDraftMedia(files: ReadonlyMap<string, Uint8Array>) {
  const checked = new Map<string, CheckedMedia>();
  for (const [path, bytes] of files) checked.set(path, checkDraftMediaFile(path, bytes));
  return checked;
}

function checkVideo(path: string, bytes: Uint8Array, extension: string) {
  if (bytes.byteLength > MAX_VIDEO_BYTES) throw new DomainError("INVALID", "authoring.media.videoTooLarge", undefined, path);
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString("latin1");
  if (extension === ".mp4" && ascii(4, 8) === "ftyp") return "video/mp4";
  if (extension === ".webm" && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return "video/webm";
  throw new DomainError("INVALID", "authoring.media.notVideo", undefined, path);
}
