// JPEG: walks the marker segments and the entropy-coded scans between them, and drops the
// application segments and comments that carry metadata. Every other segment and all scan data
// are copied byte for byte, so the image is not re-encoded.
import { type CleanedImage, concat, corrupt, type FrameSize, hex, startsWith, u16be } from "./image-bytes.ts";
import { checkDimensions, MediaError } from "./media.ts";

export const JPEG_SIGNATURE = "\xff\xd8\xff";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

/** Baseline, extended and progressive Huffman-coded frames: what browsers decode. */
const SUPPORTED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Lossless, hierarchical and arithmetic-coded frames, which browsers do not show. */
const UNSUPPORTED_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
const isApplication = (marker: number) => marker >= 0xe0 && marker <= 0xef;

/**
 * Of the application segments only those that change how the image looks stay: JFIF (APP0, its
 * thumbnail removed), the ICC colour profile (APP2) and Adobe's colour transform (APP14). EXIF and
 * XMP (APP1, GPS included), Photoshop/IPTC (APP13), APP12, multi-picture indexes and any other
 * application segment go, as do comments.
 */
function keptApplicationSegment(marker: number, segment: Uint8Array): Uint8Array | null {
  const payload = 4;
  if (marker === APP0 && startsWith(segment, "JFIF\0", payload) && segment.length >= payload + 14) return withoutJfifThumbnail(segment);
  if (marker === APP2 && startsWith(segment, "ICC_PROFILE\0", payload)) return segment;
  if (marker === APP14 && startsWith(segment, "Adobe", payload)) return segment;
  return null;
}

/** JFIF may embed an uncompressed thumbnail, which can show what a crop removed: keep only the header. */
function withoutJfifThumbnail(segment: Uint8Array) {
  const thumbnailBytes = segment[4 + 12] * segment[4 + 13] * 3;
  if (thumbnailBytes === 0) return segment;
  const header = segment.slice(0, 4 + 14);
  header[2] = 0;
  header[3] = 16;
  header[4 + 12] = 0;
  header[4 + 13] = 0;
  return header;
}

export function cleanJpeg(bytes: Uint8Array): CleanedImage {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let frame: FrameSize | null = null;
  let hasScan = false;
  let offset = 2;
  for (;;) {
    if (offset >= bytes.length) throw corrupt(`JPEG cut off after ${bytes.length} bytes, before its end marker`);
    if (bytes[offset] !== 0xff) throw corrupt(`JPEG: no marker at byte ${offset} (found ${hex(bytes, offset, 2)})`);
    // Any number of 0xFF fill bytes may come before a marker; they carry nothing and are dropped.
    while (bytes[offset + 1] === 0xff) offset++;
    if (offset + 2 > bytes.length) throw corrupt(`JPEG cut off after ${bytes.length} bytes, before its end marker`);
    const marker = bytes[offset + 1];
    const markerName = `FF${marker.toString(16).toUpperCase().padStart(2, "0")}`;
    if (marker === EOI) {
      kept.push(bytes.subarray(offset, offset + 2));
      break;
    }
    if (marker === SOI || marker === 0x00) throw corrupt(`JPEG: unexpected marker ${markerName} at byte ${offset}`);
    if (isRestart(marker) || marker === 0x01) {
      kept.push(bytes.subarray(offset, offset + 2));
      offset += 2;
      continue;
    }
    if (offset + 4 > bytes.length) throw corrupt(`JPEG cut off inside segment ${markerName}`);
    const length = u16be(bytes, offset + 2);
    const end = offset + 2 + length;
    if (length < 2) throw corrupt(`JPEG segment ${markerName} at byte ${offset} declares ${length} bytes`);
    if (end > bytes.length) throw corrupt(`JPEG segment ${markerName} declares ${length} bytes; ${bytes.length - offset - 2} remain`);
    const segment = bytes.subarray(offset, end);

    if (UNSUPPORTED_FRAMES.has(marker)) throw new MediaError("media.image.unsupported", `JPEG ${markerName} (lossless, hierarchical or arithmetic coding)`);
    if (SUPPORTED_FRAMES.has(marker)) {
      if (frame) throw corrupt("JPEG has two frame headers");
      frame = readFrameHeader(segment, markerName);
    }
    if (marker === COM) {
      // dropped
    } else if (isApplication(marker)) {
      const application = keptApplicationSegment(marker, segment);
      if (application) kept.push(application);
    } else {
      kept.push(segment);
    }
    offset = end;

    if (marker === SOS) {
      if (!frame) throw corrupt("JPEG image data comes before its frame header");
      hasScan = true;
      const scanEnd = endOfScan(bytes, offset);
      kept.push(bytes.subarray(offset, scanEnd));
      offset = scanEnd;
    }
  }
  if (!frame || !hasScan) throw corrupt("JPEG has no frame header or no image data");
  return { ...frame, frames: [frame], bytes: concat(kept) };
}

function readFrameHeader(segment: Uint8Array, markerName: string): FrameSize {
  if (segment.length < 4 + 6) throw corrupt(`JPEG frame header ${markerName} is too short`);
  const height = u16be(segment, 5);
  const width = u16be(segment, 7);
  const components = segment[9];
  // A height of 0 defers it to a DNL marker after the first scan, which browsers do not support.
  if (width === 0 || height === 0) throw corrupt(`JPEG frame header gives a size of ${width} × ${height} px`);
  checkDimensions(width, height);
  if (components === 0 || segment.length !== 4 + 6 + 3 * components) throw corrupt(`JPEG frame header ${markerName} does not match its ${components} components`);
  return { width, height };
}

/** Where entropy-coded data ends: the first 0xFF that is neither a stuffed 0x00, a restart marker nor fill. */
function endOfScan(bytes: Uint8Array, start: number) {
  let at = start;
  for (;;) {
    at = bytes.indexOf(0xff, at);
    if (at === -1 || at + 1 >= bytes.length) throw corrupt(`JPEG cut off after ${bytes.length} bytes, inside its image data`);
    const next = bytes[at + 1];
    if (next === 0x00 || isRestart(next)) at += 2;
    else if (next === 0xff) at += 1;
    else return at;
  }
}
