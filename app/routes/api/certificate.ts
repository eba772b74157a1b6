import type { Route } from "./+types/certificate";
import { verifyCertificate } from "~/certificates/certificates.server.ts";
import { DomainError } from "~/utils/errors.server.ts";

// The verification page as JSON, for systems that check many certificates.
export async function loader({ params, context }: Route.LoaderArgs) {
  try {
    const certificate = await verifyCertificate({ input: params.code, clientIp: context.clientIp });
    return Response.json(certificate, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const status = error.code === "TOO_MANY_REQUESTS" ? 429 : 404;
    return Response.json({ error: status === 429 ? "too_many_requests" : "not_found" }, { status, headers: status === 429 ? { "Retry-After": "600" } : {} });
  }
}
