import { Form, Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { CoursePicker, DepartmentPicker, ProfessionPicker } from "~/components/org-filters.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { formatCalendarDay } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { type DashboardCounts, dashboardFilterFrom, getDashboard } from "~/organisers/dashboard.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import { percent } from "~/utils/numbers.ts";
import type { Route } from "./+types/dashboard";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const search = new URL(request.url).searchParams;
  return orErrorPage(async () => {
    const filter = dashboardFilterFrom(search);
    return { ...(await getDashboard({ actor: user, organisationId: params.orgId, filter })), filter };
  });
}

const STATUS_BARS: Array<{ key: keyof DashboardCounts; of: "enrolled" | "people"; colour: string }> = [
  { key: "notStarted", of: "enrolled", colour: "bg-slate-400" },
  { key: "inProgress", of: "enrolled", colour: "bg-sky-600" },
  { key: "completed", of: "enrolled", colour: "bg-emerald-600" },
  { key: "overdue", of: "enrolled", colour: "bg-red-600" },
  { key: "certified", of: "people", colour: "bg-brand-700" },
  { key: "expiring30", of: "people", colour: "bg-amber-500" },
  { key: "expiring60", of: "people", colour: "bg-amber-400" },
  { key: "expiring90", of: "people", colour: "bg-amber-300" },
  { key: "expired", of: "people", colour: "bg-slate-600" },
];

export default function Dashboard({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { organisation, courses, counts, byDepartment, filter, today } = loaderData;
  const select = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2";
  return (
    <div className="space-y-6">
      <PageHeading lead={t("dashboard.lead", { date: formatCalendarDay(today, locale) })}>{t("dashboard.title", { organisation: organisation.name })}</PageHeading>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <p className="flex flex-wrap gap-4">
        <Link to={`/org/${params.orgId}/people`} className="font-medium underline">
          {t("people.title")}
        </Link>
        {filter.course ? (
          <Link to={`/org/${params.orgId}/courses/${filter.course}`} className="underline">
            {t("report.link")}
          </Link>
        ) : null}
        <Link to={`/org/${params.orgId}/rules`} className="underline">
          {t("rules.link")}
        </Link>
        <Link to={`/org/${params.orgId}`} className="underline">
          {t("dashboard.manage")}
        </Link>
      </p>
      <Card>
        <Form method="get" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
          <CoursePicker courses={courses} value={filter.course} />
          <DepartmentPicker departments={organisation.departments} value={filter.department} />
          <ProfessionPicker value={filter.profession} />
          <label className="block text-sm font-medium">
            {t("dashboard.from")}
            <input type="date" name="from" defaultValue={filter.from ?? ""} className={select} />
          </label>
          <label className="block text-sm font-medium">
            {t("dashboard.to")}
            <input type="date" name="to" defaultValue={filter.to ?? ""} className={select} />
          </label>
          <button type="submit" className="min-h-11 rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
            {t("dashboard.apply")}
          </button>
        </Form>
      </Card>

      <section aria-labelledby="status-heading">
        <Card>
          <h2 id="status-heading" className="text-lg font-semibold">
            {t("dashboard.statusTitle", { people: counts.people, enrolled: counts.enrolled })}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t("dashboard.rules")}</p>
          {/* The bars repeat the table below for sighted readers; screen readers get the table. */}
          <div aria-hidden="true" className="mt-4 space-y-2">
            {STATUS_BARS.map(({ key, of, colour }) => (
              <div key={key} className="grid grid-cols-[11rem_1fr_5rem] items-center gap-3 text-sm">
                <span>{t(`dashboard.count.${key}`)}</span>
                <span className="h-4 rounded bg-slate-100">
                  <span className={`block h-4 rounded ${colour}`} style={{ width: `${percent(counts[key], counts[of])}%` }} />
                </span>
                <span className="text-right tabular-nums">{percent(counts[key], counts[of])} %</span>
              </div>
            ))}
          </div>
          <TableRegion label={t("dashboard.statusTable")}>
            <table className="mt-4 w-full text-left text-sm">
              <caption className="sr-only">{t("dashboard.statusTable")}</caption>
              <thead>
                <tr className="border-b">
                  <th scope="col" className="py-2 pr-4">
                    {t("dashboard.measure")}
                  </th>
                  <th scope="col" className="py-2 pr-4 text-right">
                    {t("dashboard.number")}
                  </th>
                  <th scope="col" className="py-2 text-right">
                    {t("dashboard.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {(["assigned", ...STATUS_BARS.map((b) => b.key)] as Array<keyof DashboardCounts>).map((key) => {
                  const of = key === "assigned" || STATUS_BARS.find((b) => b.key === key)?.of === "enrolled" ? counts.enrolled : counts.people;
                  return (
                    <tr key={key} className="border-b last:border-0">
                      <th scope="row" className="py-2 pr-4 font-normal">
                        {t(`dashboard.count.${key}`)}
                      </th>
                      <td className="py-2 pr-4 text-right tabular-nums">{counts[key]}</td>
                      <td className="py-2 text-right tabular-nums">{t("dashboard.percentOf", { percent: percent(counts[key], of), of: t(of === counts.enrolled ? "dashboard.ofEnrolled" : "dashboard.ofPeople") })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
        </Card>
      </section>

      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("dashboard.byDepartment")}</h2>
        <TableRegion label={t("dashboard.byDepartment")}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className="py-2 pr-4">
                  {t("field.department")}
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  {t("dashboard.people")}
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  {t("dashboard.count.completed")}
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  {t("dashboard.count.certified")}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t("dashboard.count.overdue")}
                </th>
              </tr>
            </thead>
            <tbody>
              {byDepartment.map((row) => (
                <tr key={row.departmentId ?? "none"} className="border-b last:border-0">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    {row.departmentId ? (
                      <Link to={`/org/${params.orgId}/people?department=${row.departmentId}`} className="underline">
                        {row.name}
                      </Link>
                    ) : (
                      t("org.noDepartment")
                    )}
                  </th>
                  <td className="py-2 pr-4 text-right tabular-nums">{row.people}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">
                    {row.completed} ({percent(row.completed, row.people)} %)
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">
                    {row.certified} ({percent(row.certified, row.people)} %)
                  </td>
                  <td className="py-2 text-right tabular-nums">{row.overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Card>
    </div>
  );
}
