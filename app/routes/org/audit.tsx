import { data } from "react-router";
import { PageHeading } from "~/components/app-shell.tsx";
import { translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { auditQueryFrom, getAuditLog } from "~/privacy/audit-log.server.ts";
import { AuditLogView } from "~/privacy/audit-log-view.tsx";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/audit";

// The organisation's own events only; its organisers and admins may read them.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const log = await orErrorPage(() => getAuditLog({ actor: user, organisationId: params.orgId, query: auditQueryFrom(new URL(request.url).searchParams), locale }));
  return data(log, { status: log.problem ? 400 : 200 });
}

export default function OrganisationAudit({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  return (
    <div>
      <PageHeading lead={t("audit.orgLead", { organisation: loaderData.scope.organisationName ?? "" })}>{t("audit.title")}</PageHeading>
      <AuditLogView log={loaderData} path={`/org/${params.orgId}/audit`} csvPath={`/org/${params.orgId}/audit.csv`} />
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("audit.title")} · Opora` }];
}
