import { Form, Link } from "react-router";
import { Card } from "~/components/app-shell.tsx";
import { Field, FormErrorMessage, SelectField, SubmitButton } from "~/components/form.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { useT } from "~/i18n/use-t.ts";
import type { getAuditLog } from "./audit-log.server.ts";

// The audit log as admins (/admin/audit) and organisers (/org/:orgId/audit) read it: a filter, the
// events newest first, a CSV of the same filter and a link to older entries.

type AuditLog = Awaited<ReturnType<typeof getAuditLog>>;
const FILTER_FIELDS = ["action", "organisation", "from", "to", "person"];

/** The filters as a query string, without the page cursor: for the CSV and for "back to the newest". */
function filterQuery(filters: AuditLog["filters"]) {
  const params = new URLSearchParams();
  for (const key of FILTER_FIELDS) {
    const value = filters[key as keyof typeof filters];
    if (value) params.set(key, value);
  }
  return params.toString();
}

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

export function AuditLogView({ log, path, csvPath }: { log: AuditLog; path: string; csvPath: string }) {
  const t = useT();
  const { filters, problem, rows } = log;
  const errors = problem ? { [problem.field]: [problem.messageKey] } : {};
  const formError = problem && !FILTER_FIELDS.includes(problem.field) ? problem.messageKey : undefined;
  const query = filterQuery(filters);
  const showOrganisation = log.scope.organisationId === null;
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("audit.filters")}</h2>
        {/* Remounted per filter so that the fields show what the URL says after back and forward. */}
        <Form key={JSON.stringify(filters)} method="get" action={path} className="space-y-4" noValidate>
          <FormErrorMessage error={formError} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField label={t("audit.action")} name="action" defaultValue={filters.action ?? ""} errors={errors} options={[{ value: "", label: t("audit.allActions") }, ...log.actions]} />
            {showOrganisation ? (
              <SelectField
                label={t("audit.organisation")}
                name="organisation"
                defaultValue={filters.organisation ?? ""}
                errors={errors}
                options={[{ value: "", label: t("audit.allOrganisations") }, ...log.organisations.map((o) => ({ value: o.id, label: o.name }))]}
              />
            ) : null}
            <Field label={t("audit.from")} name="from" type="date" defaultValue={filters.from ?? ""} errors={errors} />
            <Field label={t("audit.to")} name="to" type="date" defaultValue={filters.to ?? ""} errors={errors} />
            <Field label={t("audit.person")} name="person" type="search" defaultValue={filters.person ?? ""} hint={t("audit.personHint")} errors={errors} autoComplete="off" />
          </div>
          <SubmitButton>{t("audit.apply")}</SubmitButton>
        </Form>
      </Card>
      <Card>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">{t("audit.events")}</h2>
          {problem ? null : (
            <a href={withQuery(csvPath, query)} className="text-brand-700 underline">
              {t("audit.downloadCsv")}
            </a>
          )}
        </div>
        {log.personFound === false ? (
          <p role="status" className="mb-3 text-slate-700">
            {t("audit.noPerson", { person: filters.person ?? "" })}
          </p>
        ) : null}
        {rows.length === 0 ? (
          <p>{t("audit.none")}</p>
        ) : (
          <TableRegion label={t("audit.title")}>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b align-bottom">
                  <th scope="col" className="py-2 pr-4">
                    {t("audit.time", { zone: log.scope.timeZone })}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("audit.actor")}
                  </th>
                  {showOrganisation ? (
                    <th scope="col" className="py-2 pr-4">
                      {t("audit.organisation")}
                    </th>
                  ) : null}
                  <th scope="col" className="py-2 pr-4">
                    {t("audit.action")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("audit.subject")}
                  </th>
                  <th scope="col" className="py-2">
                    {t("audit.details")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className="border-b align-top last:border-0">
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <time dateTime={row.at}>{row.time}</time>
                    </td>
                    <td className="py-2 pr-4">
                      {row.actor}
                      {row.role ? <span className="block text-slate-600">{row.role}</span> : null}
                    </td>
                    {showOrganisation ? <td className="py-2 pr-4">{row.organisation ?? "–"}</td> : null}
                    <td className="py-2 pr-4">{row.actionLabel}</td>
                    <td className="py-2 pr-4 break-words">{row.subject ?? "–"}</td>
                    <td className="py-2 break-words">{row.summary || "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        <p className="mt-3 text-sm text-slate-600">{t("audit.csvHint")}</p>
        {log.nextCursor || filters.before ? (
          <nav aria-label={t("audit.pages")} className="mt-4 flex flex-wrap gap-4">
            {filters.before ? (
              <Link to={withQuery(path, query)} className="text-brand-700 underline">
                {t("audit.newest")}
              </Link>
            ) : null}
            {log.nextCursor ? (
              <Link to={withQuery(path, [query, `before=${encodeURIComponent(log.nextCursor)}`].filter(Boolean).join("&"))} className="text-brand-700 underline">
                {t("audit.older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}
