import { Form, redirect } from "react-router";
import type { Route } from "./+types/index";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CredentialCheckResult, CredentialUploadForm } from "~/components/credential-check.tsx";
import { Field, FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { parseCertificateCode } from "~/certificates/code.ts";
import { readCredentialUpload, verifyUploadedCredential } from "~/certificates/open-badges-verify.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { orFormError } from "~/utils/errors.server.ts";

// Anyone (an employer, a chamber) checks a certificate by its code or by scanning its QR code.
export function loader({ request }: Route.LoaderArgs) {
  const input = new URL(request.url).searchParams.get("code");
  if (input === null) return { error: undefined };
  const code = parseCertificateCode(input);
  if (!code) return { error: "check.malformed" };
  throw redirect(`/verify/${code}`);
}

// Or they upload the Open Badges credential file (or paste its token) and see each check's result.
export async function action({ request }: Route.ActionArgs) {
  const result = await orFormError(async () => verifyUploadedCredential({ input: await readCredentialUpload(request) }));
  return result.ok ? { report: result.value, formError: undefined } : result.response;
}

export default function VerifyForm({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const report = actionData && "report" in actionData ? actionData.report : undefined;
  return (
    <div className="mx-auto max-w-xl">
      <PageHeading lead={t("check.lead")}>{t("check.title")}</PageHeading>
      <Card>
        <Form method="get" className="space-y-4">
          <FormErrorMessage error={loaderData.error} />
          <Field label={t("certificate.code")} name="code" autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX" required errors={loaderData.error ? { code: [loaderData.error] } : undefined} />
          <SubmitButton>{t("check.submit")}</SubmitButton>
        </Form>
      </Card>
      <section aria-labelledby="credential-check-title" className="mt-8 space-y-3">
        <h2 id="credential-check-title" className="text-xl font-semibold">
          {t("credentialCheck.title")}
        </h2>
        <p className="text-slate-700">{t("credentialCheck.lead")}</p>
        {report ? (
          <Card>
            <CredentialCheckResult report={report} />
          </Card>
        ) : null}
        <Card>
          <CredentialUploadForm error={actionData?.formError} />
        </Card>
      </section>
    </div>
  );
}
