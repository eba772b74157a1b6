import { data, Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SubmitButton } from "~/components/form.tsx";
import { useT } from "~/i18n/use-t.ts";
import { addOrganisationReferral, listOrganisationReferrals, ReferralSchema, removeOrganisationReferral } from "~/organisers/referrals.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";
import { parseForm, withoutEmptyFields } from "~/utils/forms.ts";
import type { Route } from "./+types/referrals";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => listOrganisationReferrals({ actor: user, organisationId: params.orgId }));
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "remove") {
    const result = await orFormError(() => removeOrganisationReferral({ actor: user, organisationId: params.orgId, referralId: String(form.get("referralId") ?? "") }));
    return result.ok ? { fieldErrors: {}, formError: undefined, message: "referrals.removed" } : result.response;
  }
  const parsed = parseForm(ReferralSchema, withoutEmptyFields(form));
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  const result = await orFormError(() => addOrganisationReferral({ actor: user, organisationId: params.orgId, input: parsed.data }));
  return result.ok ? { fieldErrors: {}, formError: undefined, message: "referrals.added" } : result.response;
}

export default function Referrals({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <PageHeading lead={t("referrals.lead")}>{t("referrals.title")}</PageHeading>
      <p>
        <Link to={`/org/${params.orgId}`} className="underline">
          {loaderData.organisation.name}
        </Link>
      </p>
      <FormNotice message={result && "message" in result ? result.message : undefined} />
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("referrals.local")}</h2>
        {loaderData.referrals.length ? (
          <ul className="divide-y divide-slate-100">
            {loaderData.referrals.map((referral) => (
              <li key={referral.id} className="flex flex-wrap items-start justify-between gap-3 py-3">
                <div>
                  <p className="font-medium">{referral.name}</p>
                  <p className="text-sm text-slate-700">{[referral.phone, referral.hours, referral.helpsWith].filter(Boolean).join(" · ")}</p>
                </div>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="referralId" value={referral.id} />
                  <SubmitButton variant="secondary">{t("referrals.remove")}</SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("referrals.none")}</p>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("referrals.add")}</h2>
        <Form method="post" className="grid gap-4 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <FormErrorMessage error={result && "formError" in result ? result.formError : undefined} />
          </div>
          <Field label={t("referrals.name")} name="name" required errors={result?.fieldErrors} />
          <Field label={t("referrals.phone")} name="phone" type="tel" errors={result?.fieldErrors} />
          <Field label={t("referrals.hours")} name="hours" errors={result?.fieldErrors} />
          <Field label={t("referrals.helpsWith")} name="helpsWith" required errors={result?.fieldErrors} />
          <div className="sm:col-span-2">
            <SubmitButton>{t("referrals.addButton")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
