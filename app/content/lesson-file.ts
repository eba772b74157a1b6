import { MediaError } from "../authoring/media";
import { videoEmbedUrl } from "../authoring/video-embed";
import type { Problem } from "./types";
import { parseYamlSource, type YamlSource } from "./yaml-source";

/** A Markdown image (or video) link in a lesson body, with its alt text and the file line it appears on. */
export type MediaLink = { target: string; alt: string; line: number };

export type SplitLesson = {
  /** Null when the file has no frontmatter block (reported in `problems`). */
  frontmatter: YamlSource | null;
  body: string;
  media: MediaLink[];
  problems: Problem[];
};

const FENCE = /^\s*(?:```|~~~)/;
// `![alt](target)` or `![alt](<target with spaces> "title")`; the alt text may contain escaped `]`.
const IMAGE_LINK = /!\[((?:[^\]\\]|\\.)*)\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const VIDEO_EXTENSION = /\.(?:mp4|webm)$/i;

/**
 * Splits `---` frontmatter from the Markdown body, keeping file line numbers: frontmatter problems
 * point inside the file, broken links at the body line where they appear.
 */
export function splitLesson(text: string, file: string): SplitLesson {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "---") {
    return {
      frontmatter: null,
      body: text,
      media: [],
      problems: [
        {
          file,
          line: 1,
          message: 'a lesson must start with "---", its frontmatter (id, title, minutes, sources) and "---"',
        },
      ],
    };
  }
  const closing = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
  if (closing === -1) {
    return {
      frontmatter: null,
      body: "",
      media: [],
      problems: [{ file, line: 1, message: 'the frontmatter has no closing "---" line' }],
    };
  }
  const frontmatter = parseYamlSource(lines.slice(1, closing).join("\n"), file, 2);
  const bodyLines = lines.slice(closing + 1);
  const bodyFirstLine = closing + 2;
  return {
    frontmatter,
    body: bodyLines.join("\n").trim(),
    media: findMediaLinks(bodyLines, bodyFirstLine),
    problems: [],
  };
}

function findMediaLinks(lines: string[], firstLine: number): MediaLink[] {
  const links: MediaLink[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) return;
    for (const match of line.matchAll(IMAGE_LINK)) {
      const raw = match[2] ?? "";
      const target = raw.startsWith("<") ? raw.slice(1, -1) : raw;
      links.push({ target, alt: (match[1] ?? "").trim(), line: firstLine + index });
    }
  });
  return links;
}

export function isVideoLink(target: string): boolean {
  return VIDEO_EXTENSION.test(stripQueryAndFragment(target));
}

/** Web addresses are not files in the course; only relative links must exist on disk. */
export function isExternalLink(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/**
 * A lesson embeds a video hosted elsewhere as an image link to its https address on YouTube or
 * Vimeo (`![Title](https://www.youtube.com/watch?v=…)`): learners get that host's player in a
 * frame, at the address video-embed.ts builds from the video's id. Any other link to another site
 * cannot be embedded (the app's Content-Security-Policy would block it anyway); the error says why.
 */
export function hostedVideoEmbed(target: string): { embedUrl: string } | { error: string } {
  if (!/^https:\/\//i.test(target)) {
    return { error: "must be an https address: only YouTube and Vimeo videos may be embedded from another site; put images in the module's images/ folder and link them as images/name.png" };
  }
  try {
    return { embedUrl: videoEmbedUrl(target) };
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    if (error.code === "media.video.unsupported_host") {
      return { error: `is on ${error.detail}: only YouTube and Vimeo videos may be embedded from another site; put images in the module's images/ folder and link them as images/name.png` };
    }
    if (error.code === "media.video.not_a_video") return { error: "does not point to one YouTube or Vimeo video (use the address the video's Share button gives)" };
    return { error: `is not a usable web address (${error.detail})` };
  }
}

/**
 * Resolves a relative link from a lesson in `moduleFolder` to a path relative to the course folder,
 * or explains why it cannot point at a course file.
 */
export function resolveMediaLink(
  moduleFolder: string,
  target: string,
): { path: string } | { error: string } {
  if (target.startsWith("/")) return { error: "must be a relative link (e.g. images/x.png)" };
  let decoded: string;
  try {
    decoded = decodeURI(stripQueryAndFragment(target));
  } catch {
    return { error: "is not a valid link" };
  }
  const parts: string[] = moduleFolder.split("/");
  for (const part of decoded.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return { error: "points outside the course folder" };
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return { path: parts.join("/") };
}

/** Captions file a video needs beside it: same name, `.vtt`. */
export function captionsPathFor(videoPath: string): string {
  return videoPath.replace(VIDEO_EXTENSION, ".vtt");
}

function stripQueryAndFragment(target: string): string {
  return target.replace(/[?#].*$/, "");
}
