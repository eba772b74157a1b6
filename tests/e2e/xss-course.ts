import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync } from "fflate";
import { parse, stringify } from "yaml";
import { MARKDOWN_DOCUMENT, MARKDOWN_PAYLOADS, TEXT_PAYLOADS } from "../support/xss-payloads.ts";

// The small fixture course (tests/fixtures/courses/valid-minimal) with a payload in every text a
// trainer writes: plain fields get the plain-text payloads in turn, Markdown fields get every
// Markdown payload. Zipped as a trainer would upload it under /author.

const FIXTURE = "tests/fixtures/courses/valid-minimal";
const MARKDOWN_FIELDS = new Set(["description", "contentNote", "support", "prompt", "explanation", "consequence", "betterChoices"]);

// The course check refuses a lesson image whose address is not https or a file of the module, so a
// lesson carries every Markdown payload but those; the other Markdown fields carry them all.
export const LESSON_DOCUMENT = MARKDOWN_PAYLOADS.filter((payload) => !payload.markdown.startsWith("![")).map((payload) => payload.markdown).join("\n\n");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Plain-text payloads in turn, so that every one is used in some field. */
function plainPayloads() {
  let next = 0;
  return (suffix = "") => `${TEXT_PAYLOADS[next++ % TEXT_PAYLOADS.length].text}${suffix}`;
}

function readTree(dir: string, files: Record<string, Uint8Array> = {}) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readTree(path, files);
    else files[relative(FIXTURE, path)] = readFileSync(path);
  }
  return files;
}

/**
 * Replaces the course's texts. Localised texts `{ sl, en }` become payloads (Markdown fields the
 * whole Markdown corpus; an id-bearing object's text gets its id appended so choices stay apart).
 */
function hostile(value: Json, plain: (suffix?: string) => string, key = "", id = ""): Json {
  if (Array.isArray(value)) return value.map((item) => hostile(item, plain, key, id));
  if (value && typeof value === "object") {
    if (typeof value.sl === "string" && !("id" in value)) {
      const text = MARKDOWN_FIELDS.has(key) ? `${MARKDOWN_DOCUMENT}\n\n${key}-${id}` : plain(id ? ` ${id}` : "");
      return { ...value, sl: text, en: text };
    }
    const ownId = typeof value.id === "string" ? value.id : id;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v, plain, k, ownId)]));
  }
  return value;
}

/** The hostile course's files, by path inside its folder, and its zip. */
export function hostileCourse(slug: string) {
  const plain = plainPayloads();
  const files: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(readTree(FIXTURE))) {
    const text = Buffer.from(bytes).toString("utf8");
    if (path.endsWith(".yaml")) {
      const data = hostile(parse(text) as Json, plain) as Record<string, Json>;
      if (path === "course.yaml") data.slug = slug;
      files[path] = Buffer.from(stringify(data));
    } else if (path.endsWith(".md")) {
      const [, frontmatter] = text.split(/^---$/m);
      const meta = parse(frontmatter) as Record<string, Json>;
      meta.title = plain();
      meta.sources = (meta.sources as Array<Record<string, Json>>).map((source) => ({ ...source, title: plain() }));
      files[path] = Buffer.from(`---\n${stringify(meta)}---\n\n${LESSON_DOCUMENT}\n`);
    } else {
      files[path] = bytes;
    }
  }
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [`${slug}/${path}`, bytes])));
  return { files, zip: Buffer.from(zip) };
}
