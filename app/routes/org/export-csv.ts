import { resolveLocale } from "~/i18n/locale.server.ts";
import { exportPeopleCsv, peopleQueryFrom } from "~/organisers/people.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/export-csv";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const { stream, filename } = await orErrorPage(() => exportPeopleCsv({ actor: user, organisationId: params.orgId, query: peopleQueryFrom(new URL(request.url).searchParams), locale }));
  return new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" } });
}
