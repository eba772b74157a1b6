import { issuerProfile } from "~/certificates/open-badges.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import type { Route } from "./+types/issuer";

// Opora's Open Badges issuer profile: what `issuer.id` in every credential points at.
export async function loader({ request }: Route.LoaderArgs) {
  return Response.json(issuerProfile(await resolveLocale(request, null)), {
    headers: { "Cache-Control": "public, max-age=3600", Vary: "Accept-Language, Cookie", "Access-Control-Allow-Origin": "*" },
  });
}
