// Error codes of the API the player hands to SCOs (createScormApi: scorm-again configured and
// patched as our player uses it), asserted against the SCORM 1.2 RTE (3.3.4 error codes) and
// SCORM 2004 4th Edition RTE (3.1.7). Where scorm-again 3.4.3 itself deviates, the last block
// shows the raw library's behaviour next to the corrected one; if an upgrade fixes the library,
// those "raw" assertions fail and the patch in conformToStandard() can go.
import type { IHttpService } from "scorm-again";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { describe, expect, it } from "vitest";
import { buildRuntimeSettings, conformToStandard, createScormApi } from "./runtime-settings.ts";

function capture(commits: unknown[]): IHttpService {
  return {
    processHttpRequest: (_url, params) => {
      commits.push(JSON.parse(JSON.stringify(params)));
      return { result: "true", errorCode: 0 };
    },
    updateSettings: () => {},
  };
}

const configurations = [
  { name: "library limits", liftLimits: false },
  { name: "lifted limits", liftLimits: true },
] as const;

describe.each(configurations)("SCORM 1.2 API ($name)", ({ liftLimits }) => {
  const make = () => {
    const commits: unknown[] = [];
    const api = createScormApi({ version: "1.2", liftLimits, logLevel: "NONE", autocommitSeconds: false, httpService: capture(commits) });
    return { api, commits };
  };
  const started = () => {
    const made = make();
    expect(made.api.LMSInitialize("")).toBe("true");
    return made;
  };
  type Api12 = ReturnType<typeof make>["api"];
  const set = (api: Api12, el: string, value: string) => [api.LMSSetValue(el, value), api.LMSGetLastError()];
  const get = (api: Api12, el: string) => [api.LMSGetValue(el), api.LMSGetLastError()];

  it("0: starts with no error and reports 0 after a successful call that follows an error", () => {
    const { api } = make();
    expect(api.LMSGetLastError()).toBe("0");
    api.LMSInitialize("");
    expect(api.LMSGetLastError()).toBe("0");
    expect(set(api, "cmi.core.lesson_status", "bogus")).toEqual(["false", "405"]);
    expect(get(api, "cmi.core.lesson_status")).toEqual(["not attempted", "0"]);
    expect(set(api, "cmi.core.lesson_status", "bogus")[1]).toBe("405");
    expect(set(api, "cmi.core.lesson_location", "p1")).toEqual(["true", "0"]);
  });

  it("101: LMSInitialize twice fails with a general exception", () => {
    const { api } = started();
    expect(api.LMSInitialize("")).toBe("false");
    expect(api.LMSGetLastError()).toBe("101");
  });

  it("101: LMSFinish twice fails with a general exception", () => {
    const { api } = started();
    expect(api.LMSFinish("")).toBe("true");
    // RTE 3.4.3.2: LMSFinish returns "false" when it fails (raw scorm-again returns "true").
    expect([api.LMSFinish(""), api.LMSGetLastError()]).toEqual(["false", "101"]);
  });

  it("201: a non-empty argument to LMSInitialize, LMSCommit or LMSFinish is invalid", () => {
    const { api } = make();
    expect([api.LMSInitialize("x"), api.LMSGetLastError()]).toEqual(["false", "201"]);
    api.LMSInitialize("");
    expect([api.LMSCommit("x"), api.LMSGetLastError()]).toEqual(["false", "201"]);
    expect([api.LMSFinish("x"), api.LMSGetLastError()]).toEqual(["false", "201"]);
  });

  it("202 / 203: _children and _count on elements without them", () => {
    const { api } = started();
    expect(get(api, "cmi.core.lesson_status._children")).toEqual(["", "202"]);
    expect(get(api, "cmi.core.student_id._count")).toEqual(["", "203"]);
  });

  it("301: every data call before LMSInitialize is 'not initialized'", () => {
    const { api } = make();
    expect(get(api, "cmi.core.student_id")).toEqual(["", "301"]);
    expect(set(api, "cmi.core.lesson_location", "x")).toEqual(["false", "301"]);
    expect([api.LMSCommit(""), api.LMSGetLastError()]).toEqual(["false", "301"]);
    expect([api.LMSFinish(""), api.LMSGetLastError()]).toEqual(["false", "301"]);
  });

  it("401: elements outside the data model are not implemented", () => {
    const { api } = started();
    expect(get(api, "cmi.core.foo")).toEqual(["", "401"]);
    expect(get(api, "xyz.score.result")).toEqual(["", "401"]);
    expect(set(api, "cmi.core.foo", "1")).toEqual(["false", "401"]);
  });

  it("402: keywords cannot be set", () => {
    const { api } = started();
    for (const el of ["cmi.core._children", "cmi._version", "cmi.objectives._count", "cmi.interactions._children"]) {
      expect([el, ...set(api, el, "x")]).toEqual([el, "false", "402"]);
    }
  });

  it("403: LMS-owned elements are read only", () => {
    const { api } = started();
    for (const el of [
      "cmi.core.student_id",
      "cmi.core.student_name",
      "cmi.core.credit",
      "cmi.core.entry",
      "cmi.core.total_time",
      "cmi.core.lesson_mode",
      "cmi.launch_data",
      "cmi.comments_from_lms",
      "cmi.student_data.mastery_score",
      "cmi.student_data.max_time_allowed",
      "cmi.student_data.time_limit_action",
    ]) {
      expect([el, ...set(api, el, "00:00:01")]).toEqual([el, "false", "403"]);
    }
  });

  it("404: exit, session_time and interaction data are write only", () => {
    const { api } = started();
    expect(get(api, "cmi.core.exit")).toEqual(["", "404"]);
    expect(get(api, "cmi.core.session_time")).toEqual(["", "404"]);
    expect(set(api, "cmi.interactions.0.id", "q1")).toEqual(["true", "0"]);
    expect(get(api, "cmi.interactions.0.id")).toEqual(["", "404"]);
  });

  it("405: values of the wrong type or out of range are rejected", () => {
    const { api } = started();
    for (const [el, value] of [
      ["cmi.core.lesson_status", "bogus"],
      ["cmi.core.lesson_status", "not attempted"],
      ["cmi.core.exit", "bogus"],
      ["cmi.core.score.raw", "abc"],
      ["cmi.core.score.raw", "101"],
      ["cmi.core.session_time", "1:2"],
      ["cmi.student_preference.audio", "200"],
    ]) {
      expect([el, value, ...set(api, el, value)]).toEqual([el, value, "false", "405"]);
    }
  });

  it("stores and reads back 10,000 characters of suspend_data with newlines, and commits them intact", () => {
    const { api, commits } = started();
    const unit = "line\nwith\r\ncrlf\ttab ščž ";
    const data = unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000);
    expect(set(api, "cmi.suspend_data", data)).toEqual(["true", "0"]);
    expect(get(api, "cmi.suspend_data")).toEqual([data, "0"]);
    expect(set(api, "cmi.core.lesson_location", "x".repeat(255))).toEqual(["true", "0"]);
    expect(api.LMSFinish("")).toBe("true");
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ cmi: { suspend_data: data, core: { lesson_location: "x".repeat(255) } } });
  });

  it("after LMSFinish the session is over", () => {
    const { api } = started();
    api.LMSFinish("");
    expect([api.LMSInitialize(""), api.LMSGetLastError()]).toEqual(["false", "101"]);
  });
});

