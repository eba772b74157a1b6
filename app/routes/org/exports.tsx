import { data, Link, redirect, useActionData } from "react-router";
import { certificateExportPage, ExportFilterSchema, requestCertificateExport } from "~/certificates/exports.server.ts";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { Field, Form, FormErrorMessage, SelectField, SubmitButton } from "~/components/form.tsx";
import { formatDateTime, pick } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";
import { parseForm, withoutEmptyFields } from "~/utils/forms.ts";
import type { Route } from "./+types/exports";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => certificateExportPage({ actor: user, organisationId: params.orgId }));
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = withoutEmptyFields(await request.formData());
  form.set("locale", await resolveLocale(request, user));
  const parsed = parseForm(ExportFilterSchema, form);
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  const result = await orFormError(() => requestCertificateExport({ actor: user, organisationId: params.orgId, filter: parsed.data }));
  if (!result.ok) return result.response;
  return redirect(`/org/${params.orgId}/exports/${result.value.id}`);
}

const STATES = ["current", "valid", "expiring", "expired", "revoked", "superseded", "all"] as const;

export default function CertificateExports({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const fieldErrors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  const { organisation, courses, exports } = loaderData;
  return (
    <div className="space-y-6">
      <PageHeading lead={t("exports.lead")}>{t("exports.title")}</PageHeading>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <p>
        <Link to={`/org/${params.orgId}`} className="underline">
          {organisation.name}
        </Link>
      </p>
      <Card>
        <Form method="post" className="grid gap-4 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <FormErrorMessage error={result && "formError" in result ? result.formError : undefined} />
          </div>
          <SelectField label={t("exports.course")} name="courseId" errors={fieldErrors} options={[{ value: "", label: t("exports.anyCourse") }, ...courses.map((c) => ({ value: c.id, label: pick(c.title, locale) }))]} />
          <SelectField label={t("exports.department")} name="departmentId" errors={fieldErrors} options={[{ value: "", label: t("exports.anyDepartment") }, ...organisation.departments.map((d) => ({ value: d.id, label: d.name }))]} />
          <SelectField label={t("exports.state")} name="state" errors={fieldErrors} defaultValue="current" options={STATES.map((state) => ({ value: state, label: t(`exports.state.${state}`) }))} />
          <div className="grid grid-cols-2 gap-3">
            <Field label={t("exports.issuedFrom")} name="issuedFrom" type="date" errors={fieldErrors} />
            <Field label={t("exports.issuedTo")} name="issuedTo" type="date" errors={fieldErrors} />
          </div>
          <div className="sm:col-span-2">
            <SubmitButton>{t("exports.create")}</SubmitButton>
          </div>
        </Form>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("exports.recent")}</h2>
        {exports.length ? (
          <ul className="divide-y divide-slate-100">
            {exports.map((item) => (
              <li key={item.id} className="flex flex-wrap justify-between gap-2 py-2">
                <Link to={`/org/${params.orgId}/exports/${item.id}`} className="underline">
                  {formatDateTime(item.createdAt, locale)}
                </Link>
                <span className="text-slate-700">
                  {t(`exports.status.${item.status}`)} · {t("exports.progress", { done: item.done, total: item.total })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">{t("exports.none")}</p>
        )}
      </Card>
    </div>
  );
}
