// What trainers' uploads (images, captions, video links) are checked against, and how a refusal
// is described. Pure: the browser-side editor may run the same checks before uploading.

/** i18n keys (en.ts, sl.ts) of every refusal; `detail` fills the message's `{detail}`. */
export const MEDIA_ERROR_CODES = [
  "media.image.empty",
  "media.image.too_large",
  "media.image.svg",
  "media.image.not_image",
  "media.image.corrupt",
  "media.image.unsupported",
  "media.image.dimensions",
  "media.captions.too_large",
  "media.captions.not_webvtt",
  "media.captions.timing",
  "media.captions.markup",
  "media.captions.no_cues",
  "media.video.invalid_url",
  "media.video.unsafe_url",
  "media.video.unsupported_host",
  "media.video.not_a_video",
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

/** `code` is an i18n key; `detail` names the limit or what was found, in numbers and file terms rather than words. */
export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "MediaError";
  }
}

export const MiB = 1024 * 1024;
export const DEFAULT_IMAGE_MAX_MB = 5;
/** Longest side, in pixels, an image may have. */
export const MAX_IMAGE_SIDE = 4096;
/** Pixels an image may have (16 megapixels): a decoded RGBA frame then takes at most 64 MB. */
export const MAX_IMAGE_PIXELS = 16_000_000;
/**
 * Pixels all frames of an animation may have together. Compressed frames are tiny (a GIF's LZW
 * codes each stand for up to 4,096 pixels), so the file's size alone does not bound decoding work.
 */
export const MAX_ANIMATION_PIXELS = 256_000_000;

const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} MP`;

/** Refuses a size that would be costly to decode; called as soon as a header gives it, before any pixel data is read. */
export function checkDimensions(width: number, height: number) {
  const limit = `max. ${MAX_IMAGE_SIDE} × ${MAX_IMAGE_SIDE} px, ${megapixels(MAX_IMAGE_PIXELS)}`;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new MediaError("media.image.dimensions", `${width} × ${height} px = ${megapixels(width * height)}; ${limit}`);
  }
}

export function checkAnimation(frames: ReadonlyArray<{ width: number; height: number }>) {
  const total = frames.reduce((sum, frame) => sum + frame.width * frame.height, 0);
  if (total > MAX_ANIMATION_PIXELS) {
    throw new MediaError("media.image.dimensions", `${frames.length} frames = ${megapixels(total)}; max. ${megapixels(MAX_ANIMATION_PIXELS)}`);
  }
}

/** A file size as people read it: `512 KB`, `7.3 MB`. */
export function formatBytes(bytes: number) {
  return bytes < MiB ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round((bytes / MiB) * 10) / 10} MB`;
}
