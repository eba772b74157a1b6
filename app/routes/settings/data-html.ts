import type { Route } from "./+types/data-html";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { renderPersonalDataHtml } from "~/privacy/data-summary.server.ts";
import { exportPersonalData } from "~/privacy/personal-data.server.ts";
import { requireUser } from "~/utils/auth.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const body = await exportPersonalData({ actor: user });
  return new Response(renderPersonalDataHtml(body, await resolveLocale(request, user)), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="opora-my-data-${body.generatedAt.slice(0, 10)}.html"`,
      "Cache-Control": "private, no-store",
      // A downloaded summary runs no script and loads nothing, also if opened from the server.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
