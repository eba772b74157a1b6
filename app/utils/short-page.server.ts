import type { Locale } from "~/i18n/index.ts";
import { escapeHtml } from "./html.ts";

/**
 * A page of one heading and a few sentences, for answers given without the app's layout: the
 * database is out of reach (database-unavailable.server.ts) or the process is too busy to render
 * one (busy-page.server.ts). Texts come from the dictionaries and are escaped here.
 */
export function shortPage({ locale, title, paragraphs, refreshSeconds, link }: { locale: Locale; title: string; paragraphs: string[]; refreshSeconds?: number; link?: { href: string; text: string } }) {
  const refresh = refreshSeconds === undefined ? "" : `<meta http-equiv="refresh" content="${Math.max(0, Math.round(refreshSeconds))}">`;
  const body = [...paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`), link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ""].join("");
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}<title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#0f172a;line-height:1.5"><main><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
