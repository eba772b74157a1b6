import { editorAction, formText } from "~/authoring/editor-action.server.ts";
import { MAX_TEXT_FILE_BYTES } from "~/authoring/draft-paths.ts";
import { previewLessonMarkdown } from "~/authoring/lesson-editor.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readLimitedForm } from "~/utils/limited-form.server.ts";
import type { Route } from "./+types/markdown-preview";

// The lesson editor's live preview: Markdown in, the learner's HTML out (`{ html }`), rendered by
// the same pipeline as the learner's lesson page with images from the draft.
export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  return editorAction(async () => {
    const form = await readLimitedForm(request, MAX_TEXT_FILE_BYTES + 16 * 1024, { tooLarge: "authoring.draft.tooLarge", unreadable: "editor.lesson.previewInvalid" });
    return previewLessonMarkdown({ actor: user, slug: params.slug, folder: formText(form, "folder", 200), locale: formText(form, "locale", 5), markdown: String(form.get("markdown") ?? "").replace(/\r\n?/g, "\n") });
  });
}
