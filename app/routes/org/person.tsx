import { data, redirect, useActionData, useRouteLoaderData } from "react-router";
import { formatCertificateCode } from "~/certificates/code.ts";
import { certificateState } from "~/certificates/expiry.ts";
import { revokeCertificate } from "~/certificates/revoke-certificate.server.ts";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CertificateStateBadge } from "~/components/certificate-details.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { CheckboxGroup, Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { getMember, updateMembership } from "~/domain/organisations.server.ts";
import { formatCalendarDay, formatDate, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { getPersonTraining } from "~/organisers/person-training.server.ts";
import { exemptFromAssignment, extendDueDate } from "~/organisers/training-rules.server.ts";
import { deleteAccountAsAdmin, leaveOrganisation } from "~/privacy/account.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orFormError, toResponse } from "~/utils/errors.server.ts";
import { parseForm, QUIZ_TIME_FACTORS, UpdateMembershipSchema } from "~/utils/forms.ts";
import { ROLES } from "~/utils/roles.ts";
import type { Route } from "./+types/person";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  try {
    const locale = await resolveLocale(request, user);
    const [member, training] = await Promise.all([getMember({ actor: user, organisationId: params.orgId, userId: params.userId }), getPersonTraining({ actor: user, organisationId: params.orgId, userId: params.userId, locale })]);
    const now = new Date();
    return {
      ...member,
      training,
      timeZone: training.timeZone,
      certificates: member.certificates.map((c) => ({ code: c.code, courseTitle: c.courseTitle as Record<string, string>, expiresOn: c.expiresOn, revocationReason: c.revocationReason, state: certificateState(c, now, c.timeZone) })),
    };
  } catch (error) {
    if (error instanceof DomainError) throw toResponse(error);
    throw error;
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "extend") {
    const result = await orFormError(() => extendDueDate({ actor: user, organisationId: params.orgId, userId: params.userId, enrolmentId: String(form.get("enrolmentId") ?? ""), dueOn: String(form.get("dueOn") ?? ""), reason: String(form.get("reason") ?? "") }));
    if (!result.ok) return result.response;
    return { fieldErrors: {}, formError: undefined, message: "person.extended" };
  }
  if (form.get("intent") === "exempt") {
    const result = await orFormError(() => exemptFromAssignment({ actor: user, organisationId: params.orgId, userId: params.userId, enrolmentId: String(form.get("enrolmentId") ?? ""), reason: String(form.get("reason") ?? "") }));
    if (!result.ok) return result.response;
    return { fieldErrors: {}, formError: undefined, message: "person.exempted" };
  }
  if (form.get("intent") === "end-membership") {
    const result = await orFormError(() => leaveOrganisation({ actor: user, organisationId: params.orgId, userId: params.userId }));
    if (!result.ok) return result.response;
    return redirect(`/org/${params.orgId}`);
  }
  if (form.get("intent") === "delete-account") {
    const result = await orFormError(() => deleteAccountAsAdmin({ actor: user, userId: params.userId }));
    if (!result.ok) return result.response;
    return redirect(`/org/${params.orgId}`);
  }
  if (form.get("intent") === "revoke") {
    const result = await orFormError(() => revokeCertificate({ actor: user, code: String(form.get("code") ?? ""), reason: String(form.get("reason") ?? "") }));
    if (!result.ok) return result.response;
    return { fieldErrors: {}, formError: undefined, message: "revoke.done" };
  }
  const parsed = parseForm(UpdateMembershipSchema, form);
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  try {
    await updateMembership({ actor: user, organisationId: params.orgId, userId: params.userId, roles: parsed.data.roles, departmentId: parsed.data.departmentId || undefined, quizTimeFactor: parsed.data.quizTimeFactor, organiserDepartmentIds: parsed.data.organiserDepartmentIds });
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
  return { fieldErrors: {}, formError: undefined, message: "settings.saved" };
}

export default function Person({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  const { membership, departments, certificates, wholeOrganisation } = loaderData;
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const root = useRouteLoaderData("root") as { user?: { isAdmin: boolean } | null } | undefined;
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageHeading lead={`${membership.user.email} · ${t(`profession.${membership.user.profession}`)}`}>{membership.user.name}</PageHeading>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("org.membership")}</h2>
        {wholeOrganisation ? (
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
            <CheckboxGroup legend={t("scope.legend")} name="organiserDepartmentIds" errors={result?.fieldErrors} options={departments.map((d) => ({ value: d.id, label: d.name }))} defaultValues={membership.organiserDepartmentIds} />
            <p className="text-sm text-slate-700">{t("scope.hint")}</p>
            <SubmitButton>{t("settings.save")}</SubmitButton>
          </Form>
        ) : (
          // Roles and departments are the whole organisation's organisers' to change.
          <dl className="grid gap-x-4 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-slate-600">{t("field.department")}</dt>
            <dd>{(membership.departmentId && departmentName.get(membership.departmentId)) || "—"}</dd>
            <dt className="text-slate-600">{t("field.roles")}</dt>
            <dd>{membership.roles.map((role) => t(`role.${role}` as never)).join(", ")}</dd>
          </dl>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("org.certificates")}</h2>
        {certificates.length === 0 ? <p>{t("revoke.none")}</p> : null}
        <ul className="space-y-4">
          {certificates.map((certificate) => (
            <li key={certificate.code} className="rounded-md border border-slate-200 p-3">
              <p className="flex flex-wrap items-center gap-2">
                <CertificateStateBadge state={certificate.state} />
                <span className="font-medium">{pick(certificate.courseTitle, locale)}</span>
              </p>
              <p className="mt-1 text-sm text-slate-700">
                <span className="font-mono">{formatCertificateCode(certificate.code)}</span> · {t("certificate.validUntil")} {formatCalendarDay(certificate.expiresOn, locale)}
              </p>
              {certificate.revocationReason ? <p className="mt-1 text-sm">{t("check.revokedReason")}: {certificate.revocationReason}</p> : null}
              <div className="mt-2 flex flex-wrap gap-3 text-sm">
                <a href={`/certificates/${certificate.code}/pdf`} className="text-brand-700 underline" download>
                  {t("certificates.download")}
                </a>
              </div>
              {certificate.state !== "revoked" ? (
                <Form method="post" className="mt-3 space-y-2" noValidate>
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="code" value={certificate.code} />
                  <Field label={t("revoke.reason")} name="reason" required minLength={5} maxLength={500} errors={result?.fieldErrors} />
                  <SubmitButton variant="secondary">{t("revoke.submit")}</SubmitButton>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("person.training")}</h2>
        {loaderData.training.enrolments.length === 0 ? <p>{t("person.noTraining")}</p> : null}
        <ul className="space-y-4">
          {loaderData.training.enrolments.map((enrolment) => (
            <li key={enrolment.id} className="rounded-md border border-slate-200 p-3">
              <p className="font-medium">
                {pick(enrolment.title, locale)} {enrolment.kind === "RENEWAL" ? <span className="text-sm font-normal text-slate-600">({t("course.recertificationModule")})</span> : null}
              </p>
              <dl className="mt-1 grid gap-x-4 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="text-slate-600">{t("person.progress")}</dt>
                <dd>{enrolment.completedAt ? `${t("people.status.completed")} · ${formatDate(enrolment.completedAt, locale, loaderData.timeZone)}` : enrolment.exemptedAt ? t("person.exemptedBecause", { reason: enrolment.exemptionReason ?? "" }) : enrolment.startedAt ? t("people.status.in_progress") : t("people.status.not_started")}</dd>
                {enrolment.dueAt ? (
                  <>
                    <dt className="text-slate-600">{t("person.dueOn")}</dt>
                    <dd>
                      {formatDate(enrolment.dueAt, locale, loaderData.timeZone)}
                      {enrolment.extensions.map((x) => (
                        <span key={x.createdAt.toString()} className="block text-slate-600">
                          {t("person.extendedTo", { date: formatDate(x.dueAt, locale, loaderData.timeZone), reason: x.reason })}
                        </span>
                      ))}
                    </dd>
                  </>
                ) : null}
                <dt className="text-slate-600">{t("person.quiz")}</dt>
                <dd>
                  {enrolment.attempts}
                  {enrolment.bestScore !== null ? ` · ${enrolment.bestScore} %` : ""}
                </dd>
              </dl>
              {!enrolment.completedAt && !enrolment.exemptedAt && !membership.endedAt ? (
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("person.extend")} / {t("person.exempt")}</summary>
                  <Form method="post" className="mt-2 grid gap-3 sm:grid-cols-2">
                    <input type="hidden" name="enrolmentId" value={enrolment.id} />
                    <Field label={t("person.newDue")} name="dueOn" type="date" errors={result?.fieldErrors} />
                    <Field label={t("person.reason")} name="reason" required minLength={5} maxLength={500} errors={result?.fieldErrors} />
                    <div className="flex flex-wrap gap-3 sm:col-span-2">
                      <SubmitButton name="intent" value="extend" variant="secondary">
                        {t("person.extend")}
                      </SubmitButton>
                      <SubmitButton name="intent" value="exempt" variant="secondary">
                        {t("person.exempt")}
                      </SubmitButton>
                    </div>
                  </Form>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      {loaderData.training.history.length ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t("person.history")}</h2>
          <ul className="space-y-1 text-sm">
            {loaderData.training.history.map((event) => (
              <li key={event.id}>
                {event.time} · {event.action} · {event.actor}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {membership.endedAt ? (
        <p className="text-slate-700">{t("org.formerMember")}</p>
      ) : (
        <Card>
          <h2 className="text-lg font-semibold">{t("org.endMembershipTitle")}</h2>
          <p className="mt-1 text-slate-700">{t("org.endMembershipLead")}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="end-membership" />
            <SubmitButton variant="secondary">{t("org.endMembership")}</SubmitButton>
          </Form>
        </Card>
      )}
      {root?.user?.isAdmin ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("org.deleteAccountTitle")}</h2>
          <p className="mt-1 text-slate-700">{t("org.deleteAccountLead")}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="delete-account" />
            <SubmitButton variant="secondary">{t("org.deleteAccount")}</SubmitButton>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
