// Browser entry of the SCORM runtime host page on the content origin (bundled to
// /scorm-content/runtime.js by vite.scorm-runtime.config.ts). DOM wiring only; the commit logic
// lives in runtime-outbox.ts and the page contract in launch.ts.
//
// Order matters: the API is created, seeded and exposed on this window before the SCO frame
// exists, because the SCO looks for it on window.parent as soon as it loads.

import type { Scorm12API, Scorm2004API } from "scorm-again";
import type { LaunchData, RuntimeMessage } from "~/scorm/launch.ts";
import { LAUNCH_DATA_ELEMENT_ID, parseLaunchData, RUNTIME_MESSAGE_SOURCE, SCO_FRAME_HOLDER_ID } from "~/scorm/launch.ts";
import type { OutboxEnv, OutboxStorage } from "~/scorm/runtime-outbox.ts";
import { CommitOutbox, outboxHttpService, pruneOrphanedOutboxes, readNavRequest, seedWithRecoveredCommit } from "~/scorm/runtime-outbox.ts";
import type { ScormApi } from "~/scorm/runtime-settings.ts";
import { createScormApi } from "~/scorm/runtime-settings.ts";

const FRAME_TITLE = { sl: "Vsebina modula", en: "Module content" } as const;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function post(launch: LaunchData, message: DistributiveOmit<RuntimeMessage, "source" | "attemptId">): void {
  if (window.parent === window) return;
  try {
    window.parent.postMessage({ ...message, source: RUNTIME_MESSAGE_SOURCE, attemptId: launch.attemptId }, launch.parentOrigin);
  } catch {
    // The parent navigated away; nothing to tell.
  }
}

function readLaunchData(): LaunchData | null {
  const text = document.getElementById(LAUNCH_DATA_ELEMENT_ID)?.textContent;
  if (!text) return null;
  try {
    return parseLaunchData(JSON.parse(text));
  } catch {
    return null;
  }
}

/** localStorage, or null where reading it throws (storage blocked, opaque origin). */
function localStorageOrNull(): OutboxStorage | null {
  try {
    const storage = window.localStorage;
    storage.getItem("opora-scorm-probe");
    return storage;
  } catch {
    return null;
  }
}

function browserEnv(): OutboxEnv {
  return {
    storage: localStorageOrNull(),
    fetch: (url, init) => window.fetch(url, init),
    sendBeacon:
      typeof navigator.sendBeacon === "function"
        ? (url, body) => navigator.sendBeacon(url, new Blob([body], { type: "text/plain;charset=UTF-8" }))
        : null,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    now: () => Date.now(),
    random: () => Math.random(),
  };
}

/**
 * Captures data the SCO set but did not commit yet (most SCOs rely on autocommit or never call
 * Commit), so hiding or closing the page loses nothing. A commit with unchanged data is skipped
 * by the outbox. The SCO's last error is restored: this call is ours, not the SCO's.
 */
function captureUncommitted(version: LaunchData["version"], api: ScormApi): void {
  try {
    if (!api.isInitialized()) return;
    const lastError = api.lastErrorCode;
    if (version === "1.2") (api as Scorm12API).LMSCommit("");
    else (api as Scorm2004API).Commit("");
    api.lastErrorCode = lastError;
  } catch {
    // Never break unload handling.
  }
}

function start(): void {
  const launch = readLaunchData();
  const holder = document.getElementById(SCO_FRAME_HOLDER_ID);
  if (!launch || !holder) {
    // No trusted parent origin to report to; the parent notices that no "saving" message came.
    console.error("Opora SCORM runtime: missing or invalid launch data");
    return;
  }

  const env = browserEnv();
  const outbox = new CommitOutbox(
    {
      attemptId: launch.attemptId,
      commitUrl: launch.commitUrl,
      ackSeq: launch.ackSeq,
      onStatus: (status) => post(launch, { type: "saving", ...status, keptOnDevice: env.storage !== null }),
      onSaved: (saved) => post(launch, { type: "saved", ...saved }),
      onRejected: (rejected) => post(launch, { type: "rejected", ...rejected }),
      onExpired: () => post(launch, { type: "expired" }),
      onTerminated: (notice) => post(launch, { type: "terminated", ...notice }),
    },
    env,
  );

  let api: ScormApi | null = null;
  const httpService = outboxHttpService(outbox, () => (api ? readNavRequest(api) : null));
  api = createScormApi({
    version: launch.version,
    liftLimits: true,
    httpService,
    scoItemIds: launch.scoItemIds,
    autocommitSeconds: launch.autocommitSeconds,
  });
  try {
    api.loadFromJSON(seedWithRecoveredCommit(launch.version, launch.seed, outbox.recovered));
  } catch (error) {
    // loadFromJSON stops at the first invalid value; what came before it is loaded.
    console.error("Opora SCORM runtime: seeding failed", error);
    post(launch, { type: "error", reason: "seed" });
  }
  const globals = window as unknown as Record<string, unknown>;
  if (launch.version === "1.2") globals.API = api;
  else globals.API_1484_11 = api;

  outbox.start();

  const sealed = api;
  const onHide = () => {
    captureUncommitted(launch.version, sealed);
    outbox.flush();
  };
  window.addEventListener("pagehide", onHide);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") onHide();
  });
  window.addEventListener("online", () => outbox.setOnline(true));
  window.addEventListener("offline", () => outbox.setOnline(false));
  if (navigator.onLine === false) outbox.setOnline(false);

  const frame = document.createElement("iframe");
  frame.src = launch.scoUrl;
  frame.title = launch.scoTitle ? `${FRAME_TITLE[launch.locale]}: ${launch.scoTitle}` : FRAME_TITLE[launch.locale];
  frame.allow = "fullscreen; autoplay";
  frame.style.cssText = "display:block;width:100%;height:100%;border:0";
  holder.append(frame);

  // Local housekeeping only: other attempts' commits are sent by their own next launch.
  pruneOrphanedOutboxes(env, launch.attemptId);
}

start();
