import { captionsPathFor, hostedVideoEmbed, isExternalLink, isVideoLink, resolveMediaLink } from "./lesson-file";
import type { CheckContext, ParsedLessonFile } from "./parsed-course";
import { LOCALES, type Locale } from "./schema";
import type { PathKey, YamlSource } from "./yaml-source";

/**
 * One lesson (all its locale files): a file per course locale, the same id and minutes in each, a
 * course-wide unique id, media links that resolve to files in the course, and links to other sites
 * only to YouTube or Vimeo videos.
 */
export function checkLesson(
  lesson: {
    stem: string;
    moduleFolder: string;
    files: ReadonlyMap<Locale, ParsedLessonFile>;
    /** Where module.yaml names the lesson: missing files are reported there. */
    listedAt: { source: YamlSource; path: readonly PathKey[] };
  },
  courseFiles: ReadonlySet<string>,
  ctx: CheckContext,
): void {
  const { stem, files, listedAt } = lesson;
  for (const locale of ctx.locales) {
    if (!files.has(locale)) {
      ctx.problems.at(
        listedAt.source,
        listedAt.path,
        `lesson "${stem}" has no "${locale}" file (${stem}.${locale}.md)`,
      );
    }
  }

  // The first course locale sets the id and minutes the other translations must repeat.
  const order = [...ctx.locales, ...LOCALES.filter((locale) => !ctx.locales.includes(locale))];
  const valid = order.flatMap((locale) => {
    const file = files.get(locale);
    return file?.frontmatter ? [{ ...file, frontmatter: file.frontmatter }] : [];
  });
  const [reference, ...translations] = valid;
  if (reference) {
    const { source, data } = reference.frontmatter;
    ctx.ids.claim("lesson", data.id, source, ["id"]);
    const referenceName = `${stem}.${reference.locale}.md`;
    for (const translation of translations) {
      const other = translation.frontmatter;
      if (other.data.id !== data.id) {
        ctx.problems.at(
          other.source,
          ["id"],
          `id "${other.data.id}" differs from "${data.id}" in ${referenceName}; every locale's file of a lesson has the same id`,
        );
      }
      if (other.data.minutes !== data.minutes) {
        ctx.problems.at(
          other.source,
          ["minutes"],
          `minutes ${other.data.minutes} differs from ${data.minutes} in ${referenceName}; every locale's file of a lesson has the same minutes`,
        );
      }
    }
  }

  for (const file of files.values()) checkMediaLinks(file, lesson.moduleFolder, courseFiles, ctx);
}

function checkMediaLinks(
  lessonFile: ParsedLessonFile,
  moduleFolder: string,
  courseFiles: ReadonlySet<string>,
  ctx: CheckContext,
): void {
  for (const { target, alt, line } of lessonFile.media) {
    if (isExternalLink(target)) {
      const hosted = hostedVideoEmbed(target);
      if ("error" in hosted) ctx.problems.add(lessonFile.file, line, `image or video link "${target}" ${hosted.error}`);
      else if (alt === "") ctx.problems.add(lessonFile.file, line, `video "${target}" needs a title between the brackets (![Title](…)): screen readers announce the player by it`);
      continue;
    }
    const what = isVideoLink(target) ? "video" : "image";
    const resolved = resolveMediaLink(moduleFolder, target);
    if ("error" in resolved) {
      ctx.problems.add(lessonFile.file, line, `${what} link "${target}" ${resolved.error}`);
    } else if (!courseFiles.has(resolved.path)) {
      ctx.problems.add(lessonFile.file, line, `broken ${what} link "${target}": no such file`);
    } else if (what === "video" && !courseFiles.has(captionsPathFor(resolved.path))) {
      const captions = captionsPathFor(target.replace(/[?#].*$/, ""));
      ctx.problems.add(lessonFile.file, line, `video "${target}" has no captions: add "${captions}" beside it`);
    }
  }
}
