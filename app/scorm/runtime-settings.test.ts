import type { CommitMetadata, IHttpService } from "scorm-again";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  buildRuntimeSettings,
  createScormApi,
  DEFAULT_AUTOCOMMIT_SECONDS,
  LIFTED_LIMITS,
  liftDataModelLimits,
  OUTBOX_COMMIT_URL,
} from "./runtime-settings.ts";

type Captured = { url: string; immediate: boolean; metadata: CommitMetadata | undefined; payload: unknown };

function capture(commits: Captured[]): IHttpService {
  return {
    processHttpRequest: (url, params, immediate, _log, _listeners, metadata) => {
      commits.push({ url, immediate, metadata, payload: JSON.parse(JSON.stringify(params)) });
      return { result: "true", errorCode: 0 };
    },
    updateSettings: () => {},
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("buildRuntimeSettings", () => {
  it("routes commits to the outbox and keeps status logic out of the client", () => {
    const httpService = capture([]);
    const settings = buildRuntimeSettings({ version: "1.2", httpService });
    expect(settings).toMatchObject({
      lmsCommitUrl: OUTBOX_COMMIT_URL,
      httpService,
      autocommit: true,
      autocommitSeconds: DEFAULT_AUTOCOMMIT_SECONDS,
      useAsynchronousCommits: false,
      dataCommitFormat: "json",
      renderCommonCommitFields: false,
      mastery_override: false,
      score_overrides_status: false,
      enableOfflineSupport: false,
      globalStudentPreferences: false,
      logLevel: "ERROR",
    });
    expect(settings).not.toHaveProperty("scoItemIds");
  });

  it("makes commits a local no-op without an outbox and can turn autocommit off", () => {
    expect(buildRuntimeSettings({ version: "2004", autocommitSeconds: false, scoItemIds: ["a"], logLevel: "NONE" })).toMatchObject({
      lmsCommitUrl: false,
      httpService: null,
      autocommit: false,
      scoItemIds: ["a"],
      logLevel: "NONE",
    });
  });
});

describe("createScormApi", () => {
  it("runs in plain Node: no window, navigator, XMLHttpRequest or localStorage needed", () => {
    expect(typeof (globalThis as Record<string, unknown>).XMLHttpRequest).toBe("undefined");
    const a = createScormApi({ version: "1.2", logLevel: "NONE", autocommitSeconds: false });
    expect(a).toBeInstanceOf(Scorm12API);
    expect([a.LMSInitialize(""), a.LMSCommit(""), a.LMSFinish("")]).toEqual(["true", "true", "true"]);
    const b = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false });
    expect(b).toBeInstanceOf(Scorm2004API);
    expect([b.Initialize(""), b.Commit(""), b.Terminate("")]).toEqual(["true", "true", "true"]);
  });

  it("hands every commit to the outbox synchronously, total_time only on Terminate", () => {
    const commits: Captured[] = [];
    const api = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false, httpService: capture(commits) });
    api.loadFromJSON({ cmi: { total_time: "PT10M" } });
    api.Initialize("");
    api.SetValue("cmi.session_time", "PT1M");
    expect(api.Commit("")).toBe("true");
    api.SetValue("cmi.exit", "suspend");
    api.SetValue("adl.nav.request", "continue");
    expect(api.Terminate("")).toBe("true");
    expect(commits.map((c) => [c.url, c.immediate, c.metadata])).toEqual([
      [OUTBOX_COMMIT_URL, false, { isTerminateCommit: false, trigger: "manual", sequence: 1 }],
      [OUTBOX_COMMIT_URL, true, { isTerminateCommit: true, trigger: "terminate", sequence: 2 }],
    ]);
    expect(Object.keys(commits[0].payload as object)).toEqual(["cmi"]);
    expect((commits[0].payload as { cmi: object }).cmi).not.toHaveProperty("total_time");
    expect(commits[1].payload).toMatchObject({ cmi: { total_time: "PT11M", session_time: "PT1M", exit: "suspend" } });
  });

  it("autocommits once after a change when enabled", () => {
    vi.useFakeTimers();
    const commits: Captured[] = [];
    const api = createScormApi({ version: "1.2", logLevel: "NONE", autocommitSeconds: 5, httpService: capture(commits) });
    api.LMSInitialize("");
    api.LMSSetValue("cmi.core.lesson_location", "p1");
    api.LMSSetValue("cmi.core.lesson_location", "p2");
    vi.advanceTimersByTime(4_999);
    expect(commits).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(commits.map((c) => c.metadata?.trigger)).toEqual(["autocommit"]);
    expect(commits[0].payload).toMatchObject({ cmi: { core: { lesson_location: "p2" } } });
    api.LMSFinish("");
  });

  it("leaves the SCO's 1.2 status alone on LMSFinish (mastery is applied server-side)", () => {
    const commits: Captured[] = [];
    const api = createScormApi({ version: "1.2", logLevel: "NONE", autocommitSeconds: false, httpService: capture(commits) });
    api.loadFromJSON({ cmi: { core: { credit: "credit" }, student_data: { mastery_score: "80" } } });
    api.LMSInitialize("");
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    api.LMSSetValue("cmi.core.score.raw", "95");
    api.LMSFinish("");
    expect(commits[0].payload).toMatchObject({ cmi: { core: { lesson_status: "incomplete" } } });
  });

  it("answers 2004 choice validity from scoItemIds", () => {
    const api = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false, scoItemIds: ["sco-2"] });
    api.Initialize("");
    expect(api.GetValue("adl.nav.request_valid.choice.{target=sco-2}")).toBe("true");
    expect(api.GetValue("adl.nav.request_valid.choice.{target=sco-9}")).toBe("false");
  });

  it("is preferred over reset(), which keeps the previous SCO's data", () => {
    const api = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false });
    api.loadFromJSON({ cmi: { completion_threshold: "0.8", total_time: "PT1H", launch_data: "first" } });
    api.Initialize("");
    api.Terminate("");
    api.reset();
    expect([api.cmi.completion_threshold, api.cmi.total_time, api.cmi.launch_data]).toEqual(["0.8", "PT1H", "first"]);
  });
});

