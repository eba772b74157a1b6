import { Link } from "react-router";
import type { Route } from "./+types/catalogue";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { listCatalogue } from "~/domain/catalogue.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { getSessionUser } from "~/utils/session.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getSessionUser(request);
  const courses = await listCatalogue({ userId: user?.id ?? null });
  return {
    courses: courses.map(({ slug, meta, moduleCount }) => ({
      slug,
      moduleCount,
      title: meta.title,
      summary: meta.summary,
      minutes: meta.estimatedMinutes,
      credits: meta.cpd.credits,
      locales: meta.locales,
      contentNote: meta.contentNote,
    })),
  };
}

export default function Catalogue({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <PageHeading lead={t("catalogue.lead")}>{t("catalogue.title")}</PageHeading>
      {loaderData.courses.length === 0 ? <p>{t("catalogue.empty")}</p> : null}
      <ul className="space-y-4">
        {loaderData.courses.map((course) => (
          <li key={course.slug}>
            <Card>
              <h2 className="text-xl font-semibold">
                <Link to={`/courses/${course.slug}`} className="text-brand-800 underline-offset-2 hover:underline">
                  {pick(course.title, locale)}
                </Link>
              </h2>
              <p className="mt-2 text-slate-700">{pick(course.summary, locale)}</p>
              <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700">
                <div>
                  <dt className="inline font-medium">{t("catalogue.duration")}: </dt>
                  <dd className="inline">{t("catalogue.minutes", { minutes: course.minutes })}</dd>
                </div>
                <div>
                  <dt className="inline font-medium">{t("catalogue.modules")}: </dt>
                  <dd className="inline">{course.moduleCount}</dd>
                </div>
                <div>
                  <dt className="inline font-medium">{t("catalogue.cpd")}: </dt>
                  <dd className="inline">{course.credits}</dd>
                </div>
                <div>
                  <dt className="inline font-medium">{t("catalogue.languages")}: </dt>
                  <dd className="inline">{course.locales.map((l) => t(`language.${l}`)).join(", ")}</dd>
                </div>
              </dl>
              <p className="mt-3 text-sm text-slate-600">
                <span className="font-medium">{t("catalogue.contentNote")}: </span>
                {pick(course.contentNote, locale)}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
