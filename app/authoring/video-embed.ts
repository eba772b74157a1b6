// Lesson videos hosted elsewhere: a trainer pastes the address they see (watch page, share link or
// embed code's address) and gets the one embed address Opora frames. Only YouTube (through its
// privacy-enhanced player) and Vimeo are accepted; the result is built from the video's id, never
// from the pasted text, so nothing the trainer pasted reaches the page but the id.
import { MediaError } from "./media.ts";
import { VIDEO_FRAME_SOURCES } from "./video-hosts.mjs";

const [YOUTUBE_PLAYER, VIMEO_PLAYER] = VIDEO_FRAME_SOURCES;

const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "youtube-nocookie.com", "www.youtube-nocookie.com"]);
const VIMEO_HOSTS = new Set(["vimeo.com", "www.vimeo.com", "player.vimeo.com"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
/** The key of an unlisted Vimeo video (`vimeo.com/<id>/<key>`, `?h=<key>`). */
const VIMEO_KEY = /^[0-9a-f]{6,32}$/i;
/** Pages of one Vimeo video: its own (with an unlisted video's key), in a channel, group, showcase or album, or its settings. */
const VIMEO_PAGE_PATHS = [
  /^\/(\d{1,12})(?:\/([0-9a-f]{6,32}))?\/?$/i,
  /^\/channels\/[^/]+\/(\d{1,12})\/?$/,
  /^\/groups\/[^/]+\/videos\/(\d{1,12})\/?$/,
  /^\/(?:showcase|album)\/\d+\/video\/(\d{1,12})\/?$/,
  /^\/manage\/videos\/(\d{1,12})(?:\/([0-9a-f]{6,32}))?\/?$/i,
];
const VIMEO_PLAYER_PATHS = [/^\/video\/(\d{1,12})\/?$/];
const MAX_URL_LENGTH = 2048;

export function videoEmbedUrl(input: string): string {
  const url = parseAddress(input.trim());
  const host = url.hostname;
  if (YOUTUBE_HOSTS.has(host)) return youtubeEmbed(url);
  if (VIMEO_HOSTS.has(host)) return vimeoEmbed(url);
  throw new MediaError("media.video.unsupported_host", host);
}

function parseAddress(text: string): URL {
  if (text === "" || text.length > MAX_URL_LENGTH) throw new MediaError("media.video.invalid_url", `${text.length} characters`);
  // The URL parser silently drops tabs and line breaks ("java\nscript:"): refuse them instead.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(text)) throw new MediaError("media.video.invalid_url", "spaces or line breaks");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1].toLowerCase();
  if (scheme !== undefined && scheme !== "https" && scheme !== "http") throw new MediaError("media.video.unsafe_url", `${scheme}:`);
  // An address pasted without its scheme ("youtu.be/…") is read as https.
  const withScheme = scheme ? text : text.startsWith("//") ? `https:${text}` : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MediaError("media.video.invalid_url", text.length > 60 ? `${text.slice(0, 60)}…` : text);
  }
  if (url.username || url.password) throw new MediaError("media.video.unsafe_url", "user:password@");
  if (url.port) throw new MediaError("media.video.unsafe_url", `port ${url.port}`);
  return url;
}

function youtubeEmbed(url: URL): string {
  const segments = url.pathname.split("/").filter(Boolean);
  let id: string | null | undefined;
  if (url.hostname === "youtu.be") id = segments.length === 1 ? segments[0] : undefined;
  else if (segments[0] === "watch" && segments.length === 1) id = url.searchParams.get("v");
  else if (["embed", "shorts", "live", "v"].includes(segments[0]) && segments.length === 2) id = segments[1];
  if (!id || !YOUTUBE_ID.test(id)) throw new MediaError("media.video.not_a_video", `${url.hostname}${url.pathname}`);
  const start = startSeconds(url.searchParams.get("t") ?? url.searchParams.get("start"));
  return `${YOUTUBE_PLAYER}/embed/${id}${start ? `?start=${start}` : ""}`;
}

/** Seconds from YouTube's `t`/`start` (`90`, `90s`, `1m30s`, `1h2m3s`); null when absent or unreadable. */
function startSeconds(value: string | null): number | null {
  const match = value ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(value) : null;
  if (!match) return null;
  const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return seconds > 0 && seconds < 360_000 ? seconds : null;
}

function vimeoEmbed(url: URL): string {
  const paths = url.hostname === "player.vimeo.com" ? VIMEO_PLAYER_PATHS : VIMEO_PAGE_PATHS;
  const match = paths.map((path) => path.exec(url.pathname)).find(Boolean);
  const id = match?.[1];
  const key = match?.[2] ?? url.searchParams.get("h") ?? undefined;
  if (!id || (key !== undefined && !VIMEO_KEY.test(key))) throw new MediaError("media.video.not_a_video", `${url.hostname}${url.pathname}`);
  // dnt=1: Vimeo's player then sets no tracking cookies, as YouTube's privacy-enhanced player does.
  return `${VIMEO_PLAYER}/video/${id}?${key ? `h=${key}&` : ""}dnt=1`;
}
