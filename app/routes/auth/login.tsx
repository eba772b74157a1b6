import { data, Link, redirect, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/login";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SubmitButton } from "~/components/form.tsx";
import { logIn } from "~/domain/log-in.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { translator } from "~/i18n/index.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";
import { LogInSchema, parseForm } from "~/utils/forms.ts";
import { createSessionCookie, getSessionUser, safeRedirectPath } from "~/utils/session.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  if (await getSessionUser(request)) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const parsed = parseForm(LogInSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  try {
    const { userId } = await logIn({ email: parsed.data.email, password: parsed.data.password, clientIp: context.clientIp });
    const cookie = await createSessionCookie(request, userId);
    return redirect(safeRedirectPath(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    if (error instanceof DomainError) return toResponse(error);
    throw error;
  }
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const notice = params.get("notice");
  return (
    <div className="mx-auto max-w-md">
      <PageHeading>{t("login.title")}</PageHeading>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormNotice message={notice === "verified" ? "verify.done" : notice === "reset" ? "reset.done" : undefined} />
          <FormErrorMessage error={result?.formError} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <Field label={t("field.email")} name="email" type="email" autoComplete="username" required errors={result?.fieldErrors} />
          <Field label={t("field.password")} name="password" type="password" autoComplete="current-password" required errors={result?.fieldErrors} />
          <SubmitButton>{t("login.submit")}</SubmitButton>
        </Form>
        <div className="mt-4 flex flex-wrap justify-between gap-2 text-sm">
          <Link to="/forgot-password" className="text-brand-700 underline">
            {t("login.forgot")}
          </Link>
          <Link to="/signup" className="text-brand-700 underline">
            {t("login.noAccount")}
          </Link>
        </div>
      </Card>
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("login.title")} · Opora` }];
}
