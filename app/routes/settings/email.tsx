import { redirect } from "react-router";
import type { Route } from "./+types/email";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage } from "~/components/form.tsx";
import { useT } from "~/i18n/use-t.ts";
import { confirmEmailChange } from "~/privacy/account.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { forgetSessionUser } from "~/utils/session.server.ts";

// The link sent to a new address lands here: a valid token changes the account's email.
export async function loader({ request }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return { error: "privacy.emailLinkInvalid" };
  try {
    await confirmEmailChange({ token });
  } catch (error) {
    if (error instanceof DomainError) return { error: error.messageKey };
    throw error;
  }
  forgetSessionUser(request);
  throw redirect("/settings/privacy?notice=email-changed");
}

export default function ConfirmEmail({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading>{t("privacy.emailConfirmTitle")}</PageHeading>
      <Card>
        <FormErrorMessage error={loaderData.error} />
      </Card>
    </div>
  );
}
