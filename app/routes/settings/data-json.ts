import type { Route } from "./+types/data-json";
import { exportPersonalData } from "~/privacy/personal-data.server.ts";
import { requireUser } from "~/utils/auth.server.ts";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const body = await exportPersonalData({ actor: user });
  return new Response(JSON.stringify(body, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="opora-my-data-${body.generatedAt.slice(0, 10)}.json"`, "Cache-Control": "private, no-store" },
  });
}
