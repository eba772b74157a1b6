import { data, Link, redirect, useActionData } from "react-router";
import type { Route } from "./+types/privacy";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SubmitButton } from "~/components/form.tsx";
import { formatCalendarDay, formatDate } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { cancelAccountDeletion, leaveOrganisation, privacyOverview, requestAccountDeletion, requestEmailChange } from "~/privacy/account.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orFormError } from "~/utils/errors.server.ts";
import { ChangeEmailSchema, DeleteAccountSchema, parseForm } from "~/utils/forms.ts";
import { forgetSessionUser, readSessionId } from "~/utils/session.server.ts";
import { hashSecret } from "~/utils/tokens.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const notice = new URL(request.url).searchParams.get("notice") === "email-changed" ? "privacy.emailChanged" : undefined;
  return { ...(await privacyOverview({ actor: user })), notice };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "email") {
    const parsed = parseForm(ChangeEmailSchema, form);
    if (!parsed.success) return data({ intent, fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
    const result = await orFormError(() => requestEmailChange({ actor: user, newEmail: parsed.data.newEmail, password: parsed.data.password }));
    if (!result.ok) return result.response;
    return { intent, fieldErrors: {}, formError: undefined, message: "privacy.emailSent" };
  }
  if (intent === "leave") {
    const result = await orFormError(() => leaveOrganisation({ actor: user, organisationId: String(form.get("organisationId") ?? "") }));
    if (!result.ok) return result.response;
    forgetSessionUser(request);
    return { intent, fieldErrors: {}, formError: undefined, message: "privacy.left" };
  }
  if (intent === "cancel-deletion") {
    await cancelAccountDeletion({ actor: user });
    return { intent, fieldErrors: {}, formError: undefined, message: "privacy.deletionCancelled" };
  }
  if (intent === "delete") {
    const parsed = parseForm(DeleteAccountSchema, form);
    if (!parsed.success) return data({ intent, fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
    const secret = await readSessionId(request);
    const result = await orFormError(() => requestAccountDeletion({ actor: user, password: parsed.data.password, currentSessionId: secret ? hashSecret(secret) : null }));
    if (!result.ok) return result.response;
    return redirect("/settings/privacy");
  }
  return data({ intent, fieldErrors: {}, formError: "errors.badRequest", message: undefined }, { status: 400 });
}

export default function Privacy({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const resultFor = (intent: string) => (result && "intent" in result && result.intent === intent ? result : undefined);
  const emailResult = resultFor("email");
  const deleteResult = resultFor("delete");
  const active = loaderData.memberships.filter((m) => !m.endedAt);
  const former = loaderData.memberships.filter((m) => m.endedAt);
  return (
    <div className="space-y-6">
      <PageHeading lead={t("privacy.lead")}>{t("privacy.title")}</PageHeading>
      <FormNotice message={resultFor("leave")?.message ?? resultFor("cancel-deletion")?.message ?? loaderData.notice} />
      {loaderData.deletionOn ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("privacy.deletionPendingTitle")}</h2>
          <p className="mt-1">{t("privacy.deletionPending", { date: formatCalendarDay(loaderData.deletionOn, locale) })}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="cancel-deletion" />
            <SubmitButton>{t("privacy.cancelDeletion")}</SubmitButton>
          </Form>
        </Card>
      ) : null}

      <Card>
        <h2 className="text-lg font-semibold">{t("privacy.downloadTitle")}</h2>
        <p className="mt-1 text-slate-700">{t("privacy.downloadLead")}</p>
        <div className="mt-3 flex flex-wrap gap-3">
          <a href="/settings/privacy/data.json" download className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
            {t("privacy.downloadJson")}
          </a>
          <a href="/settings/privacy/data.html" download className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100">
            {t("privacy.downloadHtml")}
          </a>
        </div>
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t("privacy.emailTitle")}</h2>
        <p className="mt-1 text-slate-700">{t("privacy.emailCurrent", { email: loaderData.email })}</p>
        <Form method="post" className="mt-3 space-y-4">
          <FormNotice message={emailResult?.message} />
          <FormErrorMessage error={emailResult?.formError} />
          <input type="hidden" name="intent" value="email" />
          <Field label={t("privacy.newEmail")} name="newEmail" type="email" autoComplete="email" required errors={emailResult?.fieldErrors} />
          <Field label={t("privacy.password")} name="password" type="password" autoComplete="current-password" required errors={emailResult?.fieldErrors} />
          <SubmitButton>{t("privacy.changeEmail")}</SubmitButton>
        </Form>
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t("privacy.organisationsTitle")}</h2>
        <p className="mt-1 text-slate-700">{t("privacy.leaveRule")}</p>
        {active.length ? (
          <ul className="mt-3 divide-y divide-slate-100">
            {active.map((m) => (
              <li key={m.organisationId} className="flex flex-wrap items-center justify-between gap-3 py-2">
                <span>
                  {m.name} <span className="text-sm text-slate-600">({t("privacy.memberSince", { date: formatDate(m.since, locale) })})</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="leave" />
                  <input type="hidden" name="organisationId" value={m.organisationId} />
                  <SubmitButton variant="secondary">{t("privacy.leave", { organisation: m.name })}</SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-3">{t("privacy.noOrganisations")}</p>
        )}
        {former.length ? (
          <p className="mt-3 text-sm text-slate-700">
            {t("privacy.formerOrganisations")}: {former.map((m) => `${m.name} (${formatDate(m.endedAt!, locale)})`).join(", ")}
          </p>
        ) : null}
      </Card>

      {loaderData.deletionOn ? null : (
        <Card>
          <h2 className="text-lg font-semibold">{t("privacy.deleteTitle")}</h2>
          <p className="mt-1 text-slate-700">{t("privacy.deleteLead")}</p>
          <Form method="post" className="mt-3 space-y-4">
            <FormErrorMessage error={deleteResult?.formError} />
            <input type="hidden" name="intent" value="delete" />
            <Field label={t("privacy.password")} name="password" type="password" autoComplete="current-password" required errors={deleteResult?.fieldErrors} />
            <label className="flex items-start gap-2">
              <input type="checkbox" name="confirm" value="yes" required className="mt-1 h-5 w-5" />
              <span>{t("privacy.deleteConfirm")}</span>
            </label>
            <SubmitButton variant="secondary">{t("privacy.deleteAction")}</SubmitButton>
          </Form>
        </Card>
      )}
      <p>
        <Link to="/privacy" className="text-brand-700 underline">
          {t("privacy.noticeLink")}
        </Link>
      </p>
    </div>
  );
}
