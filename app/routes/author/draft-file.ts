import { getDraftAsset } from "~/authoring/lesson-editor.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import { readStoredFile } from "~/utils/storage.server.ts";
import type { Route } from "./+types/draft-file";

// A draft's images, videos and captions, for the lesson editor's preview and only for those who
// may edit the course. A draft file can change at any time: browsers keep it privately and check
// it again on each use (its ETag is its content hash, so an unchanged file is not sent twice).
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const asset = await orErrorPage(() => getDraftAsset({ actor: user, slug: params.slug, path: params["*"] ?? "" }));
  const etag = `"${asset.sha256}"`;
  const headers = {
    "Content-Type": asset.mediaType,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-cache",
    ETag: etag,
    "Accept-Ranges": "bytes",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  const bytes = readStoredFile(asset.sha256);
  // Safari plays a video only when it can ask for parts of it.
  const range = byteRange(request.headers.get("Range"), bytes.byteLength);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${bytes.byteLength}` } });
  if (range) {
    const [start, end] = range;
    return new Response(bytes.subarray(start, end + 1), { status: 206, headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${bytes.byteLength}`, "Content-Length": String(end - start + 1) } });
  }
  return new Response(bytes, { headers: { ...headers, "Content-Length": String(bytes.byteLength) } });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null for none (or several: the whole file is sent). */
function byteRange(header: string | null, size: number): [number, number] | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [start, end] = match[1] === "" ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1)];
  return start > end || start >= size ? "unsatisfiable" : [start, end];
}
