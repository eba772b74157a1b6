// The sites lesson videos may be embedded from. Plain JavaScript so that the server's
// Content-Security-Policy (server/security.mjs, run by Node without a build) can read the same
// list the editor's link check builds embed addresses from: frame-src must name exactly these.

/** Origins of the embed players: YouTube's privacy-enhanced player and Vimeo's player. */
export const VIDEO_FRAME_SOURCES = Object.freeze(["https://www.youtube-nocookie.com", "https://player.vimeo.com"]);
