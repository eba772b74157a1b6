import { Form, Link, useActionData } from "react-router";
import type { Route } from "./+types/mine";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CertificateDetails, CertificateStateBadge } from "~/components/certificate-details.tsx";
import { listMyCertificates } from "~/certificates/certificates.server.ts";
import { reissueCertificate } from "~/certificates/reissue-certificate.server.ts";
import { FormErrorMessage, FormNotice, SubmitButton } from "~/components/form.tsx";
import { orFormError } from "~/utils/errors.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { certificates: await listMyCertificates({ actor: user }), name: user.name };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const code = String((await request.formData()).get("code") ?? "");
  const result = await orFormError(() => reissueCertificate({ actor: user, code }));
  if (!result.ok) return result.response;
  return { message: "reissue.done", formError: undefined };
}

export default function MyCertificates({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <PageHeading lead={t("certificates.lead")}>{t("certificates.title")}</PageHeading>
      <FormNotice message={result && "message" in result ? result.message : undefined} />
      <FormErrorMessage error={result && "formError" in result ? result.formError : undefined} />
      <p>
        <Link to="/me/transcript" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          {t("cpd.openTranscript")}
        </Link>
      </p>
      {loaderData.certificates.length === 0 ? <p>{t("certificates.empty")}</p> : null}
      <ul className="space-y-4">
        {loaderData.certificates.map((certificate) => (
          <li key={certificate.code}>
            <Card>
              <div className="mb-3">
                <CertificateStateBadge state={certificate.state} />
              </div>
              <CertificateDetails certificate={certificate} />
              <div className="mt-4 flex flex-wrap gap-4">
                <a href={`/certificates/${certificate.code}/pdf`} className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800" download>
                  {t("certificates.download")}
                </a>
                <a href={`/certificates/${certificate.code}/credential`} className="inline-flex min-h-11 items-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100" download>
                  {t("certificates.downloadCredential")}
                </a>
                <Link to={`/verify/${certificate.code}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
                  {t("certificates.verifyLink")}
                </Link>
              </div>
              {certificate.holderName !== loaderData.name && certificate.state !== "revoked" ? (
                <Form method="post" className="mt-4 border-t border-slate-200 pt-4">
                  <p className="mb-2 text-slate-700">{t("reissue.explain", { name: loaderData.name })}</p>
                  <input type="hidden" name="code" value={certificate.code} />
                  <SubmitButton variant="secondary">{t("reissue.action")}</SubmitButton>
                </Form>
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
