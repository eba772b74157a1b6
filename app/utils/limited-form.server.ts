import { DomainError } from "./errors.server.ts";

/**
 * Reads a (multipart) form, refusing bodies over `limit` bytes before they are read into memory:
 * neither the server nor React Router caps request size. `tooLarge` and `unreadable` are the
 * message keys shown for an oversized or malformed body.
 */
export async function readLimitedForm(request: Request, limit: number, messages: { tooLarge: string; unreadable: string; field?: string }) {
  const tooLarge = () => new DomainError("INVALID", messages.tooLarge, messages.field);
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  }
  try {
    return await new Response(Buffer.concat(chunks), { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
  } catch {
    throw new DomainError("INVALID", messages.unreadable);
  }
}
