import { Form, Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { CoursePicker, DepartmentPicker, ProfessionPicker } from "~/components/org-filters.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { formatCalendarDay, formatDate, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { listPeople, peopleQueryFrom } from "~/organisers/people.server.ts";
import { PEOPLE_SORTS, PERSON_STATUSES } from "~/organisers/people.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { PROFESSIONS } from "~/utils/roles.ts";
import type { Route } from "./+types/people";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const search = new URL(request.url).searchParams;
  return orErrorPage(async () => {
    const query = peopleQueryFrom(search);
    return { ...(await listPeople({ actor: user, organisationId: params.orgId, query })), query, search: search.toString() };
  });
}

const STATUS_STYLES: Record<string, string> = {
  overdue: "bg-red-100 text-red-900",
  expired: "bg-slate-200 text-slate-900",
  expiring: "bg-amber-100 text-amber-900",
  certified: "bg-emerald-100 text-emerald-900",
  completed: "bg-emerald-50 text-emerald-900",
};

export default function People({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { organisation, course, courses, rows, total, page, pages, query } = loaderData;
  const departments = new Map(organisation.departments.map((d) => [d.id, d.name]));
  const select = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2";
  const pageLink = (target: number) => {
    const next = new URLSearchParams(loaderData.search);
    next.set("page", String(target));
    return `?${next.toString()}`;
  };
  const exportLink = (format: "csv" | "xlsx") => {
    const next = new URLSearchParams(loaderData.search);
    next.delete("page");
    if (course) next.set("course", course.id);
    return `/org/${params.orgId}/export.${format}?${next.toString()}`;
  };
  return (
    <div className="space-y-6">
      <PageHeading lead={course ? t("people.lead", { course: pick(course.title, locale) }) : undefined}>{t("people.title")}</PageHeading>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <p className="flex flex-wrap gap-4">
        <Link to={`/org/${params.orgId}/dashboard`} className="underline">
          {t("dashboard.link")}
        </Link>
        {course ? (
          <>
            <a href={exportLink("xlsx")} className="font-medium underline" download>
              {t("people.exportXlsx")}
            </a>
            <a href={exportLink("csv")} className="font-medium underline" download>
              {t("people.export")}
            </a>
          </>
        ) : null}
      </p>
      <Card>
        <Form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end">
          <label className="block text-sm font-medium lg:col-span-2">
            {t("people.search")}
            <input type="search" name="q" defaultValue={query.q ?? ""} className={select} />
          </label>
          <CoursePicker courses={courses} value={course?.id} allowAny={false} />
          <label className="block text-sm font-medium">
            {t("people.status")}
            <select name="status" defaultValue={query.status ?? ""} className={select}>
              <option value="">{t("people.anyStatus")}</option>
              {PERSON_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`people.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <DepartmentPicker departments={organisation.departments} value={query.department} />
          <ProfessionPicker value={query.profession} />
          <label className="block text-sm font-medium">
            {t("people.sort")}
            <select name="sort" defaultValue={query.sort} className={select}>
              {PEOPLE_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`people.sort.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="min-h-11 rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
            {t("dashboard.apply")}
          </button>
        </Form>
      </Card>
      <Card>
        <p role="status" className="mb-3 text-slate-700">
          {t("people.count", { total, page, pages })}
        </p>
        <TableRegion label={t("people.title")}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className="py-2 pr-4">{t("field.name")}</th>
                <th scope="col" className="py-2 pr-4">{t("field.department")}</th>
                <th scope="col" className="py-2 pr-4">{t("field.profession")}</th>
                <th scope="col" className="py-2 pr-4">{t("people.status")}</th>
                <th scope="col" className="py-2 pr-4">{t("people.due")}</th>
                <th scope="col" className="py-2">{t("certificate.validUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="border-b last:border-0">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    <Link to={`/org/${params.orgId}/people/${row.id}`} className="underline">
                      {row.name}
                    </Link>
                    <span className="block text-slate-600">{row.email}</span>
                  </th>
                  <td className="py-2 pr-4">{row.departmentId ? departments.get(row.departmentId) : "–"}</td>
                  <td className="py-2 pr-4">{t(`profession.${row.profession as (typeof PROFESSIONS)[number]}`)}</td>
                  <td className="py-2 pr-4">
                    <span className={`inline-block rounded-full px-2 py-0.5 ${STATUS_STYLES[row.status] ?? "bg-slate-100 text-slate-900"}`}>{t(`people.status.${row.status}`)}</span>
                  </td>
                  <td className="py-2 pr-4">{row.dueAt ? formatDate(row.dueAt, locale) : "–"}</td>
                  <td className="py-2">{row.expiresOn ? formatCalendarDay(row.expiresOn, locale) : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        {pages > 1 ? (
          <nav aria-label={t("people.pages")} className="mt-4 flex gap-4">
            {page > 1 ? (
              <Link to={pageLink(page - 1)} className="underline">
                {t("people.previous")}
              </Link>
            ) : null}
            {page < pages ? (
              <Link to={pageLink(page + 1)} className="underline">
                {t("people.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}
