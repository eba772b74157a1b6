// Captions for lesson videos: WebVTT only, checked line by line and written back in one plain
// form. Cue text may use WebVTT's own tags and nothing else, so a caption never carries HTML.
import { formatBytes, MediaError } from "./media.ts";

export const MAX_CAPTIONS_BYTES = 512 * 1024;

const SIGNATURE = /^WEBVTT(?:[ \t].*)?$/;
const TIMING = /^(\S+)[ \t]*-->[ \t]*(\S+)(?:[ \t]+(.*))?$/;
const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const CUE_SETTING = /^(?:vertical|line|position|size|align|region):\S+$/;
/** The tags a cue's text may use (WebVTT, 4.2.2): class, italics, bold, underline, ruby, voice, language. */
const CUE_TAGS = new Set(["c", "i", "b", "u", "ruby", "rt", "v", "lang"]);
const START_TAG = /^([a-z]+)(?:\.[^\s.<>]+)*(?:[ \t]+[^<>]*)?$/;
const END_TAG = /^\/([a-z]+)$/;

/** Milliseconds of a WebVTT timestamp (`mm:ss.ttt` or `hh:mm:ss.ttt`), or null. */
export function parseTimestamp(text: string): number | null {
  const match = TIMESTAMP.exec(text);
  if (!match) return null;
  const [, hours, minutes, seconds, millis] = match;
  return ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);
}

/**
 * The captions file's text in a normal form: LF line ends, no byte order mark, `WEBVTT` alone on
 * its first line, then regions and cues. Header text, comments (NOTE) and style sheets (STYLE)
 * are left out: captions look as the player styles them, and CSS could load outside resources.
 */
export function normaliseCaptions(text: string): string {
  const bytes = text.length > MAX_CAPTIONS_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_CAPTIONS_BYTES) throw new MediaError("media.captions.too_large", `${formatBytes(bytes)}; max. ${formatBytes(MAX_CAPTIONS_BYTES)}`);
  if (text.includes("\0")) throw new MediaError("media.captions.not_webvtt", "binary data");
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  if (!SIGNATURE.test(lines[0])) throw new MediaError("media.captions.not_webvtt", looksLikeSrt(lines) ? "SRT" : `line 1: ${quote(lines[0])}`);

  let index = 1;
  for (; index < lines.length && lines[index].trim() !== ""; index++) {
    if (lines[index].includes("-->")) throw new MediaError("media.captions.timing", `line ${index + 1}: a blank line must follow WEBVTT`);
  }
  const blocks: string[] = [];
  let previousStart = 0;
  let cues = 0;
  while (index < lines.length) {
    if (lines[index].trim() === "") {
      index++;
      continue;
    }
    const first = index;
    while (index < lines.length && lines[index].trim() !== "") index++;
    const block = lines.slice(first, index);
    const arrow = block.findIndex((line) => line.includes("-->"));
    const keyword = /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.exec(block[0])?.[1];
    if (keyword && arrow === -1) {
      if (keyword === "REGION" && cues === 0) blocks.push(block.map((line) => line.trim()).join("\n"));
      continue;
    }
    if (arrow === -1 || arrow > 1) throw new MediaError("media.captions.timing", `line ${first + 1}: ${arrow === -1 ? `no cue timing in ${quote(block[0])}` : `${quote(block[0])} is not a cue`}`);
    const timingLine = first + arrow + 1;
    const timing = readTiming(block[arrow], timingLine);
    if (timing.start < previousStart) throw new MediaError("media.captions.timing", `line ${timingLine}: this cue starts before the one above`);
    previousStart = timing.start;
    const payload = block.slice(arrow + 1);
    payload.forEach((line, offset) => {
      const lineNumber = timingLine + 1 + offset;
      if (line.includes("-->")) throw new MediaError("media.captions.timing", `line ${lineNumber}: a blank line must come before the next cue`);
      checkMarkup(line, lineNumber);
    });
    blocks.push([...(arrow === 1 ? [block[0].trim()] : []), timing.normalised, ...payload].join("\n"));
    cues++;
  }
  if (cues === 0) throw new MediaError("media.captions.no_cues", `${lines.length} lines`);
  return `WEBVTT\n\n${blocks.join("\n\n")}\n`;
}

function readTiming(line: string, lineNumber: number) {
  const match = TIMING.exec(line.trim());
  const invalid = (why: string) => new MediaError("media.captions.timing", `line ${lineNumber}: ${why}`);
  if (!match) throw invalid(quote(line));
  const [, startText, endText, settingsText] = match;
  const start = parseTimestamp(startText);
  const end = parseTimestamp(endText);
  if (start === null) throw invalid(quote(startText));
  if (end === null) throw invalid(quote(endText));
  if (end <= start) throw invalid(`${endText} is not after ${startText}`);
  const settings = settingsText ? settingsText.trim().split(/[ \t]+/) : [];
  const unknown = settings.find((setting) => !CUE_SETTING.test(setting));
  if (unknown !== undefined) throw invalid(quote(unknown));
  return { start, normalised: [startText, "-->", endText, ...settings].join(" ") };
}

/** Refuses any tag WebVTT does not define (HTML, script, style, images…), naming the first. */
function checkMarkup(line: string, lineNumber: number) {
  let at = line.indexOf("<");
  while (at !== -1) {
    const close = line.indexOf(">", at);
    if (close === -1) throw new MediaError("media.captions.markup", `line ${lineNumber}: ${quote(line.slice(at, at + 30))}`);
    const tag = line.slice(at + 1, close);
    const name = (END_TAG.exec(tag) ?? START_TAG.exec(tag))?.[1];
    if (!(name && CUE_TAGS.has(name)) && parseTimestamp(tag) === null) throw new MediaError("media.captions.markup", `line ${lineNumber}: ${quote(`<${tag}>`)}`);
    at = line.indexOf("<", close);
  }
}

/** SubRip's shape: a number, then a timing with commas before the milliseconds. */
function looksLikeSrt(lines: string[]) {
  return /^\d+$/.test(lines[0].trim()) && /-->/.test(lines[1] ?? "") && /\d,\d{3}/.test(lines[1] ?? "");
}

function quote(text: string) {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `"${shown}"`;
}
