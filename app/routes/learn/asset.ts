import { data } from "react-router";
import type { Route } from "./+types/asset";
import { visibleCoursesWhere } from "~/domain/catalogue.server.ts";
import { db } from "~/utils/db.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";
import { readStoredFile } from "~/utils/storage.server.ts";

// Images, videos and captions of a published course version, to whoever may see the course.
// Content-addressed and immutable, so browsers may cache them for good.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await getSessionUser(request);
  const path = params["*"] ?? "";
  const found = await db.courseAsset.findFirst({
    where: { courseVersionId: params.versionId, path },
    select: { assetId: true },
  });
  const visible = found && (await db.courseVersion.count({ where: { id: params.versionId, publishedAt: { not: null }, course: visibleCoursesWhere(user?.id ?? null) } }));
  if (!found || !visible) throw data({ message: "errors.notFound" }, { status: 404 });
  const asset = await db.asset.findUniqueOrThrow({ where: { id: found.assetId }, select: { sha256: true, mediaType: true, size: true } });
  return new Response(readStoredFile(asset.sha256), {
    headers: { "Content-Type": asset.mediaType, "Content-Length": String(asset.size), "Cache-Control": "private, max-age=31536000, immutable", "Content-Security-Policy": "default-src 'none'; sandbox" },
  });
}
