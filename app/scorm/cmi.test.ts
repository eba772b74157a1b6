import { Scorm12API, Scorm2004API } from "scorm-again";
import { describe, expect, it } from "vitest";
import {
  accumulateTotalTime,
  applyCommit,
  deriveScoState,
  formatScormDuration,
  learnerSeed,
  nextLaunch,
  parseScormDuration,
  rollupModule,
  unwrapCmi,
} from "./cmi.ts";
import { createScormApi } from "./runtime-settings.ts";

describe("parseScormDuration", () => {
  it("reads SCORM 1.2 timespans with 2–4 hour digits and up to two decimals", () => {
    expect(parseScormDuration("1.2", "00:00:00")).toBe(0);
    expect(parseScormDuration("1.2", "01:02:03")).toBe(3723);
    expect(parseScormDuration("1.2", "123:00:00.5")).toBe(442_800.5);
    expect(parseScormDuration("1.2", "9999:59:59.99")).toBeCloseTo(35_999_999.99, 5);
    expect(parseScormDuration("1.2", "0000:00:01.25")).toBe(1.25);
  });

  it("rejects malformed SCORM 1.2 timespans", () => {
    for (const bad of ["", "1:00:00", "12345:00:00", "00:60:00", "00:00:60", "00:00:00.123", "00:00", "PT1S", "-01:00:00"]) {
      expect(parseScormDuration("1.2", bad)).toBeNull();
    }
  });

  it("reads SCORM 2004 ISO 8601 durations, fractions included", () => {
    expect(parseScormDuration("2004", "PT0S")).toBe(0);
    expect(parseScormDuration("2004", "PT1H30M5.25S")).toBe(5405.25);
    expect(parseScormDuration("2004", "P1DT2M")).toBe(86_520);
    expect(parseScormDuration("2004", "PT0.5S")).toBe(0.5);
    expect(parseScormDuration("2004", "PT1.5H")).toBe(5400);
    expect(parseScormDuration("2004", "P1Y2M3D")).toBe((365 + 60 + 3) * 86_400);
    expect(parseScormDuration("2004", "PT3M")).toBe(180);
    // 1 month (P1M) and 1 minute (PT1M) are different things.
    expect(parseScormDuration("2004", "P1M")).toBe(30 * 86_400);
  });

  it("rejects malformed SCORM 2004 durations", () => {
    for (const bad of ["", "P", "PT", "P1DT", "1H", "PT1H2", "PT-1S", "P1S", "PT1,5S", "00:00:01", "PT1S junk"]) {
      expect(parseScormDuration("2004", bad)).toBeNull();
    }
  });
});

describe("formatScormDuration", () => {
  it("writes SCORM 1.2 timespans", () => {
    expect(formatScormDuration("1.2", 0)).toBe("00:00:00");
    expect(formatScormDuration("1.2", 3723)).toBe("01:02:03");
    expect(formatScormDuration("1.2", 1.25)).toBe("00:00:01.25");
    expect(formatScormDuration("1.2", 442_800.5)).toBe("123:00:00.50");
    expect(formatScormDuration("1.2", 1e12)).toBe("9999:59:59.99");
    expect(formatScormDuration("1.2", -5)).toBe("00:00:00");
    expect(formatScormDuration("1.2", Number.NaN)).toBe("00:00:00");
  });

  it("writes SCORM 2004 durations", () => {
    expect(formatScormDuration("2004", 0)).toBe("PT0S");
    expect(formatScormDuration("2004", 3600)).toBe("PT1H");
    expect(formatScormDuration("2004", 90.5)).toBe("PT1M30.5S");
    expect(formatScormDuration("2004", 93_605.05)).toBe("PT26H5.05S");
    expect(formatScormDuration("2004", 0.004)).toBe("PT0S");
  });

  it("round-trips through the parser", () => {
    for (const seconds of [0, 0.01, 59.99, 61, 3599.5, 86_400, 360_000.25]) {
      expect(parseScormDuration("1.2", formatScormDuration("1.2", seconds))).toBeCloseTo(seconds, 5);
      expect(parseScormDuration("2004", formatScormDuration("2004", seconds))).toBeCloseTo(seconds, 5);
    }
  });

  it("produces values scorm-again accepts as total_time", () => {
    const a = new Scorm12API({ logLevel: "NONE" });
    a.loadFromJSON({ cmi: { core: { total_time: formatScormDuration("1.2", 5405.25) } } });
    expect(a.cmi.core.total_time).toBe("01:30:05.25");
    const b = new Scorm2004API({ logLevel: "NONE" });
    b.loadFromJSON({ cmi: { total_time: formatScormDuration("2004", 5405.25) } });
    expect(b.cmi.total_time).toBe("PT1H30M5.25S");
  });
});

