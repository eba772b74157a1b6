// GIF: walks the blocks (image descriptors, extensions, the trailer) and keeps the frames, their
// graphic control (delay, transparency) and plain-text extensions, and the NETSCAPE2.0 looping
// extension, rewritten to its standard form. Comments, every other application extension (XMP,
// ICC, vendors' data) and unknown extensions are dropped. Image data is copied byte for byte,
// never decompressed.
import { ascii, type CleanedImage, concat, corrupt, type FrameSize, hex, u16le } from "./image-bytes.ts";
import { checkDimensions } from "./media.ts";

const IMAGE = 0x2c;
const EXTENSION = 0x21;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;
const PLAIN_TEXT = 0x01;
const APPLICATION = 0xff;
const LOOPING = "NETSCAPE2.0";

export function cleanGif(bytes: Uint8Array): CleanedImage {
  if (bytes.length < 13) throw corrupt(`GIF cut off after ${bytes.length} bytes, inside its header`);
  const screen = { width: u16le(bytes, 6), height: u16le(bytes, 8) };
  checkDimensions(screen.width, screen.height);
  if (screen.width === 0 || screen.height === 0) throw corrupt(`GIF header gives a size of ${screen.width} × ${screen.height} px`);
  let offset = 13 + colourTableBytes(bytes[10]);
  if (offset > bytes.length) throw corrupt("GIF cut off inside its colour table");
  const kept: Uint8Array[] = [bytes.subarray(0, offset)];
  const frames: FrameSize[] = [];
  for (;;) {
    if (offset >= bytes.length) throw corrupt(`GIF cut off after ${bytes.length} bytes, before its trailer`);
    const block = bytes[offset];
    if (block === TRAILER) {
      kept.push(bytes.subarray(offset, offset + 1));
      break;
    }
    let end: number;
    let keep: Uint8Array | null = null;
    if (block === IMAGE) {
      if (offset + 10 > bytes.length) throw corrupt("GIF cut off inside an image descriptor");
      const frame = { width: u16le(bytes, offset + 5), height: u16le(bytes, offset + 7) };
      checkDimensions(frame.width, frame.height);
      if (frame.width === 0 || frame.height === 0) throw corrupt(`GIF frame ${frames.length + 1} is ${frame.width} × ${frame.height} px`);
      frames.push(frame);
      const dataStart = offset + 10 + colourTableBytes(bytes[offset + 9]);
      if (dataStart >= bytes.length) throw corrupt("GIF cut off before a frame's image data");
      const minimumCodeSize = bytes[dataStart];
      if (minimumCodeSize < 1 || minimumCodeSize > 11) throw corrupt(`GIF frame ${frames.length}: LZW code size ${minimumCodeSize}`);
      end = afterSubBlocks(bytes, dataStart + 1);
      keep = bytes.subarray(offset, end);
    } else if (block === EXTENSION) {
      if (offset + 2 > bytes.length) throw corrupt("GIF cut off inside an extension");
      const label = bytes[offset + 1];
      end = afterSubBlocks(bytes, offset + 2);
      if (label === GRAPHIC_CONTROL || label === PLAIN_TEXT) keep = bytes.subarray(offset, end);
      if (label === APPLICATION) keep = loopingExtension(bytes, offset);
    } else {
      throw corrupt(`GIF: unknown block ${hex(bytes, offset, 1)} at byte ${offset}`);
    }
    if (keep) kept.push(keep);
    offset = end;
  }
  if (frames.length === 0) throw corrupt("GIF has no image");
  return { ...screen, frames, bytes: concat(kept) };
}

/**
 * The NETSCAPE2.0 extension's loop count, written back as the standard 19 bytes (name, one
 * 3-byte sub-block, terminator), so no other data can travel in it; null for any other application.
 */
function loopingExtension(bytes: Uint8Array, offset: number): Uint8Array | null {
  // The application's name and code are the first sub-block, 11 bytes long; the loop count is sub-block 1.
  if (bytes[offset + 2] !== 11 || ascii(bytes, offset + 3, offset + 14) !== LOOPING) return null;
  const data = offset + 14;
  if (bytes[data] !== 3 || bytes[data + 1] !== 1 || data + 4 > bytes.length) return null;
  const standard = new Uint8Array(19);
  standard.set([0x21, APPLICATION, 11]);
  standard.set(Array.from(LOOPING, (char) => char.charCodeAt(0)), 3);
  standard.set([3, 1, bytes[data + 2], bytes[data + 3], 0], 14);
  return standard;
}

/** A global or local colour table follows when bit 7 of the packed byte is set: 3 × 2^(n+1) bytes. */
function colourTableBytes(packed: number) {
  return packed & 0x80 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;
}

/** Data sub-blocks: a length byte and that many bytes, until a zero length. Returns the offset after the terminator. */
function afterSubBlocks(bytes: Uint8Array, start: number) {
  let at = start;
  for (;;) {
    if (at >= bytes.length) throw corrupt(`GIF cut off after ${bytes.length} bytes, inside a block`);
    const length = bytes[at];
    at += 1 + length;
    if (length === 0) return at;
  }
}
