import { downloadOrRefusal } from "~/cpd/download-response.server.ts";
import { periodQueryFrom } from "~/cpd/period.ts";
import { transcriptPdfFile } from "~/cpd/transcript-downloads.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import type { Route } from "./+types/transcript-pdf";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const locale = await resolveLocale(request, user);
  const query = periodQueryFrom(new URL(request.url).searchParams);
  return downloadOrRefusal(locale, async () => {
    const { bytes, filename } = await transcriptPdfFile({ actor: user, query, locale });
    return new Response(Buffer.from(bytes), { headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" } });
  });
}
