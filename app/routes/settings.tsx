import { data, Link, useActionData } from "react-router";
import type { Route } from "./+types/settings";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { changePassword } from "~/domain/reset-password.server.ts";
import { updateProfile } from "~/domain/update-profile.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { ChangePasswordSchema, parseForm, ProfileSchema } from "~/utils/forms.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { createSessionCookie, forgetSessionUser } from "~/utils/session.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const profile = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true, email: true, profession: true, locale: true, licenceNumber: true } });
  return { profile };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "password") {
    const parsed = parseForm(ChangePasswordSchema, form);
    if (!parsed.success) return data({ intent: "password", fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
    try {
      await changePassword({ userId: user.id, currentPassword: parsed.data.currentPassword, password: parsed.data.password });
    } catch (error) {
      if (error instanceof DomainError) return toResponse(error);
      throw error;
    }
    // Every session ended with the password change; keep this browser signed in with a new one.
    return data({ intent: "password", fieldErrors: {}, formError: undefined, message: "settings.passwordChanged" }, { headers: { "Set-Cookie": await createSessionCookie(request, user.id) } });
  }
  const parsed = parseForm(ProfileSchema, form);
  if (!parsed.success) return data({ intent: "profile", fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  await updateProfile({ userId: user.id, ...parsed.data });
  forgetSessionUser(request);
  return { intent: "profile", fieldErrors: {}, formError: undefined, message: "settings.saved" };
}

export default function Settings({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  const { profile } = loaderData;
  const profileResult = result && "intent" in result && result.intent === "profile" ? result : undefined;
  const passwordResult = result && (!("intent" in result) || result.intent === "password") ? result : undefined;
  return (
    <div className="space-y-6">
      <PageHeading>{t("settings.title")}</PageHeading>
      <p>
        <Link to="/settings/privacy" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          {t("privacy.link")}
        </Link>
        {" · "}
        <Link to="/me/reminders" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          {t("reminders.title")}
        </Link>
      </p>
      <p>
        <Link to="/me/access" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          {t("access.link")}
        </Link>
      </p>
      <Card>
        <h2 className="mb-4 text-lg font-semibold">{t("settings.profile")}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={profileResult?.message} />
          <input type="hidden" name="intent" value="profile" />
          <p className="text-sm text-slate-700">{t("settings.email", { email: profile.email })}</p>
          <Field label={t("field.name")} name="name" defaultValue={profile.name} autoComplete="name" required errors={profileResult?.fieldErrors} />
          <SelectField label={t("field.profession")} name="profession" defaultValue={profile.profession} errors={profileResult?.fieldErrors} options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} />
          <SelectField label={t("field.language")} name="locale" defaultValue={profile.locale} errors={profileResult?.fieldErrors} options={[{ value: "sl", label: "Slovenščina" }, { value: "en", label: "English" }]} />
          <Field label={t("field.licenceNumber")} name="licenceNumber" defaultValue={profile.licenceNumber ?? ""} hint={t("field.licenceHint")} errors={profileResult?.fieldErrors} />
          <SubmitButton>{t("settings.save")}</SubmitButton>
        </Form>
      </Card>
      <Card>
        <h2 className="mb-4 text-lg font-semibold">{t("settings.password")}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={passwordResult && "message" in passwordResult ? passwordResult.message : undefined} />
          <FormErrorMessage error={passwordResult?.formError} />
          <input type="hidden" name="intent" value="password" />
          <Field label={t("field.currentPassword")} name="currentPassword" type="password" autoComplete="current-password" required errors={passwordResult?.fieldErrors} />
          <Field label={t("field.newPassword")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("field.passwordHint")} errors={passwordResult?.fieldErrors} />
          <SubmitButton>{t("settings.changePassword")}</SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
