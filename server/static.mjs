// Serves the client build: fingerprinted files under /assets/ are cached for a year, the rest
// briefly. Returns false when the path is not a file of the build, so the app handles it. Text files
// go out as the Brotli or gzip copy the build wrote beside them (scripts/compress-assets.mjs) when the
// browser accepts it: the learner's first page needs about 1.2 MB of script, 0.3 MB compressed.
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".vtt": "text/vtt; charset=utf-8",
};

export function createStaticHandler(root) {
  const base = normalize(root + sep);
  return async function serveStatic(req, res) {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      return false;
    }
    if (pathname === "/" || pathname.includes("\0")) return false;
    const file = normalize(join(base, pathname));
    if (!file.startsWith(base)) return false;
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return false;
    }
    if (!stat.isFile()) return false;
    const immutable = pathname.startsWith("/assets/");
    const copy = COMPRESSED_TYPES.has(extname(file)) ? compressedCopy(file, req.headers["accept-encoding"]) : null;
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": copy?.size ?? stat.size,
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
      ...(COMPRESSED_TYPES.has(extname(file)) ? { Vary: "Accept-Encoding" } : {}),
      ...(copy ? { "Content-Encoding": copy.encoding } : {}),
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(copy?.path ?? file).pipe(res);
    return true;
  };
}

/** The kinds of file the build writes compressed copies of (scripts/compress-assets.mjs). */
export const COMPRESSED_TYPES = new Set([".js", ".css", ".svg", ".json", ".txt", ".webmanifest", ".vtt"]);

/** The build's compressed copy of `file` the browser accepts (Brotli first), if there is one. */
function compressedCopy(file, acceptEncoding) {
  const accepted = acceptedEncodings(acceptEncoding);
  for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
    if (!accepted.has(encoding)) continue;
    try {
      const stat = statSync(file + suffix);
      if (stat.isFile()) return { encoding, path: file + suffix, size: stat.size };
    } catch {
      // No copy of this kind (a small file): try the next, or send the file as it is.
    }
  }
  return null;
}

/** Codings an Accept-Encoding header allows: listed without q=0 (`*` is not taken as either). */
function acceptedEncodings(header) {
  const accepted = new Set();
  for (const part of String(header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name.trim());
  }
  return accepted;
}
