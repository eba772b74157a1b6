import { data } from "react-router";
import { commitScorm, MAX_COMMIT_BYTES } from "~/scorm/attempts.server.ts";
import { readLimitedText, requireContentSite } from "~/scorm/content-site.server.ts";
import { DomainError, statusOf } from "~/utils/errors.server.ts";
import type { Route } from "./+types/commit";

// The runtime's commits (JSON sent as text/plain, so no CORS preflight; sendBeacon on page hide),
// authenticated by the launch token in the path: no cookie of the learner exists on this site.
export async function action({ request, params, context }: Route.ActionArgs) {
  requireContentSite(context);
  if (request.method !== "POST") throw data({ ok: false, error: "method" }, { status: 405 });
  const body = await readLimitedText(request, MAX_COMMIT_BYTES);
  if (body === null) return Response.json({ ok: false, error: "scorm.commitTooLarge" }, { status: 413 });
  try {
    const result = await commitScorm({ token: params.token, body });
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof DomainError) {
      return Response.json({ ok: false, error: error.messageKey }, { status: statusOf(error), headers: { "Cache-Control": "no-store" } });
    }
    throw error;
  }
}

export function loader({ context }: Route.LoaderArgs) {
  requireContentSite(context);
  throw data("Commits are sent with POST.", { status: 405 });
}
