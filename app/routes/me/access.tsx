import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { getMyRecordAccess } from "~/privacy/audit-log.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/access";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const before = new URL(request.url).searchParams.get("before") ?? undefined;
  const access = await orErrorPage(() => getMyRecordAccess({ actor: user, before, locale }));
  return { ...access, isFirstPage: !before };
}

export default function WhoHasSeenMyRecord({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { rows, nextCursor, isFirstPage, timeZone } = loaderData;
  return (
    <div>
      <PageHeading lead={t("access.lead")}>{t("access.title")}</PageHeading>
      <Card>
        {rows.length === 0 ? (
          <p>{t("access.empty")}</p>
        ) : (
          <TableRegion label={t("access.title")}>
            <table className="w-full text-left text-sm">
              <caption className="mb-2 text-left text-slate-600">{t("access.timeZone", { zone: timeZone })}</caption>
              <thead>
                <tr className="border-b align-bottom">
                  <th scope="col" className="py-2 pr-4">
                    {t("access.when")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("access.who")}
                  </th>
                  <th scope="col" className="py-2">
                    {t("access.what")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className="border-b align-top last:border-0">
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <time dateTime={row.at}>{row.time}</time>
                    </td>
                    <td className="py-2 pr-4">
                      {row.actor}
                      {row.role || row.organisation ? <span className="block text-slate-600">{[row.role, row.organisation].filter(Boolean).join(", ")}</span> : null}
                    </td>
                    <td className="py-2 break-words">
                      {row.actionLabel}
                      {row.subject ? <span className="block">{row.subject}</span> : null}
                      {row.summary ? <span className="block text-slate-600">{row.summary}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        {nextCursor || !isFirstPage ? (
          <nav aria-label={t("audit.pages")} className="mt-4 flex flex-wrap gap-4">
            {isFirstPage ? null : (
              <Link to="/me/access" className="text-brand-700 underline">
                {t("audit.newest")}
              </Link>
            )}
            {nextCursor ? (
              <Link to={`/me/access?before=${encodeURIComponent(nextCursor)}`} className="text-brand-700 underline">
                {t("audit.older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("access.title")} · Opora` }];
}