describe("accumulateTotalTime", () => {
  it("adds the session time to the total at session start", () => {
    expect(accumulateTotalTime("1.2", 600, "00:01:30")).toBe(690);
    expect(accumulateTotalTime("2004", 600, "PT1M30.5S")).toBe(690.5);
  });

  it("ignores an unparseable session time and a bad previous total", () => {
    expect(accumulateTotalTime("1.2", 600, "90 seconds")).toBe(600);
    expect(accumulateTotalTime("2004", Number.NaN, "PT10S")).toBe(10);
    expect(accumulateTotalTime("2004", -5, "PT10S")).toBe(10);
  });
});

const cmi12 = (core: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ cmi: { core, ...extra } });

describe("deriveScoState, SCORM 1.2", () => {
  it("maps lesson_status to completion, success and satisfaction", () => {
    const cases = [
      ["passed", "completed", "passed", true],
      ["completed", "completed", "unknown", true],
      ["failed", "completed", "failed", false],
      ["incomplete", "incomplete", "unknown", false],
      ["browsed", "incomplete", "unknown", false],
      ["not attempted", "not_attempted", "unknown", false],
      ["", "unknown", "unknown", false],
    ] as const;
    for (const [status, completion, success, satisfied] of cases) {
      const state = deriveScoState("1.2", cmi12({ lesson_status: status }));
      expect({ status, completion: state.completion, success: state.success, satisfied: state.satisfied }).toEqual({
        status,
        completion,
        success,
        satisfied,
      });
    }
  });

  it("treats 'not attempted' with session traces as incomplete", () => {
    expect(deriveScoState("1.2", cmi12({ lesson_status: "not attempted", session_time: "00:00:05" })).completion).toBe("incomplete");
    expect(deriveScoState("1.2", cmi12({ lesson_status: "not attempted" }, { suspend_data: "x" })).completion).toBe("incomplete");
    expect(deriveScoState("1.2", cmi12({ lesson_status: "not attempted", session_time: "00:00:00" })).completion).toBe("not_attempted");
  });

  it("turns 'completed' into passed or failed against the mastery score", () => {
    const withScore = (raw: string, status = "completed", more: Record<string, unknown> = {}) =>
      deriveScoState("1.2", cmi12({ lesson_status: status, credit: "credit", lesson_mode: "normal", score: { raw }, ...more }, { student_data: { mastery_score: "80" } }));
    expect(withScore("80")).toMatchObject({ completion: "completed", success: "passed", satisfied: true });
    expect(withScore("79.5")).toMatchObject({ completion: "completed", success: "failed", satisfied: false });
    // incomplete and the SCO's own passed/failed are left alone.
    expect(withScore("95", "incomplete")).toMatchObject({ completion: "incomplete", satisfied: false });
    expect(withScore("10", "passed")).toMatchObject({ success: "passed", satisfied: true });
    expect(withScore("95", "failed")).toMatchObject({ success: "failed", satisfied: false });
    // Only for credit in normal mode, and only with a raw score.
    expect(withScore("10", "completed", { credit: "no-credit" })).toMatchObject({ success: "unknown", satisfied: true });
    expect(withScore("10", "completed", { lesson_mode: "review" })).toMatchObject({ success: "unknown", satisfied: true });
    expect(withScore("")).toMatchObject({ success: "unknown", satisfied: true });
    // Empty credit and mode read as credit/normal.
    expect(withScore("10", "completed", { credit: "", lesson_mode: "" })).toMatchObject({ success: "failed" });
  });

  it("scales the raw score", () => {
    expect(deriveScoState("1.2", cmi12({ score: { raw: "40", min: "0", max: "50" } })).scoreScaled).toBe(0.8);
    expect(deriveScoState("1.2", cmi12({ score: { raw: "15", min: "10", max: "20" } })).scoreScaled).toBe(0.5);
    expect(deriveScoState("1.2", cmi12({ score: { raw: "73", min: "", max: "" } })).scoreScaled).toBe(0.73);
    expect(deriveScoState("1.2", cmi12({ score: { raw: "120" } })).scoreScaled).toBe(1);
    expect(deriveScoState("1.2", cmi12({ score: { raw: "" } }))).toMatchObject({ scoreScaled: null, scoreRaw: null });
  });

  it("exposes location, suspend data, exit and times", () => {
    const state = deriveScoState(
      "1.2",
      cmi12({ lesson_location: "p7", exit: "suspend", session_time: "00:01:30", total_time: "00:11:30", score: { raw: "5", min: "0", max: "10" } }, { suspend_data: "a\nb" }),
    );
    expect(state).toMatchObject({
      location: "p7",
      suspendData: "a\nb",
      exit: "suspend",
      sessionSeconds: 90,
      totalSeconds: 690,
      scoreRaw: 5,
      scoreMin: 0,
      scoreMax: 10,
      scoreScaled: 0.5,
    });
  });

  it("tolerates garbage", () => {
    for (const junk of [null, undefined, 42, "x", [], { cmi: 7 }, { cmi: { core: "x" } }]) {
      expect(deriveScoState("1.2", junk)).toMatchObject({ completion: "unknown", satisfied: false, scoreScaled: null, sessionSeconds: null });
    }
    expect(deriveScoState("1.2", cmi12({ score: { raw: "1e3" } })).scoreRaw).toBeNull();
  });
});

