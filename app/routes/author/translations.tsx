import { Form, Link } from "react-router";
import { PageHeading } from "~/components/app-shell.tsx";
import { EditorNav, editorLinkFor } from "~/components/authoring.tsx";
import { getTranslationStatus } from "~/authoring/translation-status.server.ts";
import { filterTranslationFiles, type TranslationFileKind, type TranslationGap } from "~/authoring/translation-status.ts";
import { type Locale, LocaleSchema } from "~/content/schema.ts";
import { pick, translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/translations";

// What is still to be translated in a course's draft: counts per language and per file, each file
// linked to the page where it is written. The filter is a GET form, so a filtered view can be shared.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const status = await orErrorPage(() => getTranslationStatus({ actor: user, slug: params.slug }));
  const search = new URL(request.url).searchParams;
  const requested = LocaleSchema.safeParse(search.get("locale"));
  const filter = { onlyMissing: search.get("missing") === "1", locale: requested.success && status.locales.includes(requested.data) ? requested.data : null };
  return { ...status, filter, files: filterTranslationFiles(status.files, filter), fileCount: status.files.length };
}

const KIND_LABEL: Record<TranslationFileKind, string> = {
  course: "editor.translations.kind.course",
  module: "editor.translations.kind.module",
  lesson: "editor.translations.kind.lesson",
  quiz: "editor.translations.kind.quiz",
  case: "editor.translations.kind.case",
};

export default function Translations({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { course, locales, total, byLocale, files, filter } = loaderData;
  const courseTitle = pick(course.title, locale) || course.slug;
  return (
    <div className="space-y-5">
      <EditorNav slug={course.slug} current="translations" title={courseTitle} />
      <PageHeading lead={t("editor.translations.lead")}>{t("editor.translations.title", { course: courseTitle })}</PageHeading>
      <section aria-labelledby="translation-totals" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="translation-totals" className="text-lg font-semibold">
          {t("editor.translations.total", { count: total })}
        </h2>
        <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1">
          {locales.map((code) => (
            <li key={code}>{t("editor.translations.byLocale", { language: capitalised(t(`language.${code}`)), count: byLocale[code] ?? 0 })}</li>
          ))}
        </ul>
      </section>
      <Form method="get" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <fieldset className="flex flex-wrap items-end gap-4">
          <legend className="mb-2 font-semibold">{t("editor.translations.filter")}</legend>
          <label className="flex min-h-11 items-center gap-2">
            <input type="checkbox" name="missing" value="1" defaultChecked={filter.onlyMissing} className="h-5 w-5" />
            {t("editor.translations.onlyMissing")}
          </label>
          <div>
            <label htmlFor="translation-locale" className="block text-sm font-medium text-slate-800">
              {t("editor.translations.locale")}
            </label>
            <select id="translation-locale" name="locale" defaultValue={filter.locale ?? ""} className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
              <option value="">{t("editor.translations.allLocales")}</option>
              {locales.map((code) => (
                <option key={code} value={code}>
                  {capitalised(t(`language.${code}`))}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            {t("editor.translations.apply")}
          </button>
        </fieldset>
      </Form>
      <section aria-labelledby="translation-files">
        <h2 id="translation-files" className="mb-2 text-lg font-semibold">
          {t("editor.translations.files", { shown: files.length, count: loaderData.fileCount })}
        </h2>
        {files.length ? (
          <ul className="space-y-2">
            {files.map((file) => {
              const to = editorLinkFor(course.slug, file.path);
              const label = (
                <>
                  {t(KIND_LABEL[file.kind])}: <code className="break-all">{file.path}</code>
                </>
              );
              return (
                <li key={file.path} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    {to ? (
                      <Link to={to} className="text-brand-700 underline">
                        {label}
                      </Link>
                    ) : (
                      <span>{label}</span>
                    )}
                    <span className={file.missing.length ? "font-semibold text-amber-900" : "text-emerald-800"}>
                      {file.unreadable ? t("editor.translations.unreadable") : file.missing.length ? t("editor.translations.count", { count: file.missing.length }) : t("editor.translations.complete")}
                    </span>
                  </div>
                  {file.missing.length ? (
                    <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
                      {file.missing.map((gap, index) => (
                        <li key={`${gap.locale}:${gap.kind}:${gap.where}:${index}`}>
                          <GapText gap={gap} />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p role="status">{filter.onlyMissing || filter.locale ? t("editor.translations.noneMatch") : t("editor.translations.nothing")}</p>
        )}
      </section>
    </div>
  );
}

function GapText({ gap }: { gap: TranslationGap }) {
  const t = useT();
  const language = capitalised(t(`language.${gap.locale as Locale}`));
  if (gap.kind === "text") {
    return (
      <>
        {language}: <code>{gap.where || t("editor.translations.wholeText")}</code>
      </>
    );
  }
  return <>{t(`editor.translations.gap.${gap.kind}`, { language })}</>;
}

/** Slovene writes language names in lower case; at the start of a line they take a capital. */
function capitalised(text: string) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("editor.translations.metaTitle")} · Opora` }];
}
