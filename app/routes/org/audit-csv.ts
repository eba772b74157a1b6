import { downloadOrRefusal } from "~/cpd/download-response.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { auditLogCsvFile, auditQueryFrom } from "~/privacy/audit-log.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { csvResponse } from "~/utils/csv.ts";
import type { Route } from "./+types/audit-csv";

// The organisation's audit log (with the page's filters) as CSV, for its organisers and admins.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const query = auditQueryFrom(new URL(request.url).searchParams);
  return downloadOrRefusal(locale, async () => {
    const { body, filename } = await auditLogCsvFile({ actor: user, organisationId: params.orgId, query, locale });
    return csvResponse(body, filename);
  });
}
