import { data } from "react-router";
import { requireContentSite } from "~/scorm/content-site.server.ts";
import { packageFileResponse } from "~/scorm/package-files.server.ts";
import type { Route } from "./+types/file";

// A SCORM package's files, on the content origin only (the app's server refuses /scorm-content/ on
// its own origin). Package ids are random and files are course material, not personal data.
export async function loader({ params, context }: Route.LoaderArgs) {
  requireContentSite(context);
  const response = await packageFileResponse(params.packageId, params["*"] ?? "");
  if (!response) throw data("Not found", { status: 404 });
  return response;
}
