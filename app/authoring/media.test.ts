import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "~/utils/errors.server.ts";
import { HOSTILE_IMAGES_DIR } from "../../scripts/build-hostile-images.ts";
import {
  ADOBE,
  animationFrame,
  concat,
  GIF_DELAY,
  GIF_LOOP,
  GPS_LATITUDE,
  GPS_MARKER,
  gif,
  gifFrame,
  HOSTILE_IMAGES,
  ICC_PROFILE,
  indexOfBytes,
  jfif,
  jpeg,
  jpegSegment,
  latin1,
  png,
  pngChunk,
  pngHeader,
  utf8,
  VP8_5X4,
  VP8L_2X2,
  VP8L_3X2,
  VP8X_ANIMATION,
  VP8X_EXIF,
  VP8X_XMP,
  vp8x,
  webp,
  webpChunk,
  zlibStored,
} from "../../scripts/lib/image-fixtures.ts";
import { en } from "../i18n/en.ts";
import { sl } from "../i18n/sl.ts";
import { checkImage, maxImageBytes } from "./media.server.ts";
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MEDIA_ERROR_CODES, MiB } from "./media.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

const hostile = (name: string) => readFile(path.join(HOSTILE_IMAGES_DIR, name)).then((buffer) => new Uint8Array(buffer));

function refusal(work: () => unknown): DomainError {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("accepted, but should have been refused");
}

/** The PNG's chunk types in order, read independently of the checker. */
function pngChunkTypes(bytes: Uint8Array) {
  const types: string[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);
    types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
    at += 12 + length;
  }
  return types;
}

/** A structurally complete PNG of any declared size whose image data is a few bytes (never decoded here). */
const pngDeclaring = (width: number, height: number, extra: Uint8Array[] = []) =>
  concat(latin1("\x89PNG\r\n\x1a\n"), pngHeader(width, height), ...extra, pngChunk("IDAT", zlibStored(new Uint8Array(8))), pngChunk("IEND"));

describe("refusal messages", () => {
  it("has every code in both languages, with a place for the detail", () => {
    for (const code of MEDIA_ERROR_CODES) {
      expect(en[code as keyof typeof en], code).toContain("{detail}");
      expect(sl[code as keyof typeof sl], code).toContain("{detail}");
    }
  });
});

