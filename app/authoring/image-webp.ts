// WebP: walks the RIFF chunks, reads the size from the extended header (VP8X) and from each
// bitstream's header, and drops the EXIF and XMP chunks (their flags in VP8X are cleared) and any
// chunk the format does not define; the RIFF size is rewritten. Kept chunks are copied byte for byte.
import { ascii, type CleanedImage, concat, corrupt, type FrameSize, u16le, u24le, u32le, writeU32le } from "./image-bytes.ts";
import { checkDimensions } from "./media.ts";

/** The chunks that make up the picture: everything but EXIF, XMP and unknown chunks (which decoders skip). */
const KEPT_CHUNKS = new Set(["VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"]);
const IMAGE_CHUNKS = new Set(["VP8 ", "VP8L", "VP8X", "ANMF"]);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

type Chunk = { type: string; data: Uint8Array; /** the chunk with its header and padding */ whole: Uint8Array };

export function cleanWebp(bytes: Uint8Array): CleanedImage {
  const riffSize = u32le(bytes, 4);
  const end = 8 + riffSize;
  if (riffSize < 4 + 8) throw corrupt(`WebP: RIFF size ${riffSize} is too small`);
  if (end > bytes.length) throw corrupt(`WebP declares ${end} bytes; the file has ${bytes.length}`);
  const chunks = readChunks(bytes, end);

  const first = chunks[0];
  if (first.type === "VP8 " || first.type === "VP8L") {
    // The simple format is one bitstream chunk; anything after it is dropped if it is metadata.
    const size = bitstreamSize(first);
    if (chunks.slice(1).some((chunk) => IMAGE_CHUNKS.has(chunk.type))) throw corrupt("WebP has two images");
    return { ...size, frames: [size], bytes: riffOf(bytes, chunks) };
  }
  if (first.type !== "VP8X") throw corrupt(`WebP starts with a ${JSON.stringify(first.type)} chunk`);
  if (first.data.length < 10) throw corrupt("WebP extended header (VP8X) is too short");
  const canvas = { width: u24le(first.data, 4) + 1, height: u24le(first.data, 7) + 1 };
  checkDimensions(canvas.width, canvas.height);

  const frames: FrameSize[] = [];
  let still: FrameSize | null = null;
  for (const chunk of chunks.slice(1)) {
    if (chunk.type === "VP8X") throw corrupt("WebP has a second extended header (VP8X)");
    if (chunk.type === "VP8 " || chunk.type === "VP8L") {
      if (still) throw corrupt("WebP has two images");
      still = bitstreamSize(chunk);
      if (still.width !== canvas.width || still.height !== canvas.height) throw corrupt(`WebP image is ${still.width} × ${still.height} px on a ${canvas.width} × ${canvas.height} px canvas`);
    }
    if (chunk.type === "ANMF") frames.push(animationFrame(chunk, canvas));
  }
  if (!still && frames.length === 0) throw corrupt("WebP has no image data");

  const header = first.whole.slice();
  header[8] &= ~(VP8X_EXIF | VP8X_XMP);
  return { ...canvas, frames: frames.length ? frames : [canvas], bytes: riffOf(bytes, [{ ...first, whole: header }, ...chunks.slice(1)]) };
}

/** The RIFF header, with its size rewritten, and the chunks that make up the picture. */
function riffOf(bytes: Uint8Array, chunks: Chunk[]) {
  const kept = chunks.filter((chunk) => KEPT_CHUNKS.has(chunk.type)).map((chunk) => chunk.whole);
  const riff = bytes.slice(0, 12);
  writeU32le(riff, 4, 4 + kept.reduce((sum, chunk) => sum + chunk.length, 0));
  return concat([riff, ...kept]);
}

function readChunks(bytes: Uint8Array, end: number): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 12;
  while (offset < end) {
    if (offset + 8 > end) throw corrupt(`WebP cut off inside a chunk header at byte ${offset}`);
    const type = ascii(bytes, offset, offset + 4);
    const size = u32le(bytes, offset + 4);
    // Odd-sized chunks are padded to an even length; some encoders leave out the last chunk's pad byte.
    const chunkEnd = Math.min(offset + 8 + size + (size % 2), Math.max(end, offset + 8 + size));
    if (chunkEnd > end) throw corrupt(`WebP chunk ${JSON.stringify(type)} declares ${size} bytes; ${end - offset - 8} remain`);
    chunks.push({ type, data: bytes.subarray(offset + 8, offset + 8 + size), whole: bytes.subarray(offset, chunkEnd) });
    offset = chunkEnd;
  }
  if (chunks.length === 0) throw corrupt("WebP has no chunks");
  return chunks;
}

/** The size written at the start of a lossy (VP8) or lossless (VP8L) bitstream. */
function bitstreamSize(chunk: Chunk): FrameSize {
  const data = chunk.data;
  let size: FrameSize;
  if (chunk.type === "VP8 ") {
    // A key frame: 3-byte frame tag (bit 0 clear), start code 9D 01 2A, then 14-bit width and height.
    if (data.length < 10 || (data[0] & 1) !== 0 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) throw corrupt("WebP lossy (VP8) header is not valid");
    size = { width: u16le(data, 6) & 0x3fff, height: u16le(data, 8) & 0x3fff };
  } else {
    // Signature 0x2F, then 14 bits width − 1, 14 bits height − 1, 1 bit alpha, 3 bits version (0).
    if (data.length < 5 || data[0] !== 0x2f) throw corrupt("WebP lossless (VP8L) header is not valid");
    const bits = u32le(data, 1);
    if (bits >>> 29 !== 0) throw corrupt(`WebP lossless (VP8L) version ${bits >>> 29}`);
    size = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (size.width === 0 || size.height === 0) throw corrupt(`WebP image size ${size.width} × ${size.height} px`);
  checkDimensions(size.width, size.height);
  return size;
}

/** An animation frame's size and place: it must lie on the canvas (frame offsets are stored halved). */
function animationFrame(chunk: Chunk, canvas: FrameSize): FrameSize {
  if (chunk.data.length < 16) throw corrupt("WebP animation frame (ANMF) is too short");
  const x = u24le(chunk.data, 0) * 2;
  const y = u24le(chunk.data, 3) * 2;
  const frame = { width: u24le(chunk.data, 6) + 1, height: u24le(chunk.data, 9) + 1 };
  checkDimensions(frame.width, frame.height);
  if (x + frame.width > canvas.width || y + frame.height > canvas.height) throw corrupt(`WebP animation frame ${frame.width} × ${frame.height} px at ${x},${y} lies outside the ${canvas.width} × ${canvas.height} px canvas`);
  return frame;
}
