import { useEffect, useRef, useState } from "react";
import { Link, type ShouldRevalidateFunctionArgs, useNavigate } from "react-router";
import type { Route } from "./+types/scorm";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { itemPath } from "~/learning/course-state.ts";
import { launchScorm } from "~/scorm/attempts.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";

// The SCORM player: the package runs in a frame from the content origin (another site, so its
// script cannot act as the learner here; the frame may not navigate this page). The runtime in that
// frame reports saving and the end of each part by postMessage; this page listens only to that frame.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const sco = new URL(request.url).searchParams.get("sco");
  const launched = await orErrorPage(() => launchScorm({ actor: user, slug: params.slug, itemKey: params.itemKey, scoId: sco }));
  const done = launched.module.items.find((i) => i.key === params.itemKey)?.done ?? false;
  return {
    slug: params.slug,
    itemKey: params.itemKey,
    title: launched.item.title,
    scos: launched.scos,
    current: launched.sco.id,
    runUrl: launched.runUrl,
    contentOrigin: launched.contentOrigin,
    done,
    next: launched.next ? itemPath(params.slug, launched.next) : null,
  };
}

// "offlineThisPage": offline, and the browser lets the runtime keep no copy on the device (third-party
// storage blocked, as in private windows): only this open page holds the progress.
type Saving = "idle" | "saving" | "saved" | "offline" | "offlineThisPage" | "failed" | "expired";
type ScoState = { completion: string; success: string; satisfied: boolean; scoreScaled: number | null };
type CommitResult = { state?: ScoState | null; moduleCompleted?: boolean };
type RuntimeMessage = { source: "opora-scorm"; type: "saving" | "saved" | "rejected" | "expired" | "terminated" | "error"; pending?: boolean; offline?: boolean; keptOnDevice?: boolean; failedAttempts?: number; permanentFailure?: boolean; navRequest?: string | null; state?: (ScoState & CommitResult) | null; result?: CommitResult };

// Every load launches a part (a new launch token): only a new address may do that, never a
// background revalidation while the package is playing.
export function shouldRevalidate({ currentUrl, nextUrl, formMethod }: ShouldRevalidateFunctionArgs) {
  return !formMethod && currentUrl.href !== nextUrl.href;
}

export default function ScormPlayer({ loaderData }: Route.ComponentProps) {
  // Each launch (another part, or the same one again) starts with fresh state.
  return <Player key={loaderData.runUrl} loaderData={loaderData} />;
}

