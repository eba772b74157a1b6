import type { Actor } from "~/utils/auth.server.ts";
import { readCourseSettings } from "./course-settings.ts";
import { openDraft } from "./draft.server.ts";
import { translationStatus } from "./translation-status.ts";

/** The draft's missing translations, per course locale and per file, for those who may edit the course. */
export async function getTranslationStatus({ actor, slug }: { actor: Actor; slug: string }) {
  const { course, files } = await openDraft({ actor, slug });
  const settings = readCourseSettings(files.find((file) => file.path === "course.yaml")?.text ?? "");
  return {
    course: { slug: course.slug, title: settings.title },
    ...translationStatus(new Map(files.map((file) => [file.path, file.text])), settings.locales, settings.modules),
  };
}
