// Reading integers and tags out of image headers, and the result every format's cleaner returns.
import { MediaError } from "./media.ts";

export type FrameSize = { width: number; height: number };

/** An image that passed its format's checks, with its metadata removed and nothing after its end. */
export type CleanedImage = FrameSize & {
  /** Every frame's size (one for a still image), to bound the work of decoding an animation. */
  frames: FrameSize[];
  bytes: Uint8Array;
};

export const u16be = (bytes: Uint8Array, at: number) => (bytes[at] << 8) | bytes[at + 1];
export const u16le = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8);
export const u24le = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
export const u32be = (bytes: Uint8Array, at: number) => bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
export const u32le = (bytes: Uint8Array, at: number) => bytes[at + 3] * 0x1000000 + ((bytes[at + 2] << 16) | (bytes[at + 1] << 8) | bytes[at]);

export function writeU32le(bytes: Uint8Array, at: number, value: number) {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}

export function ascii(bytes: Uint8Array, start: number, end: number) {
  return String.fromCharCode(...bytes.subarray(start, end));
}

export function startsWith(bytes: Uint8Array, prefix: string, at = 0) {
  if (bytes.length < at + prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) if (bytes[at + index] !== prefix.charCodeAt(index)) return false;
  return true;
}

export function hex(bytes: Uint8Array, start = 0, count = 8) {
  return Array.from(bytes.subarray(start, start + count), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

/** One new array: the result never shares memory with the upload it came from. */
export function concat(parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function corrupt(detail: string) {
  return new MediaError("media.image.corrupt", detail);
}
