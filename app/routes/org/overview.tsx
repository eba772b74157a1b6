import { data, Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CheckboxGroup, Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { AttendeeListForm } from "~/cpd/attendee-list-form.tsx";
import { listAttendeeCourses } from "~/cpd/attendees.server.ts";
import { inviteMember } from "~/domain/invitations.server.ts";
import { addDepartment, getOrganisationOverview } from "~/domain/organisations.server.ts";
import { formatDate } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { AddDepartmentSchema, InviteSchema, parseForm } from "~/utils/forms.ts";
import { ROLES } from "~/utils/roles.ts";
import type { Route } from "./+types/overview";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  try {
    const overview = await getOrganisationOverview({ actor: user, organisationId: params.orgId });
    return { ...overview, attendeeCourses: await listAttendeeCourses({ actor: user, organisationId: params.orgId }) };
  } catch (error) {
    if (error instanceof DomainError) throw toResponse(error);
    throw error;
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "department") {
      const parsed = parseForm(AddDepartmentSchema, form);
      if (!parsed.success) return data({ intent, fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
      await addDepartment({ actor: user, organisationId: params.orgId, name: parsed.data.name });
      return { intent, fieldErrors: {}, formError: undefined, message: "org.departmentAdded" };
    }
    const parsed = parseForm(InviteSchema, form);
    if (!parsed.success) return data({ intent: "invite", fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
    const result = await inviteMember({ actor: user, organisationId: params.orgId, ...parsed.data, locale: await resolveLocale(request, user) });
    return { intent: "invite", fieldErrors: {}, formError: undefined, message: result.addedExistingUser ? "org.memberAdded" : "org.invited" };
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
}

export default function OrganisationOverview({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const { organisation, members, invitations, wholeOrganisation } = loaderData;
  const inviteResult = result && (!("intent" in result) || result.intent === "invite") ? result : undefined;
  const departmentResult = result && "intent" in result && result.intent === "department" ? result : undefined;
  // A department organiser invites learners into their departments; roles are the whole organisation's to give.
  const roleOptions = (wholeOrganisation ? ROLES : (["LEARNER"] as const)).map((role) => ({ value: role, label: t(`role.${role}`) }));
  const departmentOptions = [...(wholeOrganisation ? [{ value: "", label: t("org.noDepartment") }] : []), ...organisation.departments.map((d) => ({ value: d.id, label: d.name }))];
  const roleLabel = (role: string, organiserDepartments: string[]) => (role === "ORGANISER" && organiserDepartments.length ? t("scope.ofDepartments", { role: t("role.ORGANISER"), departments: organiserDepartments.join(", ") }) : t(`role.${role}` as never));
  return (
    <div className="space-y-6">
      <PageHeading lead={t("org.lead")}>{organisation.name}</PageHeading>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <p>
        <Link to={`/org/${organisation.id}/dashboard`} className="font-medium underline">
          {t("dashboard.link")}
        </Link>
        {" · "}
        <Link to={`/org/${organisation.id}/people`} className="font-medium underline">
          {t("people.title")}
        </Link>
        {wholeOrganisation ? (
          <>
            {" · "}
            <Link to={`/org/${organisation.id}/referrals`} className="font-medium underline">
              {t("referrals.title")}
            </Link>
          </>
        ) : null}
        {" · "}
        <Link to={`/org/${organisation.id}/exports`} className="font-medium underline">
          {t("exports.link")}
        </Link>
        {wholeOrganisation ? (
          <>
            {" · "}
            <Link to={`/org/${organisation.id}/audit`} className="font-medium underline">
              {t("audit.link")}
            </Link>
          </>
        ) : null}
      </p>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("org.people", { count: members.length })}</h2>
        <TableRegion label={t("org.people", { count: members.length })}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th scope="col" className="py-2 pr-4">{t("field.name")}</th>
                <th scope="col" className="py-2 pr-4">{t("field.profession")}</th>
                <th scope="col" className="py-2 pr-4">{t("field.department")}</th>
                <th scope="col" className="py-2">{t("field.roles")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.user.id} className="border-b last:border-0">
                  <td className="py-2 pr-4">
                    <Link to={`/org/${organisation.id}/people/${member.user.id}`} className="text-brand-700 underline">
                      {member.user.name}
                    </Link>
                    <div className="text-slate-600">{member.user.email}</div>
                  </td>
                  <td className="py-2 pr-4">{t(`profession.${member.user.profession}`)}</td>
                  <td className="py-2 pr-4">{member.department?.name ?? "—"}</td>
                  <td className="py-2">{member.roles.map((role) => roleLabel(role, member.organiserDepartments)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("org.invite")}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={inviteResult?.message} />
          <FormErrorMessage error={inviteResult?.formError} />
          <input type="hidden" name="intent" value="invite" />
          <Field label={t("field.email")} name="email" type="email" required errors={inviteResult?.fieldErrors} />
          <Field label={t("field.nameOptional")} name="name" errors={inviteResult?.fieldErrors} />
          <SelectField label={t("field.department")} name="departmentId" errors={inviteResult?.fieldErrors} options={departmentOptions} />
          <CheckboxGroup legend={t("field.roles")} name="roles" errors={inviteResult?.fieldErrors} options={roleOptions} defaultValues={["LEARNER"]} />
          <SubmitButton>{t("org.inviteSubmit")}</SubmitButton>
        </Form>
        <p className="mt-4">
          <Link to={`/org/${organisation.id}/invite-import`} className="font-medium underline">
            {t("invitationImport.link")}
          </Link>
        </p>
        {invitations.length ? (
          <>
            <h3 className="mt-6 mb-2 font-semibold">{t("org.pending")}</h3>
            <ul className="space-y-1 text-sm">
              {invitations.map((invitation) => (
                <li key={invitation.id}>
                  {invitation.email} · {invitation.roles.map((role) => t(`role.${role}`)).join(", ")} · {t("org.expires", { date: formatDate(invitation.expiresAt, locale, organisation.timeZone) })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Card>
      <AttendeeListForm organisationId={organisation.id} courses={loaderData.attendeeCourses} />
      {wholeOrganisation ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t("admin.departments")}</h2>
          <ul className="mb-4 list-disc pl-6">
            {organisation.departments.map((department) => (
              <li key={department.id}>{department.name}</li>
            ))}
          </ul>
          <Form method="post" className="flex flex-wrap items-end gap-3" noValidate>
            <FormNotice message={departmentResult?.message} />
            <input type="hidden" name="intent" value="department" />
            <div className="min-w-60 flex-1">
              <Field label={t("org.newDepartment")} name="name" required errors={departmentResult?.fieldErrors} />
            </div>
            <SubmitButton variant="secondary">{t("org.addDepartment")}</SubmitButton>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
