// scorm-again settings for our player, and the small amount of instance patching the settings
// cannot express. Pure: no DOM access here (scorm-again itself runs in Node with these settings).
//
// Choices (scorm-again 3.4.3):
// - Commits go through our own IHttpService (`httpService`), which must queue the payload
//   synchronously (e.g. localStorage outbox with our sequence number) and return success; it
//   sends, retries and flushes on pagehide itself. scorm-again only hands a commit to the
//   service when `lmsCommitUrl` is a string, hence the sentinel URL. Without a service, commits
//   are no-ops that succeed (tests, previews). The built-in services are avoided: the default one
//   uses synchronous XHR and navigator.sendBeacon on Terminate and has no retry; the offline
//   support only queues while navigator.onLine is false, drops items after maxSyncAttempts and
//   shares one localStorage queue between courses.
// - Payload: `{ cmi, adl?, sharedData? }` (json format, full commit, no common fields). total_time
//   appears only on terminate commits; the server computes totals from session_time instead.
// - No status rewriting in the client: 1.2 mastery_override defaults to true whenever
//   settings are passed and then overrides even "incomplete" and SCO-set passed/failed on
//   LMSFinish. deriveScoState() in cmi.ts applies the mastery rule server-side.
// - No global learner preferences (a static shared by every instance in the page).

import type { IHttpService, LogLevel, Settings } from "scorm-again";
import { Scorm12API, Scorm2004API } from "scorm-again";
import type { ScormVersion } from "./cmi.ts";

/** Sentinel commit URL: never fetched, only routes commits to `httpService`. */
export const OUTBOX_COMMIT_URL = "opora:outbox";

/** Default autocommit delay: a commit is captured at most this long after the first unsaved SetValue. */
export const DEFAULT_AUTOCOMMIT_SECONDS = 10;

/**
 * Caps applied by liftDataModelLimits(). scorm-again 3.4.3 already accepts 64,000 characters of
 * SCORM 1.2 suspend_data (the standard says 4,096); these go further for suspend data and
 * locations and let SCORM 2004 store an empty cmi.location (the library answers 406).
 * The server must accept payloads of this size.
 */
export const LIFTED_LIMITS = { suspendData: 256_000, location: 4_096 } as const;

export interface RuntimeSettingsInput {
  version: ScormVersion;
  logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "NONE";
  onLogMessage?: (level: LogLevel, message: string) => void;
  /** The player's outbox. Omit to make commits succeed without going anywhere. */
  httpService?: IHttpService | null;
  /** Seconds before an automatic commit after a SetValue; false disables autocommit. */
  autocommitSeconds?: number | false;
  /** 2004: targets for which adl.nav.request_valid.choice.{target=…} answers "true". */
  scoItemIds?: readonly string[];
}

export function buildRuntimeSettings(input: RuntimeSettingsInput): Settings {
  const autocommitSeconds = input.autocommitSeconds ?? DEFAULT_AUTOCOMMIT_SECONDS;
  const settings: Settings = {
    lmsCommitUrl: input.httpService ? OUTBOX_COMMIT_URL : false,
    httpService: input.httpService ?? null,
    autocommit: autocommitSeconds !== false,
    autocommitSeconds: autocommitSeconds === false ? DEFAULT_AUTOCOMMIT_SECONDS : autocommitSeconds,
    useAsynchronousCommits: false,
    throttleCommits: false,
    dataCommitFormat: "json",
    sendFullCommit: true,
    renderCommonCommitFields: false,
    includeCommitSequence: false,
    alwaysSendTotalTime: false,
    selfReportSessionTime: false,
    accumulateSessionTimeOnTerminate: false,
    mastery_override: false,
    score_overrides_status: false,
    autoCompleteLessonStatus: false,
    autoProgress: false,
    enableOfflineSupport: false,
    globalStudentPreferences: false,
    logLevel: input.logLevel ?? "ERROR",
  };
  if (input.onLogMessage) settings.onLogMessage = input.onLogMessage;
  if (input.version === "2004") settings.scoItemIds = [...(input.scoItemIds ?? [])];
  return settings;
}

export type ScormApi = Scorm12API | Scorm2004API;

/**
 * A fresh API for one SCO launch. Prefer a new instance per launch over `api.reset()`, which in
 * 3.4.3 keeps the previous SCO's location, suspend data, status, thresholds, total time and more.
 */
export function createScormApi(input: RuntimeSettingsInput & { version: "1.2"; liftLimits?: boolean }): Scorm12API;
export function createScormApi(input: RuntimeSettingsInput & { version: "2004"; liftLimits?: boolean }): Scorm2004API;
export function createScormApi(input: RuntimeSettingsInput & { liftLimits?: boolean }): ScormApi;
export function createScormApi(input: RuntimeSettingsInput & { liftLimits?: boolean }): ScormApi {
  const settings = buildRuntimeSettings(input);
  const api = input.version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (input.liftLimits) liftDataModelLimits(api);
  conformToStandard(api);
  return api;
}

