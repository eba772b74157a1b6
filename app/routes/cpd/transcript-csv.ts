import { downloadOrRefusal } from "~/cpd/download-response.server.ts";
import { periodQueryFrom } from "~/cpd/period.ts";
import { transcriptCsvFile } from "~/cpd/transcript-downloads.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { csvResponse } from "~/utils/csv.ts";
import type { Route } from "./+types/transcript-csv";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const query = periodQueryFrom(new URL(request.url).searchParams);
  return downloadOrRefusal(locale, async () => {
    const { body, filename } = await transcriptCsvFile({ actor: user, query, locale });
    return csvResponse(body, filename);
  });
}
