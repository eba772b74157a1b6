// Headers every response carries, and the check that refuses mutations sent from other sites.
import { VIDEO_FRAME_SOURCES } from "../app/authoring/video-hosts.mjs";

export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/**
 * A strict, nonce-based policy: only scripts carrying this response's nonce run. Frames: the app
 * itself, the SCORM content origin (`frameSrc`) and the players of lesson videos hosted on YouTube
 * or Vimeo, exactly the origins the course renderer builds embed addresses for.
 */
export function contentSecurityPolicy(nonce, { dev = false, frameSrc = "" } = {}) {
  const connect = dev ? "'self' ws: wss:" : "'self'";
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    // Tailwind's stylesheet is a file; React sets style attributes (progress bars): allow those only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "media-src 'self' blob:",
    ["frame-src 'self'", frameSrc, ...VIDEO_FRAME_SOURCES].filter(Boolean).join(" "),
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True for a state-changing request that a browser sent from another site. Browsers send Origin
 * on every cross-origin POST and Sec-Fetch-Site on every request; clients that send neither (curl,
 * server-to-server) carry no ambient cookies of a victim, so they pass.
 */
export function isCrossSiteMutation(req, publicOrigin) {
  if (SAFE_METHODS.has(req.method ?? "GET")) return false;
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = req.headers.origin;
  if (!origin || origin === "null") return Boolean(origin);
  const host = req.headers.host;
  return origin !== publicOrigin && origin !== `http://${host}` && origin !== `https://${host}`;
}

/** Headers of the SCORM content origin: framed by the app (frame-ancestors), so no X-Frame-Options. */
export const CONTENT_SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/**
 * The content origin's policy. Packages from authoring tools rely on inline script and eval, so
 * those run here — on a site that holds no session — while the app's own policy stays strict.
 * Only the app may frame it; it may talk to itself only (its commits go to its own origin).
 */
export function contentOriginPolicy(appOrigin) {
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self' blob:",
    `frame-ancestors 'self' ${appOrigin}`,
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}
