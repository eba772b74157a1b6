import { data } from "react-router";
import { runtimeLaunch } from "~/scorm/attempts.server.ts";
import { requireContentSite } from "~/scorm/content-site.server.ts";
import { type LaunchData, serializeLaunchData } from "~/scorm/launch.ts";
import { env } from "~/utils/env.server.ts";
import { DomainError, statusOf } from "~/utils/errors.server.ts";
import { LOCALES, translator } from "~/i18n/index.ts";
import type { Route } from "./+types/run";

// The runtime host page on the content origin: it carries the launch data, loads the SCORM API
// (scorm-again with Opora's commit outbox, /scorm-content/runtime.js) and then the SCO in a frame
// of its own, where the SCO finds the API on window.parent as the standard expects.
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function loader({ params, context }: Route.LoaderArgs) {
  requireContentSite(context);
  try {
    const launch = await runtimeLaunch({ token: params.token });
    const payload: LaunchData = { ...launch, commitUrl: `/scorm-content/run/${params.token}/commit`, parentOrigin: new URL(env.PUBLIC_URL).origin, autocommitSeconds: 10 };
    const html = `<!doctype html>
<html lang="${launch.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(launch.scoTitle)}</title>
<style>html,body{margin:0;height:100%;background:#fff}#opora-sco-frame-holder,#opora-sco-frame-holder iframe{width:100%;height:100%;border:0;display:block}</style>
<script type="application/json" id="opora-scorm-launch">${serializeLaunchData(payload)}</script>
<script type="module" src="/scorm-content/runtime.js"></script>
</head><body><div id="opora-sco-frame-holder"></div></body></html>`;
    return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
  } catch (error) {
    // No session on this site tells the language: the message in both.
    if (error instanceof DomainError) throw data(LOCALES.map((locale) => translator(locale)(error.messageKey as never)).join(" / "), { status: statusOf(error) });
    throw error;
  }
}
