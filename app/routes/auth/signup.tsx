import { data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/signup";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { signUp } from "~/domain/sign-up.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { parseForm, SignUpSchema } from "~/utils/forms.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import { getSessionUser } from "~/utils/session.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const parsed = parseForm(SignUpSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, done: false }, { status: 400 });
  const locale = parsed.data.locale ?? (await resolveLocale(request, null));
  await signUp({ ...parsed.data, locale });
  return { fieldErrors: {}, done: true };
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  const t = useT();
  if (result?.done) {
    return (
      <div className="mx-auto max-w-md">
        <PageHeading>{t("signup.checkEmailTitle")}</PageHeading>
        <Card>
          <FormNotice message="signup.checkEmail" />
        </Card>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <PageHeading lead={t("signup.lead")}>{t("signup.title")}</PageHeading>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormErrorMessage />
          <Field label={t("field.name")} name="name" autoComplete="name" required errors={result?.fieldErrors} />
          <Field label={t("field.email")} name="email" type="email" autoComplete="email" required errors={result?.fieldErrors} />
          <SelectField label={t("field.profession")} name="profession" errors={result?.fieldErrors} options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} />
          <Field label={t("field.newPassword")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("field.passwordHint")} errors={result?.fieldErrors} />
          <p className="text-sm text-slate-700">
            {t("legal.signupNote")}{" "}
            <a href="/terms" className="text-brand-700 underline">
              {t("legal.termsTitle")}
            </a>
            {" · "}
            <a href="/privacy" className="text-brand-700 underline">
              {t("legal.privacyTitle")}
            </a>
          </p>
          <SubmitButton>{t("signup.submit")}</SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