describe("deriveScoState, SCORM 2004", () => {
  const s = (cmi: Record<string, unknown>) => deriveScoState("2004", { cmi });

  it("maps the SCO's statuses", () => {
    expect(s({ completion_status: "completed", success_status: "passed" })).toMatchObject({ completion: "completed", success: "passed", satisfied: true });
    expect(s({ completion_status: "completed", success_status: "unknown" })).toMatchObject({ satisfied: true });
    expect(s({ completion_status: "completed", success_status: "failed" })).toMatchObject({ completion: "completed", satisfied: false });
    expect(s({ completion_status: "incomplete", success_status: "passed" })).toMatchObject({ satisfied: false });
    expect(s({ completion_status: "not attempted" }).completion).toBe("not_attempted");
    expect(s({ completion_status: "unknown" })).toMatchObject({ completion: "unknown", success: "unknown", satisfied: false });
    expect(s({})).toMatchObject({ completion: "unknown", success: "unknown" });
  });

  it("evaluates completion_threshold against progress_measure", () => {
    expect(s({ completion_status: "unknown", completion_threshold: "0.8", progress_measure: "0.8" }).completion).toBe("completed");
    expect(s({ completion_threshold: "0.8", progress_measure: "0.79" }).completion).toBe("incomplete");
    // Both present: the threshold wins over the SCO's value (RTE 4.2.4.1, as scorm-again does).
    expect(s({ completion_status: "completed", completion_threshold: "0.8", progress_measure: "0.5" }).completion).toBe("incomplete");
    // Without a progress measure the SCO's value stands.
    expect(s({ completion_status: "completed", completion_threshold: "0.8", progress_measure: "" }).completion).toBe("completed");
  });

  it("evaluates scaled_passing_score against score.scaled", () => {
    expect(s({ completion_status: "completed", scaled_passing_score: "0.7", score: { scaled: "0.7" } })).toMatchObject({ success: "passed", satisfied: true });
    expect(s({ completion_status: "completed", success_status: "passed", scaled_passing_score: "0.7", score: { scaled: "0.69" } })).toMatchObject({
      success: "failed",
      satisfied: false,
    });
    expect(s({ success_status: "passed", scaled_passing_score: "0.7", score: { scaled: "" } }).success).toBe("passed");
    expect(s({ scaled_passing_score: "-1", score: { scaled: "-1" } }).success).toBe("passed");
  });

  it("exposes scores, location, suspend data, exit and times", () => {
    expect(
      s({
        score: { scaled: "0.25", raw: "5", min: "0", max: "20" },
        location: "slide-3",
        suspend_data: "x",
        exit: "suspend",
        session_time: "PT2M",
        total_time: "PT1H",
      }),
    ).toMatchObject({ scoreScaled: 0.25, scoreRaw: 5, scoreMin: 0, scoreMax: 20, location: "slide-3", suspendData: "x", exit: "suspend", sessionSeconds: 120, totalSeconds: 3600 });
  });

  it("reads what scorm-again actually commits", () => {
    const commits: unknown[] = [];
    const api = createScormApi({
      version: "2004",
      autocommitSeconds: false,
      httpService: {
        processHttpRequest: (_url, params) => {
          commits.push(JSON.parse(JSON.stringify(params)));
          return { result: "true", errorCode: 0 };
        },
        updateSettings: () => {},
      },
    });
    api.loadFromJSON(learnerSeed({ version: "2004", learnerId: "u1", learnerName: "Ana", entry: "ab-initio", completionThreshold: 0.5, scaledPassingScore: 0.6 }));
    api.Initialize("");
    api.SetValue("cmi.progress_measure", "0.75");
    api.SetValue("cmi.score.scaled", "0.9");
    api.SetValue("cmi.session_time", "PT5M");
    api.SetValue("cmi.exit", "normal");
    api.Terminate("");
    expect(deriveScoState("2004", commits.at(-1))).toMatchObject({
      completion: "completed",
      success: "passed",
      satisfied: true,
      scoreScaled: 0.9,
      exit: "normal",
      sessionSeconds: 300,
      totalSeconds: 300,
    });
  });
});

