import { useEffect } from "react";
import { Link, useRevalidator } from "react-router";
import { getCertificateExport } from "~/certificates/exports.server.ts";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { ProgressBar } from "~/components/progress-bar.tsx";
import { formatDateTime } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { env } from "~/utils/env.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/export";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const row = await orErrorPage(() => getCertificateExport({ actor: user, organisationId: params.orgId, exportId: params.exportId }));
  return { ...row, retentionDays: env.RETENTION_EXPORTS_DAYS };
}

function fileSize(bytes: number, locale: string) {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, "megabyte"] : [Math.max(1, bytes / 1024), "kilobyte"];
  return new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB", { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}

/** "7 days" / "7 dni": Intl picks the plural form (1 dan, 2 dneva, 3 dni). */
function dayCount(days: number, locale: string) {
  return new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB", { style: "unit", unit: "day", unitDisplay: "long" }).format(days);
}

/** While the job runs the page reloads its data every two seconds (without script: the refresh link). */
export default function CertificateExport({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const running = loaderData.status === "QUEUED" || loaderData.status === "RUNNING";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = loaderData.total ? Math.round((loaderData.done / loaderData.total) * 100) : loaderData.status === "DONE" ? 100 : 0;
  return (
    <div className="space-y-6">
      <PageHeading lead={formatDateTime(loaderData.createdAt, locale)}>{t("exports.title")}</PageHeading>
      <Card>
        <div aria-live="polite">
          <p className="mb-2 font-medium">{t(`exports.status.${loaderData.status}`)}</p>
          <ProgressBar percent={percent} label={t("exports.progressLabel")} />
          <p className="mt-2 text-slate-700">{t("exports.progress", { done: loaderData.done, total: loaderData.total })}</p>
        </div>
        {loaderData.status === "DONE" ? (
          <div className="mt-4">
            <LinkButton to={`/org/${params.orgId}/exports/${params.exportId}/download`} reloadDocument>
              {t("exports.download", { size: fileSize(loaderData.sizeBytes ?? 0, locale) })}
            </LinkButton>
          </div>
        ) : null}
        {loaderData.status === "FAILED" ? <p className="mt-3 text-red-800">{t("exports.failed")}</p> : null}
        {loaderData.status === "EXPIRED" ? <p className="mt-3">{t("exports.expired", { period: dayCount(loaderData.retentionDays, locale) })}</p> : null}
        {running ? (
          <p className="mt-3 text-sm">
            <Link to="." className="underline">
              {t("exports.refresh")}
            </Link>
          </p>
        ) : null}
      </Card>
      <p>
        <Link to={`/org/${params.orgId}/exports`} className="underline">
          {t("exports.back")}
        </Link>
      </p>
    </div>
  );
}
