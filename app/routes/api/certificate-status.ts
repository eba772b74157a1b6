import { credentialStatus } from "~/certificates/open-badges.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import type { Route } from "./+types/certificate-status";

// `credentialStatus.id` of every credential: active, revoked, superseded or expired, and nothing
// about the holder. Unknown codes count against the same per-client budget as the verification page.
export async function loader({ params, context }: Route.LoaderArgs) {
  const headers = { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" };
  try {
    return Response.json(await credentialStatus({ input: params.code, clientIp: context.clientIp }), { headers });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const status = error.code === "TOO_MANY_REQUESTS" ? 429 : 404;
    return Response.json({ error: status === 429 ? "too_many_requests" : "not_found" }, { status, headers: status === 429 ? { ...headers, "Retry-After": "600" } : headers });
  }
}