describe("applyCommit", () => {
  const stored = { seq: 5, cmi: { core: { lesson_location: "a" }, suspend_data: "x" } };

  it("accepts the first commit and any newer one", () => {
    expect(applyCommit(null, { seq: 0, cmi: {} })).toMatchObject({ accepted: true, changed: true, outcome: "accepted", next: { seq: 0 } });
    const newer = { seq: 9, cmi: { suspend_data: "y" } };
    expect(applyCommit(stored, newer)).toEqual({ accepted: true, changed: true, outcome: "accepted", next: newer });
  });

  it("accepts an identical replay without change, whatever the key order", () => {
    const replay = { seq: 5, cmi: { suspend_data: "x", core: { lesson_location: "a" } } };
    expect(applyCommit(stored, replay)).toEqual({ accepted: true, changed: false, outcome: "replay", next: stored });
  });

  it("ignores older commits and refuses a different payload under the same seq", () => {
    expect(applyCommit(stored, { seq: 4, cmi: { suspend_data: "newer?" } })).toEqual({ accepted: false, changed: false, outcome: "stale", next: stored });
    expect(applyCommit(stored, { seq: 5, cmi: { suspend_data: "z" } })).toEqual({ accepted: false, changed: false, outcome: "conflict", next: stored });
    expect(applyCommit(stored, { seq: 5, cmi: [1] }).outcome).toBe("conflict");
  });

  it("refuses invalid sequence numbers", () => {
    for (const seq of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(applyCommit(stored, { seq, cmi: {} })).toMatchObject({ accepted: false, outcome: "invalid", next: stored });
    }
  });
});

