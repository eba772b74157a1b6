// Names and Markdown for the images and videos a trainer adds to a lesson. Pure: the page and the
// domain function (lesson-media.server.ts) share it.

const VIDEO_EXTENSION = /\.(mp4|webm)$/i;

/**
 * A file name for the module's images/ folder from the name the trainer's file had: lower-case
 * letters, digits and dashes (š → s), its extension kept, and a number added when the folder
 * already holds that name, so an upload never replaces another lesson's picture. `taken` holds the
 * names in use; for a video its captions (same name, .vtt) must be free too.
 */
export function mediaFileName(original: string, taken: ReadonlySet<string>): string {
  const base = original.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  // Kept even when it is not an image's (.svg, .html): the media check then says what it refuses.
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8) : "";
  const stem =
    (dot > 0 ? base.slice(0, dot) : base)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "image";
  const suffix = extension ? `.${extension}` : "";
  const free = (name: string) => !taken.has(name) && !(isVideoFileName(name) && taken.has(captionsFileName(name)));
  let name = `${stem}${suffix}`;
  for (let n = 2; !free(name); n++) name = `${stem}-${n}${suffix}`;
  return name;
}

export function isVideoFileName(name: string) {
  return VIDEO_EXTENSION.test(name);
}

/** The captions file a video needs beside it (courses/README.md). */
export function captionsFileName(videoName: string) {
  return videoName.replace(VIDEO_EXTENSION, ".vtt");
}

/** `![alt](target)`: brackets and backslashes in the alt text are escaped, line breaks become spaces. */
export function mediaMarkdown(alt: string, target: string) {
  const text = alt
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\[\]]/g, (character) => `\\${character}`);
  const link = /[\s()<>]/.test(target) ? `<${target}>` : target;
  return `![${text}](${link})`;
}

/** Markdown put where the cursor was in a column's text (at the end if it was never there), on lines of its own. */
export function insertMarkdown(body: string, selection: [number, number] | null, markdown: string) {
  const [start, end] = selection ?? [body.length, body.length];
  const before = body.slice(0, start);
  const after = body.slice(end);
  const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const trail = after === "" ? "\n" : after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
  const inserted = `${lead}${markdown}${trail}`;
  return { body: `${before}${inserted}${after}`, caret: before.length + inserted.length };
}
