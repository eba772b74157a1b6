import { resolveLocale } from "~/i18n/locale.server.ts";
import { exportPeople, peopleQueryFrom } from "~/organisers/people.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/export-csv";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  // The same route serves export.csv and export.xlsx.
  const format = new URL(request.url).pathname.endsWith(".xlsx") ? "xlsx" : "csv";
  const { stream, filename, contentType } = await orErrorPage(() => exportPeople({ actor: user, organisationId: params.orgId, query: peopleQueryFrom(new URL(request.url).searchParams), locale, format }));
  return new Response(stream, { headers: { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" } });
}
