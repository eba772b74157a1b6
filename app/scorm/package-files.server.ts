import { Readable } from "node:stream";
import { db } from "~/utils/db.server.ts";
import { storedFileStream } from "~/utils/storage.server.ts";

// A package's files by path, served on the content origin. Packages never change once imported, so
// their path → hash maps are kept (the most recent 50 packages).
const maps = new Map<string, Promise<Record<string, string> | null>>();

function fileMap(packageId: string) {
  let found = maps.get(packageId);
  if (!found) {
    found = db.scormPackage.findUnique({ where: { id: packageId }, select: { files: true } }).then((p) => (p ? (p.files as Record<string, string>) : null));
    maps.set(packageId, found);
    found.catch(() => maps.delete(packageId));
    if (maps.size > 50) maps.delete(maps.keys().next().value as string);
  }
  return found;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8", htm: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", mjs: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8",
  json: "application/json", xml: "application/xml", xsd: "application/xml", txt: "text/plain; charset=utf-8", vtt: "text/vtt",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", svg: "image/svg+xml", webp: "image/webp", ico: "image/x-icon",
  mp3: "audio/mpeg", m4a: "audio/mp4", wav: "audio/wav", ogg: "audio/ogg", mp4: "video/mp4", webm: "video/webm",
  woff: "font/woff", woff2: "font/woff2", ttf: "font/ttf", otf: "font/otf", eot: "application/vnd.ms-fontobject", pdf: "application/pdf", swf: "application/x-shockwave-flash",
};

/** A file of a package as a response, or null when the package or the path does not exist. */
export async function packageFileResponse(packageId: string, path: string) {
  if (!/^[a-z0-9]{20,40}$/.test(packageId)) return null;
  const files = await fileMap(packageId);
  // The router hands the path decoded; a name that itself holds "%xx" is found as given.
  let decoded = path;
  let sha256 = files?.[path];
  if (!sha256) {
    try {
      decoded = decodeURIComponent(path);
      sha256 = files?.[decoded];
    } catch {
      return null;
    }
  }
  if (!sha256) return null;
  const extension = decoded.slice(decoded.lastIndexOf(".") + 1).toLowerCase();
  return new Response(Readable.toWeb(storedFileStream(sha256)) as ReadableStream, {
    headers: { "Content-Type": TYPES[extension] ?? "application/octet-stream", "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
