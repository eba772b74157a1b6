import { data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/reset-password";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { resetPassword } from "~/domain/reset-password.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { parseForm, ResetPasswordSchema } from "~/utils/forms.ts";

export function loader({ request }: Route.LoaderArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request }: Route.ActionArgs) {
  const parsed = parseForm(ResetPasswordSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: parsed.fieldErrors.token ? "reset.invalidLink" : undefined }, { status: 400 });
  try {
    await resetPassword(parsed.data);
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
  return redirect("/login?notice=reset");
}

export default function ResetPassword({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading>{t("reset.title")}</PageHeading>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormErrorMessage error={result?.formError} />
          <input type="hidden" name="token" value={loaderData.token} />
          <Field label={t("field.newPassword")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("field.passwordHint")} errors={result?.fieldErrors} />
          <SubmitButton>{t("reset.submit")}</SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
