import { useId } from "react";
import { useT } from "~/i18n/use-t.ts";

/**
 * A lesson's sources under its text, as learners see them; the editor's previews use the same list.
 * Only web addresses become links (a draft may hold a half-typed one).
 */
export function LessonSources({ sources, level = 2 }: { sources: ReadonlyArray<{ title: string; url?: string | null }>; level?: 2 | 3 }) {
  const t = useT();
  const id = useId();
  if (!sources.length) return null;
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={id} className="text-sm text-slate-700">
      <Heading id={id} className="font-semibold">
        {t("learn.sources")}
      </Heading>
      <ol className="mt-1 list-decimal space-y-1 pl-6">
        {sources.map((source, index) => (
          <li key={`${index}:${source.title}`} className="break-words">
            {source.url && /^https?:\/\//i.test(source.url) ? (
              <a href={source.url} className="underline" rel="noreferrer noopener" target="_blank">
                {source.title}
              </a>
            ) : (
              source.title
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
