import { Link } from "react-router";
import { useLocale, useT } from "~/i18n/use-t.ts";

// Pieces every page of the course editor shares: the editor's navigation, the draft's problems for
// the files a page edits, and what happened to the last save.

export type EditorPage = "course" | "settings" | "translations" | "preview";

export function EditorNav({ slug, current, title }: { slug: string; current: EditorPage | null; title: string }) {
  const t = useT();
  const links: Array<{ page: EditorPage; to: string; label: string }> = [
    { page: "course", to: `/author/courses/${slug}`, label: t("editor.nav.course") },
    { page: "settings", to: `/author/courses/${slug}/settings`, label: t("editor.nav.settings") },
    { page: "translations", to: `/author/courses/${slug}/translations`, label: t("editor.nav.translations") },
    { page: "preview", to: `/author/courses/${slug}/preview`, label: t("editor.nav.preview") },
  ];
  return (
    <nav aria-label={t("editor.nav.label", { course: title })} className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 pb-2 text-sm">
      <Link to="/author" className="text-brand-700 underline">
        {t("editor.nav.allCourses")}
      </Link>
      <span aria-hidden="true">›</span>
      <span className="font-semibold">{title}</span>
      <ul className="flex flex-wrap gap-x-3 gap-y-1">
        {links.map((link) => (
          <li key={link.page}>
            <Link to={link.to} aria-current={current === link.page ? "page" : undefined} className={current === link.page ? "font-semibold text-slate-900 underline decoration-2" : "text-brand-700 underline"}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type DraftProblem = { file: string; line: number; message: string };

/**
 * The draft's problems in the given files (all files when `files` is omitted). Messages come from the
 * course checker, which writes them in English for `npm run courses:check`; the heading is translated.
 */
export function DraftProblems({ problems, files, linkFor }: { problems: DraftProblem[]; files?: string[]; linkFor?: (file: string) => string | null }) {
  const t = useT();
  const shown = files ? problems.filter((p) => files.includes(p.file)) : problems;
  if (!shown.length) {
    return (
      <p role="status" className="text-sm text-emerald-800">
        {t("editor.problems.none")}
      </p>
    );
  }
  return (
    <section aria-labelledby="draft-problems" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <h2 id="draft-problems" className="font-semibold text-amber-900">
        {t("editor.problems.title", { count: shown.length })}
      </h2>
      <p className="text-amber-900">{t("editor.problems.lead")}</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {shown.map((problem) => {
          const to = linkFor?.(problem.file);
          const where = `${problem.file}:${problem.line}`;
          return (
            <li key={`${where}:${problem.message}`}>
              {to ? (
                <Link to={to} className="font-mono text-brand-700 underline">
                  {where}
                </Link>
              ) : (
                <span className="font-mono">{where}</span>
              )}{" "}
              <span lang="en">{problem.message}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The result of the last save: a confirmation, or the error (a conflict names who saved first). */
export function SaveMessage({ result, savedKey = "editor.saved" }: { result: unknown; savedKey?: string }) {
  const t = useT();
  const locale = useLocale();
  if (!result || typeof result !== "object") return null;
  if ("error" in result) {
    const error = (result as { error: { key: string; detail: string } }).error;
    let text = t(error.key as never, { detail: error.detail });
    if (error.key === "authoring.draft.conflict") {
      const conflict = JSON.parse(error.detail) as { path: string; who: string; at: string };
      const at = new Intl.DateTimeFormat(locale === "sl" ? "sl-SI" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(new Date(conflict.at));
      text = t("authoring.draft.conflict", { path: conflict.path, who: conflict.who || t("editor.someone"), at });
    }
    return (
      <p role="alert" className="whitespace-pre-line rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
        {text}
      </p>
    );
  }
  if ("saved" in result) {
    return (
      <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">
        {t(savedKey as never)}
      </p>
    );
  }
  return null;
}

/** Links to the editor page of a draft file, used by problem lists and the changes view. */
export function editorLinkFor(slug: string, file: string): string | null {
  if (file === "course.yaml") return `/author/courses/${slug}/settings`;
  const [folder, name] = file.split("/");
  if (!folder || !name) return null;
  if (name === "module.yaml") return `/author/courses/${slug}/modules/${folder}`;
  if (name.endsWith(".md")) return `/author/courses/${slug}/modules/${folder}/lessons/${name.replace(/\.[a-z]{2}\.md$/, "")}`;
  if (name.endsWith(".quiz.yaml") || name === "quiz.yaml") return `/author/courses/${slug}/modules/${folder}/quizzes/${name}`;
  if (name.endsWith(".case.yaml")) return `/author/courses/${slug}/modules/${folder}/cases/${name}`;
  return null;
}

/**
 * One input per course language, side by side on a wide screen and stacked on a phone; each input
 * carries its language so screen readers and spell-checkers use the right one. Field names are
 * `<name>.<locale>`.
 */
export function LocalisedFields({ label, name, value, locales, multiline = false, rows = 3, required = false, hint }: { label: string; name: string; value: Record<string, string | undefined> | undefined; locales: readonly string[]; multiline?: boolean; rows?: number; required?: boolean; hint?: string }) {
  const t = useT();
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-800">{label}</legend>
      {hint ? <p className="text-sm text-slate-600">{hint}</p> : null}
      <div className={`grid gap-3 ${locales.length > 1 ? "md:grid-cols-2" : ""}`}>
        {locales.map((locale) => {
          const id = `${name}.${locale}`;
          const missing = !value?.[locale]?.trim();
          const common = { id, name: id, lang: locale, defaultValue: value?.[locale] ?? "", required, "aria-describedby": missing ? `${id}-missing` : undefined, className: "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2" };
          return (
            <div key={locale}>
              <label htmlFor={id} className="text-sm text-slate-700">
                {t(`editor.locale.${locale}` as never)}
              </label>
              {multiline ? <textarea rows={rows} {...common} /> : <input type="text" {...common} />}
              {missing ? (
                <p id={`${id}-missing`} className="text-sm text-amber-800">
                  {t("editor.translationMissing")}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
