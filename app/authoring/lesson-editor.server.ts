import { createHash } from "node:crypto";
import { renderCourseMarkdown } from "~/content/render-markdown.server.ts";
import { LOCALES, type Locale, NUMBERED_NAME_PATTERN } from "~/content/schema.ts";
import { assertCanAuthorCourse } from "~/domain/course-authoring-access.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { type DraftChange, getDraftView, saveDraftFiles } from "./draft.server.ts";
import { isDraftPath, MAX_TEXT_FILE_BYTES } from "./draft-paths.ts";
import { isStarted, type LessonLocaleValues, type LessonSave, lessonColumnText, lessonFormFromFiles, lessonValuesText } from "./lesson-form.ts";
import { isVideoFileName } from "./lesson-media.ts";
import { readYaml } from "./yaml-edit.ts";

// The lesson editor: one lesson's locale files, read into the form and saved together, and the
// learner's rendering of its Markdown with links pointing at the draft's own images.

/** Where the draft's images of a module are served to the people who may edit it (routes/author/draft-file.ts). */
export function draftAssetBase(slug: string, folder: string) {
  return `/author/courses/${slug}/draft-files/${folder}`;
}

/** The lesson's Markdown exactly as learners get it, its images taken from the draft. */
export function renderLessonPreview(slug: string, folder: string, locale: string, markdown: string) {
  return renderCourseMarkdown(markdown, { assetBase: draftAssetBase(slug, folder), locale });
}

/** Fingerprint of a column as it would be saved: equal fingerprints mean nothing was changed there. */
function lessonDigest(values: LessonLocaleValues, id: string) {
  const text = lessonValuesText(values, id);
  return text === null ? "" : sha256(text);
}

function sha256(text: string) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const lessonPath = (folder: string, stem: string, locale: string) => `${folder}/${stem}.${locale}.md`;

/** The lesson's files (any locale) and whether module.yaml lists it; "not found" when it is neither. */
async function openLesson({ actor, slug, folder, stem }: { actor: Actor; slug: string; folder: string; stem: string }) {
  const moduleYaml = `${folder}/module.yaml`;
  if (!NUMBERED_NAME_PATTERN.test(stem) || !isDraftPath(moduleYaml)) throw new DomainError("NOT_FOUND", "errors.notFound");
  const view = await getDraftView({ actor, slug, paths: [moduleYaml, ...LOCALES.map((locale) => lessonPath(folder, stem, locale))] });
  const files = new Map<Locale, { text: string; revision: number }>();
  for (const locale of LOCALES) {
    const file = view.files[lessonPath(folder, stem, locale)];
    if (typeof file?.text === "string") files.set(locale, { text: file.text, revision: file.revision });
  }
  const module = readYaml(view.files[moduleYaml]?.text ?? "") as { items?: Array<{ lesson?: unknown }> } | null;
  const listed = Array.isArray(module?.items) && module.items.some((item) => item?.lesson === stem);
  if (!files.size && !listed) throw new DomainError("NOT_FOUND", "errors.notFound");
  return { view, files, listed };
}

/** Everything the lesson editor page shows. */
export async function getLessonEditor({ actor, slug, folder, stem }: { actor: Actor; slug: string; folder: string; stem: string }) {
  const { view, files } = await openLesson({ actor, slug, folder, stem });
  const locales = view.settings.locales;
  const values = lessonFormFromFiles(files, locales, lessonDigest);
  const lessonFiles = LOCALES.map((locale) => lessonPath(folder, stem, locale));
  const imagesPrefix = `${folder}/images/`;
  return {
    course: { slug: view.course.slug, title: view.settings.title },
    folder,
    stem,
    locales,
    values,
    previews: Object.fromEntries(values.locales.map((column) => [column.locale, renderLessonPreview(view.course.slug, folder, column.locale, column.body)])) as Record<string, string>,
    lessonFiles,
    // The lesson's own files, and what module.yaml says about this lesson (a missing locale file).
    problems: view.problems.filter((problem) => lessonFiles.includes(problem.file) || (problem.file === `${folder}/module.yaml` && problem.message.includes(`"${stem}"`))),
    media: view.paths
      .filter((path) => path.startsWith(imagesPrefix) && !path.endsWith(".vtt"))
      .map((path) => ({ target: path.slice(folder.length + 1), video: isVideoFileName(path) })),
  };
}

/**
 * Saves the lesson's locale files together, each against the revision the page showed: all or
 * nothing, so a conflict in one translation leaves the others unsaved too. A column the trainer did
 * not change is not written (a colleague may be translating it); a translation without a file is
 * created once it has a title or text. The id is written to every locale's file.
 */
export async function saveLesson({ actor, slug, folder, stem, lesson, clock = systemClock }: { actor: Actor; slug: string; folder: string; stem: string; lesson: LessonSave; clock?: Clock }) {
  const { view } = await openLesson({ actor, slug, folder, stem });
  const changes: DraftChange[] = [];
  for (const column of lesson.locales) {
    if (!view.settings.locales.includes(column.locale as Locale) || !isStarted(column)) continue;
    const text = lessonColumnText(lesson.id, column);
    if (column.revision > 0 && sha256(text) === column.digest) continue;
    changes.push({ path: lessonPath(folder, stem, column.locale), expectedRevision: column.revision, text });
  }
  const { revisions } = await saveDraftFiles({ actor, slug, changes, clock });
  return { files: changes.map((change) => change.path), revisions };
}

/** The learner's rendering of Markdown the trainer is typing, for the editor's live preview. */
export async function previewLessonMarkdown({ actor, slug, folder, locale, markdown }: { actor: Actor; slug: string; folder: string; locale: string; markdown: string }) {
  const course = await assertCanAuthorCourse(actor, slug);
  if (!isDraftPath(folder) || folder.includes("/")) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (!(LOCALES as readonly string[]).includes(locale)) throw new DomainError("INVALID", "editor.lesson.previewInvalid", "locale");
  if (Buffer.byteLength(markdown, "utf8") > MAX_TEXT_FILE_BYTES) throw new DomainError("INVALID", "authoring.draft.tooLarge", "markdown", folder);
  return { html: renderLessonPreview(course.slug, folder, locale, markdown) };
}

/** A draft's image, video or captions file, for those who may edit the course. */
export async function getDraftAsset({ actor, slug, path }: { actor: Actor; slug: string; path: string }) {
  const course = await assertCanAuthorCourse(actor, slug);
  if (!isDraftPath(path)) throw new DomainError("NOT_FOUND", "errors.notFound");
  const file = await db.draftFile.findUnique({
    where: { courseId_path: { courseId: course.id, path } },
    select: { asset: { select: { sha256: true, mediaType: true, size: true } } },
  });
  if (!file?.asset) throw new DomainError("NOT_FOUND", "errors.notFound");
  return file.asset;
}
