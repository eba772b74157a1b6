import { useT } from "~/i18n/use-t.ts";
import { Markdown } from "./markdown.tsx";

/** "If this affects you": shown beside every lesson and on the course page. */
export function SupportBox({ text }: { text: string }) {
  const t = useT();
  if (!text) return null;
  return (
    <aside aria-labelledby="support-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-slate-900">
      <h2 id="support-heading" className="mb-1 font-semibold">
        {t("course.supportTitle")}
      </h2>
      <Markdown>{text}</Markdown>
    </aside>
  );
}
