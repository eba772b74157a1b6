// Which image an upload is, told from its first bytes alone (never its name or declared type),
// then checked and cleaned by that format's walker.
import { type CleanedImage, hex, startsWith } from "./image-bytes.ts";
import { cleanGif } from "./image-gif.ts";
import { cleanJpeg, JPEG_SIGNATURE } from "./image-jpeg.ts";
import { cleanPng, PNG_SIGNATURE } from "./image-png.ts";
import { cleanWebp } from "./image-webp.ts";
import { checkAnimation, formatBytes, MediaError } from "./media.ts";

export type ImageMediaType = "image/png" | "image/jpeg" | "image/webp" | "image/gif";

/** A checked image: what it is, its size, and its bytes without metadata or anything after its end. */
export type CheckedImage = {
  mediaType: ImageMediaType;
  /** the file name extension that fits, without the dot */
  extension: "png" | "jpg" | "webp" | "gif";
  width: number;
  height: number;
  bytes: Uint8Array;
};

type Format = { name: string; mediaType: ImageMediaType; extension: CheckedImage["extension"]; signature: Array<number | null>; clean: (bytes: Uint8Array) => CleanedImage };

/** A signature's bytes; `?` stands for any byte. */
const signature = (text: string) => Array.from(text, (char) => (char === "?" ? null : char.charCodeAt(0)));

const FORMATS: Format[] = [
  { name: "PNG", mediaType: "image/png", extension: "png", signature: signature(PNG_SIGNATURE), clean: cleanPng },
  { name: "JPEG", mediaType: "image/jpeg", extension: "jpg", signature: signature(JPEG_SIGNATURE), clean: cleanJpeg },
  { name: "GIF", mediaType: "image/gif", extension: "gif", signature: signature("GIF87a"), clean: cleanGif },
  { name: "GIF", mediaType: "image/gif", extension: "gif", signature: signature("GIF89a"), clean: cleanGif },
  // "RIFF", the RIFF size, "WEBP"
  { name: "WebP", mediaType: "image/webp", extension: "webp", signature: signature("RIFF????WEBP"), clean: cleanWebp },
];

/** Whether the first `length` bytes agree with the signature. */
function matches(bytes: Uint8Array, format: Format, length: number) {
  return format.signature.slice(0, length).every((expected, index) => expected === null || bytes[index] === expected);
}

export function cleanImage(bytes: Uint8Array, { maxBytes }: { maxBytes: number }): CheckedImage {
  if (bytes.length === 0) throw new MediaError("media.image.empty", "0 B");
  if (bytes.length > maxBytes) throw new MediaError("media.image.too_large", `${formatBytes(bytes.length)}; max. ${formatBytes(maxBytes)}`);
  const format = FORMATS.find((candidate) => bytes.length >= candidate.signature.length && matches(bytes, candidate, candidate.signature.length));
  if (!format) {
    const cutOff = bytes.length >= 2 && FORMATS.find((candidate) => bytes.length < candidate.signature.length && matches(bytes, candidate, bytes.length));
    if (cutOff) throw new MediaError("media.image.corrupt", `${cutOff.name} cut off after ${bytes.length} bytes, inside its signature`);
    throw notAnImage(bytes);
  }
  const cleaned = format.clean(bytes);
  checkAnimation(cleaned.frames);
  return { mediaType: format.mediaType, extension: format.extension, width: cleaned.width, height: cleaned.height, bytes: cleaned.bytes };
}

/** Names what the upload is instead, so the trainer knows what to export. */
function notAnImage(bytes: Uint8Array) {
  const text = leadingText(bytes);
  if (/<svg[\s>/]/.test(text) || /<!doctype\s+svg/.test(text)) return new MediaError("media.image.svg", "SVG");
  if (text.startsWith("<?xml")) return new MediaError("media.image.not_image", "XML");
  if (text.startsWith("<")) return new MediaError("media.image.not_image", "HTML");
  const known: Array<[string, string, number?]> = [
    ["%PDF", "PDF"],
    ["PK\x03\x04", "ZIP"],
    ["BM", "BMP"],
    ["II*\0", "TIFF"],
    ["MM\0*", "TIFF"],
    ["\x1f\x8b", "gzip (SVGZ?)"],
    ["ftypheic", "HEIC", 4],
    ["ftypheix", "HEIC", 4],
    ["ftypmif1", "HEIF", 4],
    ["ftypavif", "AVIF", 4],
    ["RIFF", "RIFF"],
  ];
  const found = known.find(([signature, , at]) => startsWith(bytes, signature, at ?? 0));
  return new MediaError("media.image.not_image", found ? found[1] : `${hex(bytes, 0, 8)}…`);
}

/** The first bytes as lower-case text, without a byte order mark or leading white space. */
function leadingText(bytes: Uint8Array) {
  const head = bytes.subarray(0, 4096);
  const encoding = head[0] === 0xff && head[1] === 0xfe ? "utf-16le" : head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-8";
  return new TextDecoder(encoding).decode(head).replace(/^\uFEFF/, "").trimStart().toLowerCase();
}
