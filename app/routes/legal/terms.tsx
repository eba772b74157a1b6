import { translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { legalDocument } from "~/privacy/legal.server.ts";
import { LegalPage } from "~/privacy/legal-page.tsx";
import { getSessionUser } from "~/utils/session.server.ts";
import type { Route } from "./+types/terms";

// Public: people read them before they sign up.
export async function loader({ request }: Route.LoaderArgs) {
  const locale = await resolveLocale(request, await getSessionUser(request));
  return { markdown: legalDocument("terms", locale) };
}

export default function Terms({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return <LegalPage title={t("legal.termsTitle")} lead={t("legal.termsLead")} markdown={loaderData.markdown} />;
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("legal.termsTitle")} · Opora` }];
}
