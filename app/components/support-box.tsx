import { useT } from "~/i18n/use-t.ts";
import { Markdown, RenderedMarkdown } from "./markdown.tsx";

/**
 * "If this affects you": shown beside every lesson and on the course page. Learning pages pass the
 * published version's text rendered and cached on the server (`html`, cachedSupportHtml); drafts
 * and previews pass the Markdown (`text`).
 */
export function SupportBox(props: { text: string } | { html: string }) {
  const t = useT();
  if (!("html" in props ? props.html : props.text)) return null;
  return (
    <aside aria-labelledby="support-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-slate-900">
      <h2 id="support-heading" className="mb-1 font-semibold">
        {t("course.supportTitle")}
      </h2>
      {"html" in props ? <RenderedMarkdown html={props.html} /> : <Markdown>{props.text}</Markdown>}
    </aside>
  );
}
