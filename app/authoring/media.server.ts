// The checks trainers' media pass before they are stored: images by their bytes (metadata
// removed, decompression bombs refused), captions as WebVTT, videos as links to an allowed player.
// Every refusal is a DomainError whose message key is in both languages and whose detail names
// the file and the limit or what was found.
import { DomainError } from "~/utils/errors.server.ts";
import { normaliseCaptions } from "./captions.ts";
import { type CheckedImage, cleanImage } from "./image.ts";
import { DEFAULT_IMAGE_MAX_MB, MediaError, MiB } from "./media.ts";
import { videoEmbedUrl } from "./video-embed.ts";

export type { CheckedImage } from "./image.ts";
export { MAX_CAPTIONS_BYTES } from "./captions.ts";
export { VIDEO_FRAME_SOURCES } from "./video-hosts.mjs";

/**
 * Largest image upload (IMAGE_MAX_MB, in MiB, default 5). Read here rather than in env.server.ts
 * so the editor's checks run without the app's full environment, as the SCORM upload limit does.
 * Pass it to the multipart parser too, so a bigger file is never held in memory.
 */
export function maxImageBytes(env: Record<string, string | undefined> = process.env) {
  const configured = env.IMAGE_MAX_MB;
  if (configured === undefined || configured === "") return DEFAULT_IMAGE_MAX_MB * MiB;
  const mb = Number(configured);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`IMAGE_MAX_MB must be a positive number of MiB, not ${JSON.stringify(configured)}`);
  return Math.floor(mb * MiB);
}

/**
 * Identifies an image by its first bytes (PNG, JPEG, WebP, GIF; never by `fileName` or a declared
 * type), checks its structure, byte size and pixel size, and returns it without metadata (EXIF,
 * GPS, XMP, IPTC, comments, text chunks) and without anything appended after its end. The image
 * data itself is copied, not re-encoded. `fileName` only names the file in the refusal.
 */
export function checkImage(bytes: Uint8Array, fileName: string): CheckedImage {
  return refusedAsDomainError(() => cleanImage(bytes, { maxBytes: maxImageBytes() }), fileName);
}

/** A WebVTT captions file's text, checked and normalised (see normaliseCaptions). */
export function checkCaptions(text: string): string {
  return refusedAsDomainError(() => normaliseCaptions(text));
}

/** The https embed address of a YouTube or Vimeo video link; its origin is one of VIDEO_FRAME_SOURCES. */
export function videoEmbed(url: string): string {
  return refusedAsDomainError(() => videoEmbedUrl(url));
}

function refusedAsDomainError<T>(work: () => T, fileName?: string): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MediaError) throw new DomainError("INVALID", error.code, undefined, fileName ? `${shownName(fileName)}: ${error.detail}` : error.detail);
    throw error;
  }
}

/** The file's name as a person typed it, without control characters and kept short. */
function shownName(fileName: string) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly these characters is the point
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, "").trim() || "?";
  return name.length > 80 ? `…${name.slice(-79)}` : name;
}