/**
 * Corrects, on one instance, the SCO-facing API methods where scorm-again 3.4.3 deviates from the
 * standard (each case is asserted in api-errors.test.ts against the raw library too, so a fixed
 * upstream shows up there). The instance's own `LMSFinish`/`GetValue` properties are replaced by
 * wrappers that delegate to the original with the caller's `this` (the API object when the SCO
 * calls `API.LMSFinish("")`; a detached call falls back to `api`).
 * createScormApi() applies this; call it yourself only on an API built another way.
 */
export function conformToStandard(api: ScormApi): void {
  if (api instanceof Scorm12API) {
    // SCORM 1.2 RTE 3.4.3.2: LMSFinish returns "false" when it fails. On a second LMSFinish the
    // library sets error 101 but returns "true" (its terminate() only returns "false" for 113).
    // A successful LMSFinish leaves the error at 0, so a non-zero error after "true" is a failure.
    const finish = api.LMSFinish;
    api.LMSFinish = function (this: Scorm12API | undefined, parameter?: string): string {
      const self = this ?? api;
      const result = finish.call(self, parameter);
      return result === "true" && self.lastErrorCode !== "0" ? "false" : result;
    };
    return;
  }

  // SCORM 2004 RTE 3.1.7: every API call other than the error methods resets the error state
  // when it succeeds. The library answers cmi.completion_status, cmi.success_status and
  // adl.nav.request_valid.{choice|jump}.{target=…} from shortcuts that leave the previous error
  // in place. While the session is running we reset the error before delegating; every failing
  // path of GetValue sets its own code afterwards.
  const getValue = api.GetValue;
  api.GetValue = function (this: Scorm2004API | undefined, element: string): string {
    const self = this ?? api;
    if (self.isInitialized()) self.lastErrorCode = "0";
    return getValue.call(self, element);
  };

  // SCORM 2004 RTE 4.2.12: cmi.location is a characterstring of up to 1000 characters, so ""
  // is valid; the library's check requires at least one character and answers 406. Store ""
  // directly; every other value still goes through the library's setter. (With lifted limits
  // the shadowed setter already accepts "", and this wraps it.)
  const content = (api.cmi as unknown as { content?: object }).content;
  if (!content) throw new Error("scorm-again changed: cmi.content not found");
  shadowSetter(content, "location", "_location", (value) => value === "");
}

/**
 * Raises the length caps of suspend data and location (LIFTED_LIMITS) on one API instance, by
 * shadowing the library's accessors on the CMI objects that hold them. Values within our cap are
 * stored directly; anything else still goes through the library's setter, so the usual type
 * checks and error codes (1.2: 405, 2004: 406) apply. Call before loadFromJSON.
 */
export function liftDataModelLimits(api: ScormApi): void {
  if (api instanceof Scorm12API) {
    const core = api.cmi.core as unknown as object;
    shadowStringSetter(core, "suspend_data", "_suspend_data", LIFTED_LIMITS.suspendData);
    shadowStringSetter(core, "lesson_location", "_lesson_location", LIFTED_LIMITS.location);
    return;
  }
  // 2004 keeps location and suspend_data in a private CMIContent component.
  const content = (api.cmi as unknown as { content?: object }).content;
  if (!content) throw new Error("scorm-again changed: cmi.content not found");
  shadowStringSetter(content, "suspend_data", "_suspend_data", LIFTED_LIMITS.suspendData);
  shadowStringSetter(content, "location", "_location", LIFTED_LIMITS.location);
}

function shadowStringSetter(target: object, prop: string, field: string, cap: number): void {
  shadowSetter(target, prop, field, (value) => value.length <= cap);
}

/**
 * Replaces `target[prop]` with an own accessor: strings that `accept` are written straight to
 * the backing `field`; anything else goes to the accessor found before (the library's, or an
 * earlier shadow on the same object).
 */
function shadowSetter(target: object, prop: string, field: string, accept: (value: string) => boolean): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, prop) ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target), prop);
  const { get, set } = descriptor ?? {};
  if (!get || !set || !(field in target)) {
    throw new Error(`scorm-again changed: no ${prop} accessor backed by ${field}`);
  }
  Object.defineProperty(target, prop, {
    configurable: true,
    enumerable: false,
    get() {
      return get.call(this);
    },
    set(value: unknown) {
      if (typeof value === "string" && accept(value)) {
        (this as Record<string, unknown>)[field] = value;
      } else {
        set.call(this, value);
      }
    },
  });
}
