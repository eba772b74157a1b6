import { data, Link, redirect, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, SelectField, SubmitButton } from "~/components/form.tsx";
import { acceptInvitation, findInvitation } from "~/domain/invitations.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { AcceptInvitationSchema, parseForm } from "~/utils/forms.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { createSessionCookie, getSessionUser } from "~/utils/session.server.ts";
import type { Route } from "./+types/invite";

export async function loader({ request, params }: Route.LoaderArgs) {
  const invitation = await findInvitation(params.token);
  if (!invitation) return { valid: false as const };
  const user = await getSessionUser(request);
  return {
    valid: true as const,
    organisation: invitation.organisation.name,
    email: invitation.email,
    name: invitation.name ?? "",
    profession: invitation.profession ?? undefined,
    hasAccount: invitation.hasAccount,
    signedInAsInvitee: user?.email === invitation.email,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData();
  form.set("token", params.token);
  const parsed = parseForm(AcceptInvitationSchema, form);
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  const user = await getSessionUser(request);
  try {
    const result = await acceptInvitation({ ...parsed.data, signedInUserId: user?.id ?? null, locale: await resolveLocale(request, user) });
    const headers = result.created ? { "Set-Cookie": await createSessionCookie(request, result.userId) } : undefined;
    return redirect("/", { headers });
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
}

export default function Invite({ loaderData, params }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  if (!loaderData.valid) {
    return (
      <div className="mx-auto max-w-md">
        <PageHeading>{t("invite.title")}</PageHeading>
        <Card>
          <FormErrorMessage error="invite.invalidLink" />
        </Card>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <PageHeading lead={t("invite.lead", { organisation: loaderData.organisation })}>{t("invite.title")}</PageHeading>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormErrorMessage error={result?.formError} />
          <p className="text-sm text-slate-700">{t("invite.for", { email: loaderData.email })}</p>
          {loaderData.hasAccount ? (
            loaderData.signedInAsInvitee ? (
              <SubmitButton>{t("invite.join")}</SubmitButton>
            ) : (
              <p>
                <Link to={`/login?redirectTo=${encodeURIComponent(`/invite/${params.token}`)}`} className="text-brand-700 underline">
                  {t("invite.signInFirst")}
                </Link>
              </p>
            )
          ) : (
            <>
              <Field label={t("field.name")} name="name" autoComplete="name" defaultValue={loaderData.name} required errors={result?.fieldErrors} />
              <SelectField label={t("field.profession")} name="profession" defaultValue={loaderData.profession} errors={result?.fieldErrors} options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} />
              <Field label={t("field.newPassword")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("field.passwordHint")} errors={result?.fieldErrors} />
              <SubmitButton>{t("invite.create")}</SubmitButton>
            </>
          )}
        </Form>
      </Card>
    </div>
  );
}
