import { downloadOrRefusal } from "~/cpd/download-response.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { auditLogCsvFile, auditQueryFrom } from "~/privacy/audit-log.server.ts";
import { requireAdmin } from "~/utils/auth.server.ts";
import { csvResponse } from "~/utils/csv.ts";
import type { Route } from "./+types/audit-csv";

// The whole audit log (with the page's filters) as CSV; admins only.
export async function loader({ request }: Route.LoaderArgs) {
  const admin = await requireAdmin(request);
  const locale = await resolveLocale(request, admin);
  const query = auditQueryFrom(new URL(request.url).searchParams);
  return downloadOrRefusal(locale, async () => {
    const { body, filename } = await auditLogCsvFile({ actor: admin, query, locale });
    return csvResponse(body, filename);
  });
}
