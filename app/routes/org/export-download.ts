import { Readable } from "node:stream";
import { downloadCertificateExport } from "~/certificates/exports.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/export-download";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const file = await orErrorPage(() => downloadCertificateExport({ actor: user, organisationId: params.orgId, exportId: params.exportId }));
  return new Response(Readable.toWeb(file.stream) as ReadableStream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      ...(file.size ? { "Content-Length": String(file.size) } : {}),
      "Cache-Control": "private, no-store",
    },
  });
}
