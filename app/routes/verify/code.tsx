import { data } from "react-router";
import type { Route } from "./+types/code";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CertificateDetails, CertificateStateBadge } from "~/components/certificate-details.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { verifyCertificate } from "~/certificates/certificates.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { orErrorPage } from "~/utils/errors.server.ts";

export async function loader({ params, context }: Route.LoaderArgs) {
  const certificate = await orErrorPage(() => verifyCertificate({ input: params.code, clientIp: context.clientIp }));
  return data({ certificate }, { headers: { "Cache-Control": "no-store" } });
}

export default function VerifyCertificate({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { certificate } = loaderData;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageHeading>{t("check.title")}</PageHeading>
      <Card>
        <p className="mb-4 flex flex-wrap items-center gap-3" role="status">
          <CertificateStateBadge state={certificate.state} />
          <span>{t(`check.explain.${certificate.state}`)}</span>
        </p>
        <CertificateDetails certificate={certificate} />
      </Card>
      <p className="text-sm text-slate-600">{t("check.privacy")}</p>
      <LinkButton to="/verify" variant="secondary">
        {t("check.another")}
      </LinkButton>
    </div>
  );
}