function Player({ loaderData }: { loaderData: Route.ComponentProps["loaderData"] }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const frame = useRef<HTMLIFrameElement>(null);
  const [saving, setSaving] = useState<Saving>("idle");
  const [ended, setEnded] = useState(false);
  const [moduleDone, setModuleDone] = useState(loaderData.done);
  const [latest, setLatest] = useState<ScoState | null>(null);
  // The frame loads only once this page listens to it: a runtime that starts by sending what the
  // learner saved offline last time would otherwise report it before anyone hears.
  const [listening, setListening] = useState(false);
  const { current } = loaderData;
  // The open part's standing as its last save reported it.
  const scos = loaderData.scos.map((sco) => (sco.id === current && latest ? { ...sco, ...latest, satisfied: sco.satisfied || latest.satisfied } : sco));
  const launchable = scos.filter((s) => s.tracked || scos.length > 1);
  const index = scos.findIndex((s) => s.id === current);
  const previous = index > 0 ? scos[index - 1] : null;
  const following = index >= 0 && index < scos.length - 1 ? scos[index + 1] : null;
  const here = `/learn/${loaderData.slug}/scorm/${loaderData.itemKey}`;
  // What the message handler needs, read when a message arrives (the handler is added once).
  const parts = useRef({ here, previous, following, ids: scos.map((s) => s.id) });
  parts.current = { here, previous, following, ids: scos.map((s) => s.id) };

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== loaderData.contentOrigin || event.source !== frame.current?.contentWindow) return;
      const message = event.data as RuntimeMessage;
      if (message?.source !== "opora-scorm") return;
      // "Saved" only after the server said so; a refusal or an expired launch stays on screen.
      if (message.type === "saving") setSaving((now) => (now === "failed" || now === "expired" ? now : message.offline ? (message.keptOnDevice === false ? "offlineThisPage" : "offline") : message.pending ? "saving" : now === "idle" ? "idle" : "saved"));
      if (message.type === "rejected") setSaving("failed");
      if (message.type === "expired") setSaving("expired");
      if (message.type === "saved") {
        setSaving("saved");
        const result: CommitResult = message.result ?? message.state ?? {};
        const state = result.state ?? (message.state && "completion" in message.state ? message.state : null);
        if (state) setLatest({ completion: state.completion, success: state.success, satisfied: state.satisfied, scoreScaled: state.scoreScaled });
        if (result.moduleCompleted || message.state?.moduleCompleted) setModuleDone(true);
      }
      if (message.type === "terminated") {
        const { here, previous, following, ids } = parts.current;
        const request = message.navRequest ?? "";
        const choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
        if (request === "continue" && following) navigate(`${here}?sco=${encodeURIComponent(following.id)}`);
        else if (request === "previous" && previous) navigate(`${here}?sco=${encodeURIComponent(previous.id)}`);
        else if (choice && ids.includes(choice[1])) navigate(`${here}?sco=${encodeURIComponent(choice[1])}`);
        else setEnded(true);
      }
    }
    window.addEventListener("message", onMessage);
    setListening(true);
    return () => window.removeEventListener("message", onMessage);
  }, [loaderData.contentOrigin, navigate]);

  const status = saving === "idle" ? null : t(`scorm.status.${saving}`);
  return (
    <div className="space-y-4">
      <PageHeading>{pick(loaderData.title, locale)}</PageHeading>
      <p role="status" aria-live="polite" className={`min-h-6 text-sm ${saving === "offline" || saving === "offlineThisPage" || saving === "failed" || saving === "expired" ? "font-semibold text-amber-800" : "text-slate-600"}`}>
        {status}
        {saving === "expired" ? (
          <>
            {" "}
            <a href={`${here}?sco=${encodeURIComponent(current)}`} className="underline">
              {t("scorm.reopen")}
            </a>
          </>
        ) : null}
      </p>
      {moduleDone ? (
        <Card className="flex flex-wrap items-center justify-between gap-3 border-emerald-300">
          <p className="font-semibold text-emerald-900">{t("scorm.moduleDone")}</p>
          {loaderData.next ? <LinkButton to={loaderData.next}>{t("scorm.continue")}</LinkButton> : <LinkButton to={`/learn/${loaderData.slug}`}>{t("scorm.backToCourse")}</LinkButton>}
        </Card>
      ) : ended ? (
        <Card>
          <p>{t("scorm.ended")}</p>
        </Card>
      ) : null}
      <div className="flex flex-col gap-4 lg:flex-row">
        {launchable.length > 1 ? (
          <nav aria-label={t("scorm.contents")} className="order-2 lg:order-1 lg:w-64 lg:shrink-0">
            <h2 className="mb-2 font-semibold">{t("scorm.contents")}</h2>
            <ol className="space-y-1">
              {scos.map((sco) => (
                <li key={sco.id} style={{ paddingLeft: `${sco.depth * 0.75}rem` }}>
                  <Link to={`${here}?sco=${encodeURIComponent(sco.id)}`} aria-current={sco.id === current ? "page" : undefined} className={`block rounded px-2 py-1 underline-offset-2 hover:underline ${sco.id === current ? "bg-brand-50 font-semibold" : ""}`}>
                    {sco.title}
                  </Link>
                  {sco.tracked ? (
                    <span className="block px-2 text-xs text-slate-600">
                      {t(`scorm.sco.${sco.satisfied ? "satisfied" : sco.success === "failed" ? "failed" : sco.completion === "not_attempted" ? "not_attempted" : "incomplete"}`)}
                      {sco.scoreScaled !== null ? `, ${t("scorm.score", { score: Math.round(sco.scoreScaled * 100) })}` : ""}
                    </span>
                  ) : null}
                </li>
              ))}
            </ol>
            <div className="mt-3 flex gap-2">
              {previous ? <LinkButton to={`${here}?sco=${encodeURIComponent(previous.id)}`} variant="secondary">{t("scorm.previous")}</LinkButton> : null}
              {following ? <LinkButton to={`${here}?sco=${encodeURIComponent(following.id)}`} variant="secondary">{t("scorm.next")}</LinkButton> : null}
            </div>
          </nav>
        ) : null}
        <iframe
          ref={frame}
          src={listening ? loaderData.runUrl : undefined}
          title={t("scorm.frameTitle", { title: scos[index]?.title ?? pick(loaderData.title, locale) })}
          // No allow-top-navigation: the package cannot take the learner away from Opora.
          sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals allow-downloads"
          allow="fullscreen; autoplay"
          referrerPolicy="no-referrer"
          className="order-1 h-[calc(100dvh-9rem)] min-h-72 w-full rounded border border-slate-300 bg-white lg:order-2 lg:h-[75vh] lg:min-h-[28rem]"
        />
      </div>
      <p>
        <Link to={`/learn/${loaderData.slug}`} className="underline">
          {t("scorm.backToCourse")}
        </Link>
      </p>
    </div>
  );
}