describe("liftDataModelLimits", () => {
  const set12 = (api: Scorm12API, el: string, v: string) => [api.LMSSetValue(el, v), api.LMSGetLastError()];
  const set04 = (api: Scorm2004API, el: string, v: string) => [api.SetValue(el, v), api.GetLastError()];

  it("keeps scorm-again's own caps when not applied", () => {
    const a = createScormApi({ version: "1.2", logLevel: "NONE", autocommitSeconds: false });
    a.LMSInitialize("");
    expect(set12(a, "cmi.suspend_data", "x".repeat(64_000))).toEqual(["true", "0"]);
    expect(set12(a, "cmi.suspend_data", "x".repeat(64_001))).toEqual(["false", "405"]);
    expect(set12(a, "cmi.core.lesson_location", "x".repeat(256))).toEqual(["false", "405"]);
    const b = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false });
    b.Initialize("");
    expect(set04(b, "cmi.suspend_data", "x".repeat(64_001))).toEqual(["false", "406"]);
    expect(set04(b, "cmi.location", "x".repeat(1_001))).toEqual(["false", "406"]);
  });

  it("raises SCORM 1.2 caps and still rejects beyond them", () => {
    const a = createScormApi({ version: "1.2", logLevel: "NONE", autocommitSeconds: false, liftLimits: true });
    a.LMSInitialize("");
    const big = "y\n".repeat(LIFTED_LIMITS.suspendData / 2);
    expect(set12(a, "cmi.suspend_data", big)).toEqual(["true", "0"]);
    expect(a.LMSGetValue("cmi.suspend_data")).toBe(big);
    expect(set12(a, "cmi.suspend_data", `${big}z`)).toEqual(["false", "405"]);
    expect(set12(a, "cmi.core.lesson_location", "l".repeat(LIFTED_LIMITS.location))).toEqual(["true", "0"]);
    expect(set12(a, "cmi.core.lesson_location", "l".repeat(LIFTED_LIMITS.location + 1))).toEqual(["false", "405"]);
    expect(a.renderCMIToJSONObject()).toMatchObject({ cmi: { suspend_data: big } });
  });

  it("raises SCORM 2004 caps, accepts an empty location and still rejects beyond the caps", () => {
    const b = createScormApi({ version: "2004", logLevel: "NONE", autocommitSeconds: false, liftLimits: true });
    b.Initialize("");
    expect(set04(b, "cmi.suspend_data", "s".repeat(LIFTED_LIMITS.suspendData))).toEqual(["true", "0"]);
    expect(set04(b, "cmi.suspend_data", "s".repeat(LIFTED_LIMITS.suspendData + 1))).toEqual(["false", "406"]);
    expect(set04(b, "cmi.location", "")).toEqual(["true", "0"]);
    expect(set04(b, "cmi.location", "l".repeat(LIFTED_LIMITS.location))).toEqual(["true", "0"]);
    expect(set04(b, "cmi.location", "l".repeat(LIFTED_LIMITS.location + 1))).toEqual(["false", "406"]);
    expect(b.GetValue("cmi.location")).toBe("l".repeat(LIFTED_LIMITS.location));
  });

  it("applies to values restored with loadFromJSON", () => {
    const api = new Scorm2004API({ logLevel: "NONE" });
    liftDataModelLimits(api);
    const big = "r".repeat(100_000);
    api.loadFromJSON({ cmi: { suspend_data: big } });
    api.Initialize("");
    expect(api.GetValue("cmi.suspend_data")).toBe(big);
  });
});
