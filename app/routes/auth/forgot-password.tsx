import { data, useActionData } from "react-router";
import type { Route } from "./+types/forgot-password";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormNotice, SubmitButton } from "~/components/form.tsx";
import { requestPasswordReset } from "~/domain/reset-password.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { ForgotPasswordSchema, parseForm } from "~/utils/forms.ts";

export async function action({ request }: Route.ActionArgs) {
  const parsed = parseForm(ForgotPasswordSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, done: false }, { status: 400 });
  await requestPasswordReset({ email: parsed.data.email });
  return { fieldErrors: {}, done: true };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading lead={t("forgot.lead")}>{t("forgot.title")}</PageHeading>
      <Card>
        {result?.done ? (
          <FormNotice message="forgot.sent" />
        ) : (
          <Form method="post" className="space-y-4" noValidate>
            <Field label={t("field.email")} name="email" type="email" autoComplete="email" required errors={result?.fieldErrors} />
            <SubmitButton>{t("forgot.submit")}</SubmitButton>
          </Form>
        )}
      </Card>
    </div>
  );
}
