import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { ProgressBar } from "~/components/progress-bar.tsx";
import { loadLearnerCourse } from "~/domain/learner-course.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { itemPath, renewalModuleKeys } from "~/learning/course-state.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/overview";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const { enrolment, outline, state } = await orErrorPage(() => loadLearnerCourse({ actor: user, slug: params.slug }));
  const renewalModules = enrolment.kind === "RENEWAL" ? renewalModuleKeys(outline.modules, outline.meta.recertification) : null;
  const titles = new Map(outline.modules.flatMap((m) => [[m.key, m.title] as const, ...m.items.map((i) => [i.key, i.title] as const)]));
  return {
    slug: params.slug,
    title: outline.meta.title,
    completed: Boolean(enrolment.completedAt),
    renewal: Boolean(renewalModules),
    percent: state.percent,
    next: state.next,
    modules: state.modules.map((m) => ({ ...m, requiredForRenewal: renewalModules?.has(m.key) ?? false, title: titles.get(m.key)!, items: m.items.map((i) => ({ ...i, title: titles.get(i.key)! })) })),
  };
}

export default function CourseOverview({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { slug, modules, next } = loaderData;
  const counted = modules.filter((m) => !m.isRecertification);
  return (
    <div className="space-y-6">
      <PageHeading>{pick(loaderData.title, locale)}</PageHeading>
      {loaderData.renewal ? (
        <p className="rounded-md border border-sky-200 bg-sky-50 p-3 text-slate-800">{t("renew.overviewNote")}</p>
      ) : null}
      <Card>
        <ProgressBar percent={loaderData.percent} label={t("learn.courseProgress")} />
        <p className="mt-2 text-slate-700">{loaderData.completed ? t("learn.courseComplete") : t("learn.progress", { percent: loaderData.percent })}</p>
        {next ? (
          <div className="mt-4">
            <LinkButton to={itemPath(slug, { kind: next.kind, key: next.itemKey })}>{loaderData.percent > 0 ? t("learn.continue") : t("learn.start")}</LinkButton>
          </div>
        ) : null}
      </Card>
      <p>
        <Link to={`/learn/${slug}/contacts`} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          {t("contacts.link")}
        </Link>
      </p>
      <ol className="space-y-4">
        {modules.map((module) => (
          <li key={module.key}>
            <Card>
              <h2 className="text-lg font-semibold">
                {module.isRecertification ? t("course.recertificationModule") : t("learn.moduleOf", { number: counted.indexOf(module) + 1, total: counted.length })}: {pick(module.title, locale)}
              </h2>
              {loaderData.renewal ? <p className="mt-1 text-sm font-medium text-slate-700">{t(module.requiredForRenewal ? "renew.requiredTag" : "renew.reviewTag")}</p> : null}
              {module.lockedReason ? (
                <p className="mt-1 text-sm text-slate-700">
                  <span className="font-medium">{t("learn.locked")}:</span> {t(module.lockedReason === "previous-module" ? "learn.lockedPrevious" : "learn.lockedRecertification")}
                </p>
              ) : null}
              <ul className="mt-3 divide-y divide-slate-100">
                {module.items.map((item) => (
                  <li key={item.key} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span className="min-w-0 flex-1">
                      <span className="mr-2 text-sm text-slate-600">{t(`item.${item.kind}`)}</span>
                      {module.unlocked ? (
                        <Link to={itemPath(slug, item)} className="text-brand-800 underline underline-offset-2">
                          {pick(item.title, locale)}
                        </Link>
                      ) : (
                        <span>{pick(item.title, locale)}</span>
                      )}
                      {!item.required ? <span className="ml-1 text-sm text-slate-600">({t("learn.optional")})</span> : null}
                    </span>
                    <span className={`text-sm ${item.done ? "font-medium text-emerald-800" : "text-slate-600"}`}>{item.done ? `✓ ${t("learn.done")}` : module.unlocked ? t("learn.todo") : t("learn.locked")}</span>
                  </li>
                ))}
              </ul>
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
