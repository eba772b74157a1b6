import { data } from "react-router";

/**
 * The SCORM content routes answer on the content origin only. The app's server already refuses
 * /scorm-content/ however it is written; this is the same rule where the route is matched.
 */
export function requireContentSite(context: { site?: string } | undefined) {
  if (context?.site !== "content") throw data("Not found", { status: 404 });
}

/** A request body as text, refused as soon as it passes `limit` bytes (whatever Content-Length says). */
export async function readLimitedText(request: Request, limit: number) {
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
