import { data } from "react-router";
import { PageHeading } from "~/components/app-shell.tsx";
import { translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { auditQueryFrom, getAuditLog } from "~/privacy/audit-log.server.ts";
import { AuditLogView } from "~/privacy/audit-log-view.tsx";
import { requireAdmin } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/audit";

export async function loader({ request }: Route.LoaderArgs) {
  const admin = await requireAdmin(request);
  const locale = await resolveLocale(request, admin);
  const log = await orErrorPage(() => getAuditLog({ actor: admin, query: auditQueryFrom(new URL(request.url).searchParams), locale }));
  // A filter that cannot be read (a date like 2026-02-30) shows the form with the problem, as a 400.
  return data(log, { status: log.problem ? 400 : 200 });
}

export default function AdminAudit({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <div>
      <PageHeading lead={t("audit.adminLead")}>{t("audit.title")}</PageHeading>
      <AuditLogView log={loaderData} path="/admin/audit" csvPath="/admin/audit.csv" />
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("audit.title")} · Opora` }];
}
