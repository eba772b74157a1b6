import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { getCourseReport } from "~/organisers/course-report.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import { percent } from "~/utils/numbers.ts";
import type { Route } from "./+types/course-report";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => getCourseReport({ actor: user, organisationId: params.orgId, courseId: params.courseId }));
}

export default function CourseReport({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const report = loaderData;
  const th = "py-2 pr-4";
  return (
    <div className="space-y-6">
      <PageHeading lead={t("report.lead", { enrolled: report.enrolled, started: report.started, completed: report.completed })}>{pick(report.title, locale)}</PageHeading>
      <p>
        <Link to={`/org/${params.orgId}/dashboard?course=${params.courseId}`} className="underline">
          {t("dashboard.link")}
        </Link>
      </p>
      <Card>
        <h2 className="text-lg font-semibold">{t("report.funnel")}</h2>
        <p className="mt-1 text-sm text-slate-700">{report.medianMinutes === null ? t("report.noTime") : t("report.medianTime", { minutes: report.medianMinutes })}</p>
        <TableRegion label={t("report.funnel")}>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className={th}>{t("report.module")}</th>
                <th scope="col" className={`${th} text-right`}>{t("report.completedModule")}</th>
                <th scope="col" className="py-2">{t("dashboard.share")}</th>
              </tr>
            </thead>
            <tbody>
              {report.funnel.map((module, index) => (
                <tr key={module.key} className="border-b last:border-0">
                  <th scope="row" className={`${th} font-normal`}>
                    {index + 1}. {pick(module.title, locale)}
                  </th>
                  <td className={`${th} text-right tabular-nums`}>{module.completed}</td>
                  <td className="py-2">
                    <span className="flex items-center gap-2">
                      <span aria-hidden="true" className="block h-3 w-32 rounded bg-slate-100">
                        <span className="block h-3 rounded bg-brand-700" style={{ width: `${percent(module.completed, report.enrolled)}%` }} />
                      </span>
                      <span className="tabular-nums">{percent(module.completed, report.enrolled)} %</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">{t("report.quizzes")}</h2>
        <TableRegion label={t("report.quizzes")}>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className={th}>{t("report.quiz")}</th>
                <th scope="col" className={`${th} text-right`}>{t("report.people")}</th>
                <th scope="col" className={`${th} text-right`}>{t("report.passRate")}</th>
                <th scope="col" className={`${th} text-right`}>{t("report.firstTime")}</th>
                <th scope="col" className={`${th} text-right`}>{t("report.attempts")}</th>
                <th scope="col" className="py-2 text-right">{t("report.averageScore")}</th>
              </tr>
            </thead>
            <tbody>
              {report.quizzes.map((quiz) => (
                <tr key={quiz.key} className="border-b last:border-0">
                  <th scope="row" className={`${th} font-normal`}>
                    {pick(quiz.title, locale)}
                    <Link to={`/org/${params.orgId}/courses/${params.courseId}/quizzes/${quiz.key}/analysis`} className="block text-xs underline">
                      {t("analysis.link")}
                      <span className="sr-only">: {pick(quiz.title, locale)}</span>
                    </Link>
                  </th>
                  <td className={`${th} text-right tabular-nums`}>{quiz.people}</td>
                  <td className={`${th} text-right tabular-nums`}>{percent(quiz.passed, quiz.people)} %</td>
                  <td className={`${th} text-right tabular-nums`}>{percent(quiz.firstTime, quiz.people)} %</td>
                  <td className={`${th} text-right tabular-nums`}>{quiz.attempts}</td>
                  <td className="py-2 text-right tabular-nums">{quiz.averageScore === null ? "–" : `${quiz.averageScore} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Card>
    </div>
  );
}
