import { Link } from "react-router";
import type { Route } from "./+types/home";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { ProgressBar, StatusBadge } from "~/components/progress-bar.tsx";
import { listCatalogue } from "~/domain/catalogue.server.ts";
import { listMyLearning } from "~/domain/my-learning.server.ts";
import { formatDate, pick } from "~/i18n/index.ts";
import { systemClock } from "~/utils/clock.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { getSessionUser } from "~/utils/session.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getSessionUser(request);
  const locale = await resolveLocale(request, user);
  const [courses, learning] = await Promise.all([listCatalogue({ userId: user?.id ?? null }), user ? listMyLearning({ actor: user, clock: systemClock }) : []]);
  const enrolled = new Set(learning.map((l) => l.slug));
  return {
    signedIn: Boolean(user),
    name: user?.name ?? null,
    locale,
    learning,
    courses: courses.filter((c) => !enrolled.has(c.slug)).map((c) => ({ slug: c.slug, title: c.meta.title, summary: c.meta.summary, minutes: c.meta.estimatedMinutes })),
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  if (!loaderData.signedIn) {
    return (
      <div className="space-y-8">
        <section className="rounded-xl bg-white p-6 shadow-sm sm:p-10">
          <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{t("home.title")}</h1>
          <p className="mt-3 max-w-prose text-lg text-slate-700">{t("home.lead")}</p>
          <div className="mt-6 flex flex-wrap gap-3">
            <Link to="/signup" className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
              {t("home.signup")}
            </Link>
            <Link to="/login" className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium hover:bg-slate-100">
              {t("home.login")}
            </Link>
          </div>
        </section>
        <CourseList courses={loaderData.courses} locale={locale} heading={t("home.courses")} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeading lead={t("home.welcomeLead")}>{t("home.welcome", { name: loaderData.name ?? "" })}</PageHeading>
      <section aria-labelledby="my-learning">
        <h2 id="my-learning" className="mb-3 text-xl font-semibold">
          {t("learn.myLearning")}
        </h2>
        {loaderData.learning.length === 0 ? <p>{t("learn.nothingYet")}</p> : null}
        <ul className="space-y-4">
          {loaderData.learning.map((enrolment) => (
            <li key={enrolment.id}>
              <Card>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0 flex-1">
                    <h3 className="text-lg font-semibold">{pick(enrolment.title, locale)}</h3>
                    <p className="mt-1 flex flex-wrap items-center gap-3 text-sm text-slate-700">
                      <StatusBadge status={enrolment.status} label={t(`status.${enrolment.status}`)} />
                      {enrolment.completedAt ? <span>{t("learn.completedOn", { date: formatDate(enrolment.completedAt, locale) })}</span> : enrolment.dueAt ? <span>{t("learn.due", { date: formatDate(enrolment.dueAt, locale) })}</span> : null}
                    </p>
                  </div>
                  <LinkButton to={enrolment.completedAt ? `/learn/${enrolment.slug}` : enrolment.continueTo}>{enrolment.completedAt ? t("learn.review") : enrolment.percent > 0 ? t("learn.continue") : t("learn.start")}</LinkButton>
                </div>
                <div className="mt-3">
                  <ProgressBar percent={enrolment.percent} label={t("learn.courseProgress")} />
                  <p className="mt-1 text-sm text-slate-700">{t("learn.progress", { percent: enrolment.percent })}</p>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      </section>
      {loaderData.courses.length ? <CourseList courses={loaderData.courses} locale={locale} heading={t("home.courses")} /> : null}
    </div>
  );
}

function CourseList({ courses, locale, heading }: { courses: Array<{ slug: string; title: Record<string, string | undefined>; summary: Record<string, string | undefined>; minutes: number }>; locale: string; heading: string }) {
  const t = useT();
  return (
    <section aria-labelledby="courses-heading">
      <h2 id="courses-heading" className="mb-3 text-xl font-semibold">
        {heading}
      </h2>
      {courses.length === 0 ? <p>{t("catalogue.empty")}</p> : null}
      <ul className="grid gap-4 sm:grid-cols-2">
        {courses.map((course) => (
          <li key={course.slug}>
            <Card className="h-full">
              <h3 className="text-lg font-semibold">
                <Link to={`/courses/${course.slug}`} className="text-brand-800 underline-offset-2 hover:underline">
                  {pick(course.title, locale)}
                </Link>
              </h3>
              <p className="mt-2 text-slate-700">{pick(course.summary, locale)}</p>
              <p className="mt-2 text-sm text-slate-600">{t("catalogue.minutes", { minutes: course.minutes })}</p>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}
