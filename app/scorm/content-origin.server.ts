import { env } from "~/utils/env.server.ts";
import { resolveContentOrigin } from "../../server/content-origin.mjs";

/** The SCORM content origin (server/content-origin.mjs decides the default). */
export function contentOrigin(): string {
  return resolveContentOrigin(env.PUBLIC_URL, env.CONTENT_ORIGIN);
}