describe("nextLaunch", () => {
  it("starts ab-initio without a previous attempt", () => {
    for (const version of ["1.2", "2004"] as const) {
      expect(nextLaunch(version, null)).toEqual({ entry: "ab-initio", keepSuspendData: false, newAttempt: true });
      expect(nextLaunch(version, undefined)).toEqual({ entry: "ab-initio", keepSuspendData: false, newAttempt: true });
    }
  });

  it("resumes after exit suspend", () => {
    const resume = { entry: "resume", keepSuspendData: true, newAttempt: false };
    expect(nextLaunch("1.2", { cmi: cmi12({ exit: "suspend", lesson_status: "completed" }) })).toEqual(resume);
    expect(nextLaunch("2004", { cmi: { cmi: { exit: "suspend", completion_status: "completed" } } })).toEqual(resume);
    expect(nextLaunch("2004", { cmi: { exit: "suspend" } })).toEqual(resume);
  });

  it("starts a new attempt after any other 2004 exit", () => {
    for (const exit of ["", "normal", "logout", "time-out"]) {
      expect(nextLaunch("2004", { cmi: { exit, completion_status: "incomplete", suspend_data: "x" } })).toEqual({
        entry: "ab-initio",
        keepSuspendData: false,
        newAttempt: true,
      });
    }
  });

  it("keeps a SCORM 1.2 attempt open when exit was left empty before completion", () => {
    for (const status of ["incomplete", "not attempted", "browsed", ""]) {
      expect(nextLaunch("1.2", { cmi: cmi12({ exit: "", lesson_status: status }, { suspend_data: "x" }) }).entry).toBe("resume");
    }
    // A failed attempt is over: the learner tries again from the start, not on the result screen.
    for (const status of ["completed", "passed", "failed"]) {
      expect(nextLaunch("1.2", { cmi: cmi12({ exit: "", lesson_status: status }) })).toEqual({ entry: "ab-initio", keepSuspendData: false, newAttempt: true });
    }
    for (const exit of ["logout", "time-out"]) {
      expect(nextLaunch("1.2", { cmi: cmi12({ exit, lesson_status: "incomplete" }) }).newAttempt).toBe(true);
    }
  });
});

describe("rollupModule", () => {
  it("completes when every tracked SCO is satisfied, ignoring assets", () => {
    expect(
      rollupModule([
        { tracked: true, satisfied: true, scoreScaled: 0.5 },
        { tracked: false, satisfied: false, scoreScaled: null },
        { tracked: true, satisfied: true, scoreScaled: null },
      ]),
    ).toEqual({ completed: true, scoreScaled: 0.5 });
    expect(
      rollupModule([
        { tracked: true, satisfied: true, scoreScaled: 1 },
        { tracked: true, satisfied: false, scoreScaled: 0.5 },
      ]),
    ).toEqual({ completed: false, scoreScaled: 0.75 });
  });

  it("does not complete without tracked SCOs and averages only tracked scores", () => {
    expect(rollupModule([])).toEqual({ completed: false, scoreScaled: null });
    expect(rollupModule([{ tracked: false, satisfied: true, scoreScaled: 1 }])).toEqual({ completed: false, scoreScaled: null });
    expect(
      rollupModule([
        { tracked: true, satisfied: true, scoreScaled: Number.NaN },
        { tracked: false, satisfied: true, scoreScaled: 0 },
      ]),
    ).toEqual({ completed: true, scoreScaled: null });
  });
});

