import { parseDocument, stringify } from "yaml";
import type { LessonFrontmatter } from "~/content/schema.ts";

// Lesson files are `---` YAML frontmatter `---` and a Markdown body (courses/README.md). The editor
// reads them into fields and writes them back in the same layout. Pure: the browser may use it.

export type LessonFields = { id: string; title: string; minutes: number; sources: LessonFrontmatter["sources"] };

export function composeLesson(fields: LessonFields, body: string) {
  const frontmatter = stringify({ id: fields.id, title: fields.title, minutes: fields.minutes, sources: fields.sources }, { lineWidth: 0 }).trimEnd();
  return `---\n${frontmatter}\n---\n${body.trim() ? `\n${body.trim()}\n` : ""}`;
}

/**
 * The fields and body of a lesson file. Unreadable frontmatter gives empty fields rather than an
 * error: the draft's problems list already says what is wrong, and the trainer can retype it.
 */
export function readLesson(text: string): { fields: LessonFields; body: string } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const closing = lines[0]?.trim() === "---" ? lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)\s*$/.test(line)) : -1;
  const data = closing > 0 ? (parseDocument(lines.slice(1, closing).join("\n")).toJS() as Partial<LessonFields> | null) : null;
  return {
    fields: {
      id: typeof data?.id === "string" ? data.id : "",
      title: typeof data?.title === "string" ? data.title : "",
      minutes: typeof data?.minutes === "number" ? data.minutes : 5,
      sources: Array.isArray(data?.sources) ? data.sources.filter((s): s is LessonFields["sources"][number] => typeof s?.title === "string") : [],
    },
    body: (closing > 0 ? lines.slice(closing + 1) : lines).join("\n").trim(),
  };
}
