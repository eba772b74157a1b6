import { data, useActionData } from "react-router";
import type { Route } from "./+types/person";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CheckboxGroup, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { getMember, updateMembership } from "~/domain/organisations.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { parseForm, QUIZ_TIME_FACTORS, UpdateMembershipSchema } from "~/utils/forms.ts";
import { ROLES } from "~/utils/roles.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  try {
    return await getMember({ actor: user, organisationId: params.orgId, userId: params.userId });
  } catch (error) {
    if (error instanceof DomainError) throw toResponse(error);
    throw error;
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(UpdateMembershipSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  try {
    await updateMembership({ actor: user, organisationId: params.orgId, userId: params.userId, roles: parsed.data.roles, departmentId: parsed.data.departmentId || undefined, quizTimeFactor: parsed.data.quizTimeFactor });
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
  return { fieldErrors: {}, formError: undefined, message: "settings.saved" };
}

export default function Person({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  const { membership, departments } = loaderData;
  return (
    <div className="space-y-6">
      <PageHeading lead={`${membership.user.email} · ${t(`profession.${membership.user.profession}`)}`}>{membership.user.name}</PageHeading>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("org.membership")}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={result?.message} />
          <FormErrorMessage error={result?.formError} />
          <input type="hidden" name="intent" value="update" />
          <SelectField label={t("field.department")} name="departmentId" defaultValue={membership.departmentId ?? ""} errors={result?.fieldErrors} options={[{ value: "", label: t("org.noDepartment") }, ...departments.map((d) => ({ value: d.id, label: d.name }))]} />
          <CheckboxGroup legend={t("field.roles")} name="roles" errors={result?.fieldErrors} options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} defaultValues={membership.roles} />
          <SelectField
            label={t("org.extraTime")}
            name="quizTimeFactor"
            defaultValue={String(membership.quizTimeFactor)}
            errors={result?.fieldErrors}
            options={QUIZ_TIME_FACTORS.map((factor) => ({ value: String(factor), label: factor === 1 ? t("org.extraTimeNone") : t("org.extraTimePercent", { percent: Math.round((factor - 1) * 100) }) }))}
          />
          <SubmitButton>{t("settings.save")}</SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
