import { attendeesCsvFile } from "~/cpd/attendees.server.ts";
import { downloadOrRefusal } from "~/cpd/download-response.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { csvResponse } from "~/utils/csv.ts";
import type { Route } from "./+types/attendees-csv";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const search = new URL(request.url).searchParams;
  const query = { course: search.get("course") ?? undefined, from: search.get("from") ?? undefined, to: search.get("to") ?? undefined };
  return downloadOrRefusal(locale, async () => {
    const { body, filename } = await attendeesCsvFile({ actor: user, organisationId: params.orgId, query, locale });
    return csvResponse(body, filename);
  });
}