describe("the hostile corpus", () => {
  it("is on disk as scripts/lib/image-fixtures.ts builds it", async () => {
    const names = (await readdir(HOSTILE_IMAGES_DIR)).filter((name) => name !== "README.md").sort();
    expect(names).toEqual(Object.keys(HOSTILE_IMAGES).sort());
    for (const [name, build] of Object.entries(HOSTILE_IMAGES)) expect(await hostile(name), name).toEqual(build());
  });

  it.each([
    ["empty.png", "media.image.empty", /^empty\.png: 0 B$/],
    ["svg-script.svg", "media.image.svg", /: SVG$/],
    ["svg-renamed.png", "media.image.svg", /: SVG$/],
    ["html-renamed.png", "media.image.not_image", /: HTML$/],
    ["polyglot-gif-js.gif", "media.image.dimensions", /: 10799 × 10 px/],
    ["truncated.png", "media.image.corrupt", /PNG chunk IDAT declares \d+ bytes; \d+ remain/],
    ["huge-chunk-length.png", "media.image.corrupt", /declares 4294967280 bytes/],
    ["huge-segment-length.jpg", "media.image.corrupt", /JPEG segment FFE1 declares 65535 bytes; 40 remain/],
    ["dimensions-100000.png", "media.image.dimensions", /100000 × 100000 px = 10000 MP; max\. 4096 × 4096 px, 16 MP$/],
    ["dimensions-65500.jpg", "media.image.dimensions", /65500 × 65500 px/],
    ["animation-bomb.gif", "media.image.dimensions", /17 frames = 272 MP; max\. 256 MP$/],
  ])("refuses %s with %s", async (name, messageKey, detail) => {
    const bytes = await hostile(name);
    const error = refusal(() => checkImage(bytes, name));
    expect(error).toMatchObject({ code: "INVALID", messageKey });
    expect(error.detail).toMatch(new RegExp(`^${name.replace(".", "\\.")}: `));
    expect(error.detail).toMatch(detail);
  });

  it("removes EXIF with GPS, XMP, IPTC, APP12, the comment and the JFIF thumbnail from a JPEG, and keeps the rest byte for byte", async () => {
    const original = await hostile("exif-gps.jpg");
    expect(indexOfBytes(original, GPS_LATITUDE)).toBeGreaterThan(0);
    const image = checkImage(original, "exif-gps.jpg");
    expect(image).toMatchObject({ mediaType: "image/jpeg", extension: "jpg", width: 16, height: 8 });
    expect(image.bytes).toEqual(jpeg({ width: 16, height: 8, segments: [jfif(), ICC_PROFILE, ADOBE] }));
    for (const trace of [GPS_LATITUDE, GPS_MARKER, "Exif", "xmpmeta", "OPORA-", "8BIM", "Ducky", "THM"]) expect(indexOfBytes(image.bytes, trace), String(trace)).toBe(-1);
    expect(checkImage(image.bytes, "again.jpg").bytes).toEqual(image.bytes);
  });

  it("removes text, time and EXIF chunks from a PNG, and keeps the rest with their checksums", async () => {
    const original = await hostile("text-chunks.png");
    const image = checkImage(original, "text-chunks.png");
    expect(image).toMatchObject({ mediaType: "image/png", extension: "png", width: 4, height: 3 });
    expect(pngChunkTypes(original)).toEqual(["IHDR", "tEXt", "zTXt", "iTXt", "IDAT", "tIME", "eXIf", "IEND"]);
    expect(pngChunkTypes(image.bytes)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(image.bytes).toEqual(png({ width: 4, height: 3 }));
    expect(indexOfBytes(image.bytes, "OPORA-")).toBe(-1);
    expect(indexOfBytes(image.bytes, GPS_LATITUDE)).toBe(-1);
    // An independent decoder (which checks every CRC) reads the same pixels from both.
    const before = PNG.sync.read(Buffer.from(original));
    const after = PNG.sync.read(Buffer.from(image.bytes));
    expect([after.width, after.height]).toEqual([4, 3]);
    expect(after.data).toEqual(before.data);
  });

  it("removes EXIF and XMP chunks from a WebP, clears their flags and rewrites the RIFF size", async () => {
    const original = await hostile("exif-xmp.webp");
    const image = checkImage(original, "exif-xmp.webp");
    expect(image).toMatchObject({ mediaType: "image/webp", extension: "webp", width: 3, height: 2 });
    expect(image.bytes).toEqual(webp(vp8x(3, 2, 0), webpChunk("VP8L", VP8L_3X2)));
    expect(new DataView(image.bytes.buffer).getUint32(4, true)).toBe(image.bytes.length - 8);
    expect(indexOfBytes(image.bytes, "xmpmeta")).toBe(-1);
    expect(indexOfBytes(image.bytes, GPS_LATITUDE)).toBe(-1);
  });

  it("removes comments and application extensions from a GIF but keeps NETSCAPE2.0 looping", async () => {
    const image = checkImage(await hostile("comment-xmp.gif"), "comment-xmp.gif");
    expect(image).toMatchObject({ mediaType: "image/gif", extension: "gif", width: 3, height: 2 });
    expect(image.bytes).toEqual(gif(3, 2, GIF_LOOP, GIF_DELAY, gifFrame(3, 2)));
    expect(indexOfBytes(image.bytes, "OPORA-")).toBe(-1);
    expect(indexOfBytes(image.bytes, "ICCRGBG1012")).toBe(-1);
  });

  it("drops a web page appended after a PNG's end, keeping the picture", async () => {
    const image = checkImage(await hostile("polyglot-png-html.png"), "polyglot-png-html.png");
    expect(image.bytes).toEqual(png({ width: 4, height: 3 }));
    expect(indexOfBytes(image.bytes, "<html")).toBe(-1);
  });
});

describe("good images", () => {
  it.each([
    ["PNG", png({ width: 4, height: 3 }), "image/png", 4, 3],
    ["PNG, one pixel", png({ width: 1, height: 1 }), "image/png", 1, 1],
    ["PNG, as wide as allowed", pngDeclaring(MAX_IMAGE_SIDE, 1), "image/png", MAX_IMAGE_SIDE, 1],
    ["PNG, as many pixels as allowed", pngDeclaring(4000, 4000), "image/png", 4000, 4000],
    ["JPEG", jpeg({ width: 17, height: 9 }), "image/jpeg", 17, 9],
    ["JPEG with JFIF", jpeg({ width: 640, height: 480, segments: [jfif()] }), "image/jpeg", 640, 480],
    ["WebP, lossy", webp(webpChunk("VP8 ", VP8_5X4)), "image/webp", 5, 4],
    ["WebP, lossless", webp(webpChunk("VP8L", VP8L_3X2)), "image/webp", 3, 2],
    ["WebP, animated", webp(vp8x(2, 2, VP8X_ANIMATION), webpChunk("ANIM", new Uint8Array(6)), animationFrame(2, 2, VP8L_2X2), animationFrame(2, 2, VP8L_2X2)), "image/webp", 2, 2],
    ["GIF, animated", gif(5, 3, GIF_LOOP, GIF_DELAY, gifFrame(5, 3), GIF_DELAY, gifFrame(2, 2, { x: 1, y: 1 })), "image/gif", 5, 3],
  ])("%s passes unchanged with its size", (_, bytes, mediaType, width, height) => {
    const image = checkImage(bytes, "upload");
    expect(image).toMatchObject({ mediaType, width, height });
    expect(image.bytes).toEqual(bytes);
    expect(image.bytes.buffer).not.toBe(bytes.buffer);
  });

  it("is told by its bytes, never by its name", () => {
    expect(checkImage(png({ width: 2, height: 2 }), "photo.jpg")).toMatchObject({ mediaType: "image/png", extension: "png" });
    expect(checkImage(jpeg({ width: 2, height: 2 }), "diagram.png")).toMatchObject({ mediaType: "image/jpeg", extension: "jpg" });
    expect(refusal(() => checkImage(utf8("<svg/>"), "picture.gif")).messageKey).toBe("media.image.svg");
    expect(refusal(() => checkImage(utf8("<p>hello</p>"), "picture.webp")).messageKey).toBe("media.image.not_image");
  });

  it("keeps JFIF, the ICC profile and Adobe's segment, and drops what a phone appends after the end", () => {
    const plain = jpeg({ width: 8, height: 8, segments: [jfif(), ICC_PROFILE, ADOBE] });
    const motionPhoto = concat(plain, latin1("\0\0\0\x18ftypmp42 a video of the scene"));
    expect(checkImage(motionPhoto, "PXL_0001.MP.jpg").bytes).toEqual(plain);
  });
});

describe("limits", () => {
  it("caps the file size at IMAGE_MAX_MB, 5 MB unless set, before looking inside", () => {
    expect(maxImageBytes({})).toBe(5 * MiB);
    expect(maxImageBytes({ IMAGE_MAX_MB: "2.5" })).toBe(2.5 * MiB);
    expect(() => maxImageBytes({ IMAGE_MAX_MB: "lots" })).toThrow(/IMAGE_MAX_MB/);
    expect(() => maxImageBytes({ IMAGE_MAX_MB: "-1" })).toThrow(/IMAGE_MAX_MB/);
    expect(refusal(() => checkImage(new Uint8Array(5 * MiB + 1), "big.png"))).toMatchObject({ messageKey: "media.image.too_large", detail: "big.png: 5 MB; max. 5 MB" });
    vi.stubEnv("IMAGE_MAX_MB", "0.001");
    const photo = png({ width: 32, height: 32 });
    expect(photo.length).toBeGreaterThan(3 * 1024);
    expect(refusal(() => checkImage(photo, "photo.png"))).toMatchObject({ messageKey: "media.image.too_large", detail: "photo.png: 4 KB; max. 2 KB" });
  });

  it.each([
    ["PNG", pngDeclaring(MAX_IMAGE_SIDE + 1, 1)],
    ["PNG", pngDeclaring(4000, 4001)],
    ["PNG animation frame", pngDeclaring(10, 10, [pngChunk("acTL", new Uint8Array(8)), pngChunk("fcTL", concat(new Uint8Array(4), Uint8Array.of(0, 0, 0x13, 0x88, 0, 0, 0, 10), new Uint8Array(14)))])],
    ["JPEG", concat(Uint8Array.of(0xff, 0xd8), jpegSegment(0xc0, Uint8Array.of(8, 0x13, 0x88, 0, 8, 1, 1, 0x11, 0)))],
    ["WebP canvas", webp(vp8x(5000, 10, 0), webpChunk("VP8L", VP8L_3X2))],
    ["GIF screen", gif(4097, 1, gifFrame(1, 1))],
    ["GIF frame", gif(10, 10, gifFrame(1, 5000))],
  ])(`refuses a %s over ${MAX_IMAGE_SIDE} px per side or 16 MP before decoding`, (_, bytes) => {
    expect(refusal(() => checkImage(bytes, "big")).messageKey).toBe("media.image.dimensions");
  });

  it("names both limits in the detail", () => {
    expect(MAX_IMAGE_PIXELS).toBe(16_000_000);
    expect(refusal(() => checkImage(pngDeclaring(4096, 4096), "square.png")).detail).toBe("square.png: 4096 × 4096 px = 16.8 MP; max. 4096 × 4096 px, 16 MP");
  });
});

describe("damaged and foreign files", () => {
  const plainPng = png({ width: 4, height: 3 });
  const plainJpeg = jpeg({ width: 16, height: 16 });
  const corrupted = (bytes: Uint8Array, at: number) => bytes.map((byte, index) => (index === at ? byte ^ 0xff : byte));

  it.each([
    ["a PNG signature cut short", plainPng.subarray(0, 4), /PNG cut off after 4 bytes/],
    ["a PNG whose image data fails its checksum", corrupted(plainPng, 45), /IDAT at byte \d+: checksum does not match/],
    ["a PNG without IEND", plainPng.subarray(0, plainPng.length - 12), /before IEND/],
    ["a PNG not starting with IHDR", concat(plainPng.subarray(0, 8), pngChunk("IDAT", "x"), plainPng.subarray(8)), /starts with IDAT/],
    ["a PNG with an impossible bit depth", concat(latin1("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", concat(pngHeader(1, 1).subarray(8, 16), Uint8Array.of(3, 2, 0, 0, 0))), pngChunk("IEND")), /colour type 2 with bit depth 3/],
    ["a JPEG cut inside its image data", plainJpeg.subarray(0, plainJpeg.length - 2), /inside its image data/],
    ["a JPEG without a frame header", concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)), /no frame header/],
    ["a WebP longer than its file", webp(webpChunk("VP8L", VP8L_3X2)).subarray(0, 30), /WebP declares 36 bytes; the file has 30/],
    ["a WebP whose canvas and image disagree", webp(vp8x(4, 2, 0), webpChunk("VP8L", VP8L_3X2)), /3 × 2 px on a 4 × 2 px canvas/],
    ["a GIF without its trailer", gif(3, 2, gifFrame(3, 2)).subarray(0, -1), /before its trailer/],
    ["a GIF without a frame", gif(3, 2), /no image/],
  ])("refuses %s as damaged", (_, bytes, detail) => {
    const error = refusal(() => checkImage(bytes, "upload"));
    expect(error.messageKey).toBe("media.image.corrupt");
    expect(error.detail).toMatch(detail);
  });

  it("refuses lossless and arithmetic-coded JPEGs as unsupported", () => {
    const lossless = plainJpeg.map((byte, index, all) => (all[index - 1] === 0xff && byte === 0xc0 ? 0xc3 : byte));
    expect(refusal(() => checkImage(lossless, "scan.jpg"))).toMatchObject({ messageKey: "media.image.unsupported", detail: "scan.jpg: JPEG FFC3 (lossless, hierarchical or arithmetic coding)" });
  });

  it.each([
    ["SVG in UTF-16", new Uint8Array(Buffer.from("\uFEFF<svg xmlns='http://www.w3.org/2000/svg'/>", "utf16le")), "media.image.svg", "SVG"],
    ["SVG behind a doctype", utf8('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'), "media.image.svg", "SVG"],
    ["XML", utf8('<?xml version="1.0"?><note>hi</note>'), "media.image.not_image", "XML"],
    ["HTML after white space", utf8("\n\n  <script>alert(1)</script>"), "media.image.not_image", "HTML"],
    ["PDF", latin1("%PDF-1.7\n"), "media.image.not_image", "PDF"],
    ["HEIC", concat(latin1("\0\0\0\x18ftypheic"), new Uint8Array(16)), "media.image.not_image", "HEIC"],
    ["unknown bytes", Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), "media.image.not_image", "01 02 03 04 05 06 07 08…"],
  ])("refuses %s and says what it is", (_, bytes, messageKey, found) => {
    expect(refusal(() => checkImage(bytes, "x.png"))).toMatchObject({ messageKey, detail: `x.png: ${found}` });
  });

  it("never names a file with control characters or at any length", () => {
    expect(refusal(() => checkImage(new Uint8Array(), "a\u0000b\nc.png")).detail).toBe("abc.png: 0 B");
    expect(refusal(() => checkImage(new Uint8Array(), `${"x".repeat(200)}.png`)).detail).toMatch(/^…x{75}\.png: 0 B$/);
  });

  it("drops EXIF and XMP chunks from a simple WebP too, and a metadata chunk whatever its checksum", () => {
    const simple = webp(webpChunk("VP8 ", VP8_5X4));
    expect(checkImage(concat(simple.subarray(0, 8 + 4), webpChunk("VP8 ", VP8_5X4), webpChunk("EXIF", "OPORA")).map((byte, index) => (index === 4 ? byte + 14 : byte)), "a.webp").bytes).toEqual(simple);
    const badText = pngChunk("tEXt", "Comment\0x").map((byte, index, all) => (index === all.length - 1 ? byte ^ 1 : byte));
    expect(checkImage(png({ width: 2, height: 2, before: [badText] }), "a.png").bytes).toEqual(png({ width: 2, height: 2 }));
  });

  it("keeps only the chunks, segments and extensions that make up the picture", () => {
    const vendor = pngChunk("caBX", "OPORA-CONTENT-CREDENTIALS");
    const described = png({ width: 2, height: 2, before: [pngChunk("sRGB", Uint8Array.of(0)), pngChunk("pHYs", new Uint8Array(9)), vendor] });
    expect(pngChunkTypes(checkImage(described, "a.png").bytes)).toEqual(["IHDR", "sRGB", "pHYs", "IDAT", "IEND"]);
    expect(refusal(() => checkImage(png({ width: 2, height: 2, before: [pngChunk("ZZZZ", "x")] }), "a.png"))).toMatchObject({ messageKey: "media.image.unsupported", detail: "a.png: PNG chunk ZZZZ" });

    const withVendorChunk = webp(vp8x(3, 2, 0), webpChunk("VP8L", VP8L_3X2), webpChunk("C2PA", "OPORA-CONTENT-CREDENTIALS"));
    expect(checkImage(withVendorChunk, "a.webp").bytes).toEqual(webp(vp8x(3, 2, 0), webpChunk("VP8L", VP8L_3X2)));

    // Looping with extra data hidden in further sub-blocks, and an extension no one defined.
    const padded = concat(GIF_LOOP.subarray(0, -1), Uint8Array.of(5), latin1("OPORA"), Uint8Array.of(0));
    const odd = concat(Uint8Array.of(0x21, 0x99, 5), latin1("OPORA"), Uint8Array.of(0));
    expect(checkImage(gif(3, 2, padded, odd, gifFrame(3, 2)), "a.gif").bytes).toEqual(gif(3, 2, GIF_LOOP, gifFrame(3, 2)));
  });

  it("keeps an APNG's animation chunks", () => {
    const frame = concat(new Uint8Array(4), Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 2), new Uint8Array(14));
    const apng = png({ width: 2, height: 2, before: [pngChunk("acTL", Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0)), pngChunk("fcTL", frame)] });
    expect(pngChunkTypes(checkImage(apng, "a.png").bytes)).toEqual(["IHDR", "acTL", "fcTL", "IDAT", "IEND"]);
  });

  it("keeps a WebP's flags other than EXIF and XMP", () => {
    const animated = webp(vp8x(2, 2, VP8X_ANIMATION | VP8X_EXIF | VP8X_XMP), webpChunk("ANIM", new Uint8Array(6)), animationFrame(2, 2, VP8L_2X2), webpChunk("EXIF", "x"));
    const cleaned = checkImage(animated, "a.webp").bytes;
    expect(cleaned[20]).toBe(VP8X_ANIMATION);
  });
});