describe("learnerSeed", () => {
  it("seeds a first SCORM 1.2 launch", () => {
    const seed = learnerSeed({
      version: "1.2",
      learnerId: "u-1",
      learnerName: "Novak, Ana",
      entry: "ab-initio",
      launchData: "lang=sl",
      masteryScore: 0,
      maxTimeAllowed: "00:30:00",
      timeLimitAction: "exit,message",
      savedCmi: cmi12({ lesson_location: "old", lesson_status: "passed" }, { suspend_data: "old", student_preference: { language: "sl", audio: "" } }),
    });
    expect(seed).toEqual({
      cmi: {
        core: { student_id: "u-1", student_name: "Novak, Ana", entry: "ab-initio", credit: "credit", lesson_mode: "normal", total_time: "00:00:00" },
        launch_data: "lang=sl",
        student_data: { mastery_score: "0", max_time_allowed: "00:30:00", time_limit_action: "exit,message" },
        student_preference: { language: "sl" },
      },
    });
  });

  it("loads into scorm-again and reads back through the API", () => {
    const api = createScormApi({ version: "1.2", autocommitSeconds: false });
    api.loadFromJSON(
      learnerSeed({
        version: "1.2",
        learnerId: "u-1",
        learnerName: "Novak, Ana",
        entry: "resume",
        masteryScore: 80,
        maxTimeAllowed: 5400,
        totalSeconds: 125.5,
        savedCmi: cmi12(
          { lesson_location: "p3", lesson_status: "incomplete", exit: "suspend", session_time: "00:09:00", entry: "ab-initio", score: { raw: "40", min: "", max: "100" } },
          {
            suspend_data: "line1\nline2",
            objectives: { "0": { id: "o1", status: "passed", score: { raw: "90", min: "", max: "" } } },
            interactions: { "0": { id: "q1", type: "choice", student_response: "a", result: "correct", time: "10:00:00", objectives: {}, correct_responses: {} } },
          },
        ),
      }),
    );
    expect(api.LMSInitialize("")).toBe("true");
    const read = (el: string) => [api.LMSGetValue(el), api.LMSGetLastError()];
    expect(read("cmi.core.student_id")).toEqual(["u-1", "0"]);
    expect(read("cmi.core.student_name")).toEqual(["Novak, Ana", "0"]);
    expect(read("cmi.core.entry")).toEqual(["resume", "0"]);
    expect(read("cmi.core.credit")).toEqual(["credit", "0"]);
    expect(read("cmi.core.lesson_location")).toEqual(["p3", "0"]);
    expect(read("cmi.core.lesson_status")).toEqual(["incomplete", "0"]);
    expect(read("cmi.core.total_time")).toEqual(["00:02:05.5", "0"]);
    expect(read("cmi.core.score.raw")).toEqual(["40", "0"]);
    expect(read("cmi.suspend_data")).toEqual(["line1\nline2", "0"]);
    expect(read("cmi.student_data.mastery_score")).toEqual(["80", "0"]);
    expect(read("cmi.student_data.max_time_allowed")).toEqual(["01:30:00", "0"]);
    expect(read("cmi.objectives._count")).toEqual(["1", "0"]);
    expect(read("cmi.objectives.0.status")).toEqual(["passed", "0"]);
    expect(read("cmi.interactions._count")).toEqual(["1", "0"]);
    // The old session's session_time is not replayed into the new session.
    api.LMSFinish("");
    expect(unwrapCmi(api.renderCommitCMI(true))).toMatchObject({ core: { session_time: "00:00:00", total_time: "00:02:05.5" } });
  });

  it("restores a SCORM 1.2 attempt from scorm-again's own commit, interactions included", () => {
    const first = createScormApi({ version: "1.2", autocommitSeconds: false, logLevel: "NONE" });
    first.LMSInitialize("");
    for (const [el, value] of [
      ["cmi.interactions.0.id", "q1"],
      ["cmi.interactions.0.type", "choice"],
      ["cmi.interactions.0.objectives.0.id", "o1"],
      ["cmi.interactions.0.correct_responses.0.pattern", "a"],
      ["cmi.interactions.0.student_response", "b"],
      ["cmi.objectives.0.id", "o1"],
      ["cmi.objectives.0.status", "failed"],
      ["cmi.comments", "too long"],
      ["cmi.core.exit", "suspend"],
      ["cmi.suspend_data", "s"],
    ]) {
      expect(first.LMSSetValue(el, value)).toBe("true");
    }
    first.LMSFinish("");
    const saved = JSON.parse(JSON.stringify(first.renderCommitCMI(true)));
    const launch = nextLaunch("1.2", { cmi: saved });
    expect(launch.entry).toBe("resume");

    const second = createScormApi({ version: "1.2", autocommitSeconds: false, logLevel: "NONE" });
    second.loadFromJSON(learnerSeed({ version: "1.2", learnerId: "u", learnerName: "n", entry: launch.entry, savedCmi: saved }));
    second.LMSInitialize("");
    expect(second.LMSGetValue("cmi.interactions._count")).toBe("1");
    expect(second.LMSGetValue("cmi.interactions.0.objectives._count")).toBe("1");
    expect(second.LMSGetValue("cmi.interactions.0.correct_responses._count")).toBe("1");
    expect(second.LMSGetValue("cmi.objectives.0.status")).toBe("failed");
    expect(second.LMSGetValue("cmi.comments")).toBe("too long");
    expect(second.LMSGetValue("cmi.suspend_data")).toBe("s");
    // scorm-again left "not attempted" although the session happened; the traces make it incomplete.
    expect(deriveScoState("1.2", saved).completion).toBe("incomplete");
  });

  it("seeds SCORM 2004 and restores the attempt on resume", () => {
    const saved = {
      cmi: {
        location: "s4",
        suspend_data: "{\"a\":1}",
        completion_status: "incomplete",
        success_status: "unknown",
        progress_measure: "0.4",
        session_time: "PT9M",
        entry: "ab-initio",
        exit: "suspend",
        total_time: "PT20M",
        score: { scaled: "0.5", raw: "5", min: "", max: "" },
        learner_preference: { audio_level: "1", language: "sl", delivery_speed: "1", audio_captioning: "0" },
        objectives: { "0": { id: "obj-a", success_status: "passed", completion_status: "unknown", progress_measure: "", description: "", score: { scaled: "1", raw: "", min: "", max: "" } } },
        interactions: {
          "0": { id: "q1", type: "true-false", timestamp: "2026-01-01T10:00:00", weighting: "", learner_response: "true", result: "correct", latency: "", description: "", objectives: {}, correct_responses: { "0": { pattern: "true" } } },
        },
        comments_from_learner: { "0": { comment: "hard", location: "s2", timestamp: "2026-01-01T10:00:00" } },
      },
      sharedData: { "shared-a": "kept" },
    };
    const seed = learnerSeed({
      version: "2004",
      learnerId: "u-2",
      learnerName: "Ana Novak",
      entry: "resume",
      scaledPassingScore: 0.75,
      completionThreshold: 0.6,
      objectiveIds: ["obj-a", "obj-b", "obj-b"],
      sharedDataIds: ["shared-a", "shared-b"],
      sharedDataStores: saved.sharedData,
      maxTimeAllowed: "PT1H",
      timeLimitAction: "continue,message",
      savedCmi: saved,
    });
    expect(Object.keys(seed)).toEqual(["adl", "cmi"]);
    expect(seed.adl).toEqual({ data: [{ id: "shared-a", store: "kept" }, { id: "shared-b" }] });
    expect(seed.cmi).toMatchObject({ total_time: "PT20M", entry: "resume", scaled_passing_score: "0.75", completion_threshold: "0.6" });
    expect(seed.cmi).not.toHaveProperty("session_time");
    expect(seed.cmi).not.toHaveProperty("exit");
    expect(Object.keys(seed.cmi).at(-1)).toBe("interactions");

    const api = createScormApi({ version: "2004", autocommitSeconds: false });
    api.loadFromJSON(seed);
    expect(api.Initialize("")).toBe("true");
    const read = (el: string) => [api.GetValue(el), api.GetLastError()];
    expect(read("cmi.learner_id")).toEqual(["u-2", "0"]);
    expect(read("cmi.entry")).toEqual(["resume", "0"]);
    expect(read("cmi.location")).toEqual(["s4", "0"]);
    expect(read("cmi.suspend_data")).toEqual(['{"a":1}', "0"]);
    expect(read("cmi.total_time")).toEqual(["PT20M", "0"]);
    expect(read("cmi.max_time_allowed")).toEqual(["PT1H", "0"]);
    expect(read("cmi.time_limit_action")).toEqual(["continue,message", "0"]);
    expect(read("cmi.learner_preference.language")).toEqual(["sl", "0"]);
    expect(read("cmi.objectives._count")).toEqual(["2", "0"]);
    expect(read("cmi.objectives.0.success_status")).toEqual(["passed", "0"]);
    expect(read("cmi.objectives.1.id")).toEqual(["obj-b", "0"]);
    expect(read("cmi.interactions._count")).toEqual(["1", "0"]);
    expect(read("cmi.interactions.0.correct_responses.0.pattern")).toEqual(["true", "0"]);
    expect(read("cmi.comments_from_learner.0.comment")).toEqual(["hard", "0"]);
    // progress 0.4 < threshold 0.6
    expect(read("cmi.completion_status")).toEqual(["incomplete", "0"]);
    expect(read("adl.data._count")).toEqual(["2", "0"]);
    expect(read("adl.data.0.store")).toEqual(["kept", "0"]);
    // A never-written store is "not initialized".
    expect(read("adl.data.1.store")).toEqual(["", "403"]);
  });

  it("starts a new 2004 attempt clean but keeps preferences and manifest objectives", () => {
    const seed = learnerSeed({
      version: "2004",
      learnerId: "u-2",
      learnerName: "Ana",
      entry: "ab-initio",
      objectiveIds: ["obj-a"],
      savedCmi: { cmi: { location: "s4", suspend_data: "x", total_time: "PT20M", learner_preference: { language: "sl" }, objectives: { "0": { id: "old" } } } },
    });
    expect(seed.cmi).toEqual({
      learner_id: "u-2",
      learner_name: "Ana",
      entry: "ab-initio",
      credit: "credit",
      mode: "normal",
      launch_data: "",
      total_time: "PT0S",
      learner_preference: { language: "sl" },
      objectives: [{ id: "obj-a" }],
    });
  });

  it("drops values scorm-again would reject instead of aborting the load", () => {
    const seed12 = learnerSeed({ version: "1.2", learnerId: "u", learnerName: "n", entry: "", masteryScore: 150, maxTimeAllowed: "soon" });
    expect(seed12.cmi.student_data).toEqual({});
    const seed04 = learnerSeed({
      version: "2004",
      learnerId: "u",
      learnerName: "n",
      entry: "",
      scaledPassingScore: 2,
      completionThreshold: -0.1,
      timeLimitAction: "explode" as never,
      maxTimeAllowed: -3,
    });
    expect(seed04.cmi).not.toHaveProperty("scaled_passing_score");
    expect(seed04.cmi).not.toHaveProperty("completion_threshold");
    expect(seed04.cmi).not.toHaveProperty("time_limit_action");
    expect(seed04.cmi).not.toHaveProperty("max_time_allowed");
    expect(() => createScormApi({ version: "1.2", autocommitSeconds: false }).loadFromJSON(seed12)).not.toThrow();
    expect(() => createScormApi({ version: "2004", autocommitSeconds: false }).loadFromJSON(seed04)).not.toThrow();
  });

  it("formats tiny decimals without exponents", () => {
    const seed = learnerSeed({ version: "2004", learnerId: "u", learnerName: "n", entry: "", scaledPassingScore: 1e-9, completionThreshold: 0.123456789 });
    expect(seed.cmi).toMatchObject({ scaled_passing_score: "0", completion_threshold: "0.1234568" });
  });
});
