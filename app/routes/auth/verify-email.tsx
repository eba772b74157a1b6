import { redirect } from "react-router";
import type { Route } from "./+types/verify-email";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage } from "~/components/form.tsx";
import { verifyEmail } from "~/domain/verify-email.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { DomainError } from "~/utils/errors.server.ts";

// The link in the verification email lands here; a valid token verifies and goes on to log in.
export async function loader({ request }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return { error: "verify.invalidLink" };
  try {
    await verifyEmail({ token });
  } catch (error) {
    if (error instanceof DomainError) return { error: error.messageKey };
    throw error;
  }
  throw redirect("/login?notice=verified");
}

export default function VerifyEmail({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading>{t("verify.title")}</PageHeading>
      <Card>
        <FormErrorMessage error={loaderData.error} />
      </Card>
    </div>
  );
}