describe.each(configurations)("SCORM 2004 API ($name)", ({ liftLimits }) => {
  const make = () => {
    const commits: unknown[] = [];
    const api = createScormApi({ version: "2004", liftLimits, logLevel: "NONE", autocommitSeconds: false, httpService: capture(commits) });
    return { api, commits };
  };
  const started = () => {
    const made = make();
    expect(made.api.Initialize("")).toBe("true");
    return made;
  };
  const ended = () => {
    const made = started();
    expect(made.api.Terminate("")).toBe("true");
    return made;
  };
  type Api04 = ReturnType<typeof make>["api"];
  const set = (api: Api04, el: string, value: string) => [api.SetValue(el, value), api.GetLastError()];
  const get = (api: Api04, el: string) => [api.GetValue(el), api.GetLastError()];

  it("0: starts with no error and reports 0 after any successful call that follows an error", () => {
    const { api } = make();
    expect(api.GetLastError()).toBe("0");
    api.Initialize("");
    expect(api.GetLastError()).toBe("0");
    expect(set(api, "cmi.location", "a")).toEqual(["true", "0"]);
    expect(get(api, "cmi.foo")[1]).toBe("401");
    expect(get(api, "cmi.location")).toEqual(["a", "0"]);
    // RTE 3.1.7: every successful call resets the error state (raw scorm-again answers
    // cmi.completion_status and cmi.success_status without clearing the previous error).
    expect(get(api, "cmi.foo")[1]).toBe("401");
    expect(get(api, "cmi.completion_status")).toEqual(["unknown", "0"]);
    expect(get(api, "cmi.foo")[1]).toBe("401");
    expect(get(api, "cmi.success_status")).toEqual(["unknown", "0"]);
  });

  it("103: Initialize twice", () => {
    const { api } = started();
    expect([api.Initialize(""), api.GetLastError()]).toEqual(["false", "103"]);
  });

  it("104: Initialize after Terminate", () => {
    const { api } = ended();
    expect([api.Initialize(""), api.GetLastError()]).toEqual(["false", "104"]);
  });

  it("112 / 113: Terminate before Initialize and twice", () => {
    const { api } = make();
    expect([api.Terminate(""), api.GetLastError()]).toEqual(["false", "112"]);
    api.Initialize("");
    expect(api.Terminate("")).toBe("true");
    expect([api.Terminate(""), api.GetLastError()]).toEqual(["false", "113"]);
  });

  it("122 / 123: GetValue before Initialize and after Terminate", () => {
    expect(get(make().api, "cmi.learner_id")).toEqual(["", "122"]);
    expect(get(ended().api, "cmi.learner_id")).toEqual(["", "123"]);
  });

  it("132 / 133: SetValue before Initialize and after Terminate", () => {
    expect(set(make().api, "cmi.location", "x")).toEqual(["false", "132"]);
    expect(set(ended().api, "cmi.location", "x")).toEqual(["false", "133"]);
  });

  it("142 / 143: Commit before Initialize and after Terminate", () => {
    const before = make().api;
    expect([before.Commit(""), before.GetLastError()]).toEqual(["false", "142"]);
    const after = ended().api;
    expect([after.Commit(""), after.GetLastError()]).toEqual(["false", "143"]);
  });

  it("201: a non-empty argument to Initialize, Commit or Terminate", () => {
    const { api } = make();
    expect([api.Initialize("x"), api.GetLastError()]).toEqual(["false", "201"]);
    api.Initialize("");
    expect([api.Commit("x"), api.GetLastError()]).toEqual(["false", "201"]);
    expect([api.Terminate("x"), api.GetLastError()]).toEqual(["false", "201"]);
  });

  it("301: GetValue of nothing, or of _children/_count an element does not have", () => {
    const { api } = started();
    expect(get(api, "")).toEqual(["", "301"]);
    expect(get(api, "cmi.location._children")).toEqual(["", "301"]);
    expect(get(api, "cmi.location._count")).toEqual(["", "301"]);
    expect(get(api, "cmi.score._version")).toEqual(["", "301"]);
  });

  it("351: SetValue of nothing, a duplicate objective id or an array index past the end", () => {
    const { api } = started();
    expect(set(api, "", "x")).toEqual(["false", "351"]);
    expect(set(api, "cmi.objectives.0.id", "obj-1")).toEqual(["true", "0"]);
    expect(set(api, "cmi.objectives.1.id", "obj-1")).toEqual(["false", "351"]);
    expect(set(api, "cmi.objectives.5.id", "obj-5")).toEqual(["false", "351"]);
  });

  it("401: elements outside the data model", () => {
    const { api } = started();
    expect(get(api, "cmi.foo")).toEqual(["", "401"]);
    expect(get(api, "cmi.core.student_id")).toEqual(["", "401"]);
    expect(set(api, "cmi.foo", "1")).toEqual(["false", "401"]);
  });

  it("402: no element of the 2004 data model is left unimplemented", () => {
    // Every data model element is mandatory for an LMS, so 402 never applies to one of them.
    const { api } = started();
    api.SetValue("cmi.objectives.0.id", "o");
    api.SetValue("cmi.interactions.0.id", "q");
    for (const el of [
      "cmi._version",
      "cmi.comments_from_learner._children",
      "cmi.comments_from_learner._count",
      "cmi.comments_from_lms._count",
      "cmi.completion_status",
      "cmi.credit",
      "cmi.entry",
      "cmi.interactions._children",
      "cmi.interactions.0.objectives._count",
      "cmi.interactions.0.correct_responses._count",
      "cmi.launch_data",
      "cmi.learner_id",
      "cmi.learner_name",
      "cmi.learner_preference._children",
      "cmi.learner_preference.audio_level",
      "cmi.learner_preference.language",
      "cmi.learner_preference.delivery_speed",
      "cmi.learner_preference.audio_captioning",
      "cmi.mode",
      "cmi.objectives._children",
      "cmi.objectives.0.id",
      "cmi.objectives.0.success_status",
      "cmi.objectives.0.completion_status",
      "cmi.score._children",
      "cmi.success_status",
      "cmi.time_limit_action",
      "cmi.total_time",
      "adl.nav.request_valid.continue",
      "adl.nav.request_valid.previous",
      "adl.data._count",
    ]) {
      expect([el, ...get(api, el)]).toEqual([el, expect.anything(), "0"]);
    }
    expect(api.GetErrorString("402")).not.toBe("");
  });

  it("403: reading an element that has no value yet", () => {
    const { api } = started();
    for (const el of ["cmi.location", "cmi.suspend_data", "cmi.score.raw", "cmi.score.scaled", "cmi.progress_measure", "cmi.scaled_passing_score", "cmi.completion_threshold", "cmi.max_time_allowed"]) {
      expect([el, ...get(api, el)]).toEqual([el, "", "403"]);
    }
    expect(set(api, "cmi.location", "x")).toEqual(["true", "0"]);
    expect(get(api, "cmi.location")).toEqual(["x", "0"]);
  });

  it("404: LMS-owned elements and keywords are read only", () => {
    const { api } = started();
    for (const [el, value] of [
      ["cmi.learner_id", "x"],
      ["cmi.learner_name", "x"],
      ["cmi.credit", "credit"],
      ["cmi.entry", "resume"],
      ["cmi.mode", "normal"],
      ["cmi.launch_data", "x"],
      ["cmi.total_time", "PT1S"],
      ["cmi.max_time_allowed", "PT1S"],
      ["cmi.time_limit_action", "exit,message"],
      ["cmi.completion_threshold", "0.5"],
      ["cmi.scaled_passing_score", "0.5"],
      ["cmi._version", "1.0"],
      ["cmi.objectives._count", "1"],
      ["adl.nav.request_valid.continue", "true"],
    ]) {
      expect([el, ...set(api, el, value)]).toEqual([el, "false", "404"]);
    }
  });

  it("405: exit, session_time and adl.nav.request are write only", () => {
    const { api } = started();
    for (const el of ["cmi.exit", "cmi.session_time", "adl.nav.request"]) {
      expect([el, ...get(api, el)]).toEqual([el, "", "405"]);
    }
  });

  it("406: values of the wrong type", () => {
    const { api } = started();
    api.SetValue("cmi.interactions.0.id", "q1");
    api.SetValue("cmi.interactions.0.type", "true-false");
    for (const [el, value] of [
      ["cmi.completion_status", "done"],
      ["cmi.success_status", "yes"],
      ["cmi.exit", "bye"],
      ["cmi.session_time", "1 hour"],
      ["cmi.score.scaled", "abc"],
      ["cmi.progress_measure", "half"],
      ["cmi.interactions.0.learner_response", "maybe"],
      ["adl.nav.request", "sideways"],
    ]) {
      expect([el, value, ...set(api, el, value)]).toEqual([el, value, "false", "406"]);
    }
  });

  it("406 must not apply to an empty cmi.location (an empty characterstring is valid)", () => {
    const { api } = started();
    // Raw scorm-again 3.4.3 answers 406 unless limits are lifted; conformToStandard() fixes it.
    expect(set(api, "cmi.location", "")).toEqual(["true", "0"]);
    expect(get(api, "cmi.location")).toEqual(["", "0"]);
  });

  it("407: numbers out of range", () => {
    const { api } = started();
    api.SetValue("cmi.objectives.0.id", "o");
    for (const [el, value] of [
      ["cmi.score.scaled", "1.01"],
      ["cmi.score.scaled", "-1.5"],
      ["cmi.progress_measure", "1.5"],
      ["cmi.objectives.0.score.scaled", "2"],
      ["cmi.learner_preference.audio_level", "-1"],
    ]) {
      expect([el, value, ...set(api, el, value)]).toEqual([el, value, "false", "407"]);
    }
  });

  it("408: data that depends on an identifier or type set first", () => {
    const { api } = started();
    expect(set(api, "cmi.objectives.0.success_status", "passed")).toEqual(["false", "408"]);
    expect(set(api, "cmi.interactions.0.type", "choice")).toEqual(["false", "408"]);
    expect(set(api, "cmi.interactions.0.id", "q1")).toEqual(["true", "0"]);
    expect(set(api, "cmi.interactions.0.correct_responses.0.pattern", "a")).toEqual(["false", "408"]);
    expect(set(api, "cmi.interactions.0.learner_response", "a")).toEqual(["false", "408"]);
  });

  it("stores and reads back 64,000 characters of suspend_data, and commits them intact", () => {
    const { api, commits } = started();
    const unit = "state\n{\"slide\":42}\r\n€ ";
    const data = unit.repeat(Math.ceil(64_000 / unit.length)).slice(0, 64_000);
    expect(set(api, "cmi.suspend_data", data)).toEqual(["true", "0"]);
    expect(get(api, "cmi.suspend_data")).toEqual([data, "0"]);
    expect(api.Terminate("")).toBe("true");
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ cmi: { suspend_data: data } });
  });
});

