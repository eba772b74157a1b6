import { exportCourseZip } from "~/authoring/course-zip.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/export-zip";

// The course folder as a zip (the draft, or the latest published version): the same files
// `npm run courses:check` reads and the authoring page imports.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const from = new URL(request.url).searchParams.get("from") === "published" ? "published" : "draft";
  const { filename, bytes } = await orErrorPage(() => exportCourseZip({ actor: user, slug: params.slug, from }));
  return new Response(Buffer.from(bytes), { headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" } });
}
