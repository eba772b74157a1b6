import { Form, redirect } from "react-router";
import type { Route } from "./+types/index";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { parseCertificateCode } from "~/certificates/code.ts";
import { useT } from "~/i18n/use-t.ts";

// Anyone (an employer, a chamber) checks a certificate by its code or by scanning its QR code.
export function loader({ request }: Route.LoaderArgs) {
  const input = new URL(request.url).searchParams.get("code");
  if (input === null) return { error: undefined };
  const code = parseCertificateCode(input);
  if (!code) return { error: "check.malformed" };
  throw redirect(`/verify/${code}`);
}

export default function VerifyForm({ loaderData }: Route.ComponentProps) {
  const t = useT();
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
    </div>
  );
}
