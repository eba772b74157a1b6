// PNG: walks the chunks, checks each one's length and checksum, and keeps only the chunks that
// make up the picture. Kept chunks are copied byte for byte, checksums included; pixels are never
// decoded.
import { ascii, type CleanedImage, type FrameSize, concat, corrupt, u32be } from "./image-bytes.ts";
import { checkDimensions, MediaError } from "./media.ts";

export const PNG_SIGNATURE = "\x89PNG\r\n\x1a\n";

/**
 * The image, its palette and transparency, colour space, pixel density and animation (APNG).
 * Everything else is dropped: camera data (eXIf), text of any kind (tEXt, zTXt, iTXt: author,
 * software, XMP with GPS), the last-edited time (tIME) and vendors' private chunks. Decoders skip
 * ancillary chunks they do not know, so dropping them cannot change the picture.
 */
const KEPT_CHUNKS = new Set([
  ...["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "bKGD", "hIST", "sPLT", "pHYs", "sBIT"],
  ...["gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCV", "mDCv", "cLLI", "cLLi"],
  ...["acTL", "fcTL", "fdAT"],
]);
/** A chunk whose type starts with a capital is critical: a decoder that does not know it must stop. */
const isCritical = (type: string) => type.charCodeAt(0) < 0x60;

/** Bit depths each colour type allows (PNG specification, 11.2.2). */
const BIT_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

const CHUNK_TYPE = /^[A-Za-z]{4}$/;
const MAX_CHUNK_LENGTH = 0x7fffffff;

export function cleanPng(bytes: Uint8Array): CleanedImage {
  const kept: Uint8Array[] = [bytes.subarray(0, PNG_SIGNATURE.length)];
  let size: FrameSize | null = null;
  const animationFrames: FrameSize[] = [];
  let hasImageData = false;
  let offset = PNG_SIGNATURE.length;
  for (;;) {
    if (offset + 12 > bytes.length) throw corrupt(`PNG cut off after ${bytes.length} bytes, before IEND`);
    const length = u32be(bytes, offset);
    const type = ascii(bytes, offset + 4, offset + 8);
    if (!CHUNK_TYPE.test(type)) throw corrupt(`PNG chunk at byte ${offset} has no valid type (${JSON.stringify(type)})`);
    if (length > MAX_CHUNK_LENGTH) throw corrupt(`PNG chunk ${type} declares ${length} bytes, more than a chunk may have`);
    const dataStart = offset + 8;
    const end = dataStart + length + 4;
    if (end > bytes.length) throw corrupt(`PNG chunk ${type} declares ${length} bytes; ${Math.max(0, bytes.length - dataStart - 4)} remain`);
    const data = bytes.subarray(dataStart, dataStart + length);

    if (size === null && type !== "IHDR") throw corrupt(`PNG starts with ${type}, not its header (IHDR)`);
    if (type === "IHDR") {
      if (size !== null) throw corrupt("PNG has a second header (IHDR)");
      size = readHeader(data);
    }
    if (type === "IDAT") hasImageData = true;
    // An APNG frame's size: the first may be the default image, the others are extra decoding work.
    if (type === "fcTL") {
      if (length !== 26) throw corrupt(`PNG frame control (fcTL) has ${length} bytes, not 26`);
      const frame = { width: u32be(data, 4), height: u32be(data, 8) };
      checkDimensions(frame.width, frame.height);
      animationFrames.push(frame);
    }

    if (!KEPT_CHUNKS.has(type) && isCritical(type)) throw new MediaError("media.image.unsupported", `PNG chunk ${type}`);
    if (KEPT_CHUNKS.has(type)) {
      if (crc32(bytes.subarray(offset + 4, dataStart + length)) !== u32be(bytes, dataStart + length)) {
        throw corrupt(`PNG chunk ${type} at byte ${offset}: checksum does not match`);
      }
      kept.push(bytes.subarray(offset, end));
    }
    offset = end;
    if (type === "IEND") break;
  }
  if (!size) throw corrupt("PNG has no header (IHDR)");
  if (!hasImageData) throw corrupt("PNG has no image data (IDAT)");
  return { ...size, frames: animationFrames.length ? animationFrames : [size], bytes: concat(kept) };
}

function readHeader(data: Uint8Array): FrameSize {
  if (data.length !== 13) throw corrupt(`PNG header (IHDR) has ${data.length} bytes, not 13`);
  const width = u32be(data, 0);
  const height = u32be(data, 4);
  if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) throw corrupt(`PNG header gives a size of ${width} × ${height} px`);
  checkDimensions(width, height);
  const [bitDepth, colourType, compression, filter, interlace] = data.subarray(8);
  if (!BIT_DEPTHS[colourType]?.includes(bitDepth)) throw corrupt(`PNG header: colour type ${colourType} with bit depth ${bitDepth}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw corrupt("PNG header: unknown compression, filter or interlace method");
  return { width, height };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG computes it over a chunk's type and data (written here: the module also runs in the browser). */
export function crc32(bytes: Uint8Array) {
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index++) crc = CRC_TABLE[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
