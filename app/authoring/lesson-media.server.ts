import type { Locale } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { putFile } from "~/utils/storage.server.ts";
import { readCourseSettings } from "./course-settings.ts";
import { openDraft, saveDraftFiles } from "./draft.server.ts";
import { type CheckedMedia, checkDraftMediaFile } from "./draft-media.server.ts";
import { isDraftPath } from "./draft-paths.ts";
import { captionsFileName, isVideoFileName, mediaFileName, mediaMarkdown } from "./lesson-media.ts";
import { videoEmbed } from "./media.server.ts";

// Images and videos a trainer adds to a lesson. Uploads go into the module's images/ folder of the
// draft after the same checks as every other media file (images by their bytes, metadata removed;
// captions as WebVTT; videos by their container); hosted videos are links to YouTube or Vimeo. Either
// way the trainer gets the Markdown to put in the lesson, with the alt text it requires per locale.

export type UploadedFile = { name: string; bytes: Uint8Array };
export type LessonMediaResult = { target: string; video: boolean; markdown: Partial<Record<Locale, string>> };

/** The alt text of every course locale, trimmed; the first one missing is refused (a picture must be described). */
function requireAltTexts(alt: Partial<Record<string, string>>, locales: readonly Locale[]) {
  const texts: Partial<Record<Locale, string>> = {};
  for (const locale of locales) {
    const text = (alt[locale] ?? "").replace(/\s+/g, " ").trim().slice(0, 300);
    if (!text) throw new DomainError("INVALID", "editor.media.altRequired", `alt.${locale}`, locale);
    texts[locale] = text;
  }
  return texts;
}

/**
 * Adds an image, or a video with its captions, to `folder`/images/ in the draft. Nothing is stored
 * unless every file passes its check; a name already in the folder gets a number rather than
 * replacing another lesson's file.
 */
export async function addLessonMedia({ actor, slug, folder, file, captions, alt, clock = systemClock }: { actor: Actor; slug: string; folder: string; file: UploadedFile | null; captions: UploadedFile | null; alt: Partial<Record<string, string>>; clock?: Clock }): Promise<LessonMediaResult> {
  const { files } = await openDraft({ actor, slug, clock });
  const settings = readCourseSettings(files.find((f) => f.path === "course.yaml")?.text ?? "");
  if (!settings.modules.includes(folder)) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (!file?.bytes.byteLength) throw new DomainError("INVALID", "editor.media.fileMissing", "file");
  const texts = requireAltTexts(alt, settings.locales);

  const prefix = `${folder}/images/`;
  const taken = new Set(files.filter((f) => f.path.startsWith(prefix)).map((f) => f.path.slice(prefix.length)));
  const name = mediaFileName(file.name, taken);
  const path = `${prefix}${name}`;
  if (!isDraftPath(path)) throw new DomainError("INVALID", "authoring.draft.badPath", "file", name);
  const video = isVideoFileName(name);
  if (video && !captions?.bytes.byteLength) throw new DomainError("INVALID", "editor.media.captionsRequired", "captions");
  if (!video && captions?.bytes.byteLength) throw new DomainError("INVALID", "editor.media.captionsOnlyForVideo", "captions");

  const checked = new Map<string, CheckedMedia>([[path, checkDraftMediaFile(path, file.bytes)]]);
  if (video && captions) {
    const captionsPath = `${prefix}${captionsFileName(name)}`;
    checked.set(captionsPath, checkDraftMediaFile(captionsPath, captions.bytes));
  }
  for (const media of checked.values()) {
    putFile(media.bytes);
    await db.asset.upsert({ where: { sha256: media.sha256 }, create: { sha256: media.sha256, mediaType: media.mediaType, size: media.size }, update: {}, select: { id: true } });
  }
  await saveDraftFiles({ actor, slug, changes: [...checked].map(([mediaPath, media]) => ({ path: mediaPath, expectedRevision: 0, assetSha256: media.sha256 })), clock });

  const target = `images/${name}`;
  return { target, video, markdown: Object.fromEntries(settings.locales.map((locale) => [locale, mediaMarkdown(texts[locale] ?? "", target)])) };
}

/**
 * The Markdown for a video hosted on YouTube or Vimeo: the player's address (the one the learner's
 * page frames) as an image link, titled per locale. The draft is not changed.
 */
export async function embedLessonVideo({ actor, slug, url, titles }: { actor: Actor; slug: string; url: string; titles: Partial<Record<string, string>> }): Promise<LessonMediaResult> {
  const { files } = await openDraft({ actor, slug });
  const settings = readCourseSettings(files.find((f) => f.path === "course.yaml")?.text ?? "");
  const embedUrl = withField(() => videoEmbed(url), "url");
  const texts = requireAltTexts(titles, settings.locales);
  return { target: embedUrl, video: true, markdown: Object.fromEntries(settings.locales.map((locale) => [locale, mediaMarkdown(texts[locale] ?? "", embedUrl)])) };
}

function withField<T>(work: () => T, field: string): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, error.messageKey, field, error.detail);
    throw error;
  }
}
