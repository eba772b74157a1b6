import type { Route } from "./+types/pdf";
import { certificatePdf } from "~/certificates/certificates.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const { bytes, filename } = await orErrorPage(async () => certificatePdf({ actor: user, code: params.code, locale: await resolveLocale(request, user) }));
  return new Response(Buffer.from(bytes), { headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" } });
}