describe("scorm-again 3.4.3 deviations corrected by createScormApi", () => {
  const options = { logLevel: "NONE", autocommitSeconds: false } as const;
  const raw12 = () => new Scorm12API(buildRuntimeSettings({ version: "1.2", ...options }));
  const raw2004 = () => new Scorm2004API(buildRuntimeSettings({ version: "2004", ...options }));

  it("1.2: a second LMSFinish returns \"false\" with 101 (raw: \"true\")", () => {
    const raw = raw12();
    raw.LMSInitialize("");
    expect([raw.LMSFinish(""), raw.LMSGetLastError()]).toEqual(["true", "0"]);
    expect([raw.LMSFinish(""), raw.LMSGetLastError()]).toEqual(["true", "101"]);

    const api = createScormApi({ version: "1.2", ...options });
    api.LMSInitialize("");
    expect([api.LMSFinish(""), api.LMSGetLastError()]).toEqual(["true", "0"]);
    expect([api.LMSFinish(""), api.LMSGetLastError()]).toEqual(["false", "101"]);
  });

  it("1.2: the LMSFinish wrapper keeps `this`, and works when called detached", () => {
    const api = createScormApi({ version: "1.2", ...options });
    const other = createScormApi({ version: "1.2", ...options });
    api.LMSInitialize("");
    other.LMSInitialize("");
    expect(api.LMSFinish.call(other, "")).toBe("true");
    expect([other.isTerminated(), api.isTerminated()]).toEqual([true, false]);
    const { LMSFinish } = api;
    expect(LMSFinish("")).toBe("true");
    expect([LMSFinish(""), api.LMSGetLastError()]).toEqual(["false", "101"]);
  });

  it("2004: GetValue of the status elements resets the last error (raw: keeps it)", () => {
    for (const element of ["cmi.completion_status", "cmi.success_status", "adl.nav.request_valid.choice.{target=sco-1}"]) {
      const raw = raw2004();
      raw.Initialize("");
      raw.GetValue("cmi.foo");
      expect([element, raw.GetValue(element) !== "", raw.GetLastError()]).toEqual([element, true, "401"]);

      const api = createScormApi({ version: "2004", scoItemIds: ["sco-1"], ...options });
      api.Initialize("");
      api.GetValue("cmi.foo");
      expect([element, api.GetValue(element) !== "", api.GetLastError()]).toEqual([element, true, "0"]);
    }
  });

  it("2004: GetValue still reports its own errors before Initialize, after Terminate and for bad elements", () => {
    const api = createScormApi({ version: "2004", ...options });
    expect([api.GetValue("cmi.completion_status"), api.GetLastError()]).toEqual(["", "122"]);
    api.Initialize("");
    expect([api.GetValue("adl.nav.request"), api.GetLastError()]).toEqual(["", "405"]);
    expect([api.GetValue("cmi.location"), api.GetLastError()]).toEqual(["", "403"]);
    api.Terminate("");
    expect([api.GetValue("cmi.success_status"), api.GetLastError()]).toEqual(["", "123"]);
  });

  it("2004: SetValue(\"cmi.location\", \"\") succeeds (raw: 406) and other values are still checked", () => {
    const raw = raw2004();
    raw.Initialize("");
    expect([raw.SetValue("cmi.location", ""), raw.GetLastError()]).toEqual(["false", "406"]);

    for (const liftLimits of [false, true]) {
      const api = createScormApi({ version: "2004", liftLimits, ...options });
      api.Initialize("");
      expect([api.SetValue("cmi.location", "page-3"), api.GetLastError()]).toEqual(["true", "0"]);
      expect([api.SetValue("cmi.location", ""), api.GetLastError()]).toEqual(["true", "0"]);
      expect([api.GetValue("cmi.location"), api.GetLastError()]).toEqual(["", "0"]);
      const tooLong = "l".repeat(liftLimits ? 4_097 : 1_001);
      expect([api.SetValue("cmi.location", tooLong), api.GetLastError()]).toEqual(["false", "406"]);
    }
  });

  it("conformToStandard patches an API built without createScormApi", () => {
    const api = raw2004();
    conformToStandard(api);
    api.Initialize("");
    expect([api.SetValue("cmi.location", ""), api.GetLastError()]).toEqual(["true", "0"]);
  });
});
