// Where SCORM packages are served from. It must be another *site* than the app (cookies are per
// site, not per port), so a package's JavaScript never runs where the learner is signed in.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * CONTENT_ORIGIN when set; on one machine the default swaps localhost and 127.0.0.1 and takes the
 * next port (http://localhost:3000 → http://127.0.0.1:3001). Elsewhere it must be configured.
 * @param {string} publicUrl
 * @param {string | undefined} configured
 * @returns {string}
 */
export function resolveContentOrigin(publicUrl, configured) {
  const url = new URL(publicUrl);
  if (configured) {
    const content = new URL(configured);
    // The same host on another port, or a subdomain of the app (or the reverse), is the same site.
    const [a, b] = [content.hostname, url.hostname];
    if (a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`)) throw new Error(`CONTENT_ORIGIN (${content.origin}) must be another site than PUBLIC_URL (${url.origin}): another registrable domain, e.g. opora-content.example for opora.example`);
    return content.origin;
  }
  if (!LOOPBACK.has(url.hostname)) throw new Error("CONTENT_ORIGIN must be set: SCORM packages are served from a site of their own (see .env.example)");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80)) + 1;
  return `${url.protocol}//${url.hostname === "localhost" ? "127.0.0.1" : "localhost"}:${port}`;
}

/**
 * The port the content listener binds: CONTENT_PORT, else the content origin's own port when it is
 * on this machine, else the app's port + 1 (a proxy maps the content host name to it).
 * @param {string} contentOrigin
 * @param {number} appPort
 * @param {string | undefined} configured
 */
export function contentPort(contentOrigin, appPort, configured) {
  if (configured) return Number(configured);
  const url = new URL(contentOrigin);
  return LOOPBACK.has(url.hostname) && url.port ? Number(url.port) : appPort + 1;
}
