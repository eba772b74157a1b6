import { translator } from "~/i18n/index.ts";
import { visitorLocale } from "~/i18n/locale.server.ts";
import { shortPage } from "./short-page.server.ts";

/**
 * The page a browser gets when a busy process turns its request away before any app code ran
 * (server/admission.mjs, handed this through build.entry.module). No database: the language is the
 * one the visitor picked while signed out, else Accept-Language. A page asked for with GET reloads
 * itself after `seconds`; a form posted without JavaScript was not sent, and the page says so.
 */
export async function busyPage(headers: { cookie?: string; "accept-language"?: string }, seconds: number, reload: boolean) {
  const locale = await visitorLocale(headers.cookie ?? null, headers["accept-language"] ?? null);
  const t = translator(locale);
  return shortPage({
    locale,
    title: t("busy.pageTitle"),
    paragraphs: [t(reload ? "busy.pageReload" : "busy.pageNotSent", { seconds })],
    refreshSeconds: reload ? seconds : undefined,
  });
}
