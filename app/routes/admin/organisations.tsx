import { data, Link, useActionData } from "react-router";
import type { Route } from "./+types/organisations";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SubmitButton } from "~/components/form.tsx";
import { createOrganisation } from "~/domain/organisations.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireAdmin } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { CreateOrganisationSchema, parseForm } from "~/utils/forms.ts";

export async function loader({ request }: Route.LoaderArgs) {
  await requireAdmin(request);
  const organisations = await db.organisation.findMany({
    where: { archivedAt: null },
    select: { id: true, name: true, timeZone: true, _count: { select: { memberships: true, departments: true } } },
    orderBy: { name: "asc" },
  });
  return { organisations };
}

export async function action({ request }: Route.ActionArgs) {
  const admin = await requireAdmin(request);
  const parsed = parseForm(CreateOrganisationSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  try {
    await createOrganisation({ actor: admin, name: parsed.data.name, timeZone: parsed.data.timeZone, departments: (parsed.data.departments ?? "").split(/\r?\n/) });
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
  return { fieldErrors: {}, formError: undefined, message: "admin.created" };
}

export default function Organisations({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="space-y-6">
      <PageHeading lead={t("admin.lead")}>{t("admin.title")}</PageHeading>
      <p>
        <Link to="/admin/audit" className="font-medium underline">
          {t("audit.link")}
        </Link>
      </p>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("admin.organisations")}</h2>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className="py-2 pr-4">{t("field.organisationName")}</th>
                <th scope="col" className="py-2 pr-4">{t("field.timeZone")}</th>
                <th scope="col" className="py-2 pr-4">{t("admin.members")}</th>
                <th scope="col" className="py-2">{t("admin.departments")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.organisations.map((organisation) => (
                <tr key={organisation.id} className="border-b last:border-0">
                  <td className="py-2 pr-4">
                    <Link to={`/org/${organisation.id}`} className="text-brand-700 underline">
                      {organisation.name}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">{organisation.timeZone}</td>
                  <td className="py-2 pr-4">{organisation._count.memberships}</td>
                  <td className="py-2">{organisation._count.departments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("admin.create")}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={result?.message} />
          <FormErrorMessage error={result?.formError} />
          <input type="hidden" name="intent" value="create" />
          <Field label={t("field.organisationName")} name="name" required errors={result?.fieldErrors} />
          <Field label={t("field.timeZone")} name="timeZone" defaultValue="Europe/Ljubljana" errors={result?.fieldErrors} />
          <div>
            <label htmlFor="departments" className="block text-sm font-medium">
              {t("field.departments")}
            </label>
            <p id="departments-hint" className="text-sm text-slate-600">
              {t("field.departmentsHint")}
            </p>
            <textarea id="departments" name="departments" rows={3} aria-describedby="departments-hint" className="mt-1 block w-full rounded-md border border-slate-400 px-3 py-2" />
          </div>
          <SubmitButton>{t("admin.createSubmit")}</SubmitButton>
        </Form>
        <p className="mt-4 text-sm text-slate-700">{t("admin.nameOrganisers")}</p>
      </Card>
    </div>
  );
}
