import { describe, expect, it } from "vitest";
import { courseState, type OutlineModule, renewalModuleKeys, statusOf } from "./course-state.ts";

const modules: OutlineModule[] = [
  { key: "m1", position: 1, isRecertification: false, items: [{ key: "l1", kind: "LESSON", required: true }, { key: "q1", kind: "QUIZ", required: true }] },
  { key: "m2", position: 2, isRecertification: false, items: [{ key: "l2", kind: "LESSON", required: true }, { key: "extra", kind: "LESSON", required: false }, { key: "c2", kind: "CASE", required: true }] },
  { key: "refresher", position: 3, isRecertification: true, items: [{ key: "r1", kind: "LESSON", required: true }] },
];

describe("course state", () => {
  it("opens only the first module of a sequential course at the start", () => {
    const state = courseState(modules, new Set(), { sequential: true });
    expect(state.modules.map((m) => [m.key, m.unlocked, m.lockedReason])).toEqual([
      ["m1", true, null],
      ["m2", false, "previous-module"],
      ["refresher", false, "recertification-only"],
    ]);
    expect(state.next).toEqual({ moduleKey: "m1", itemKey: "l1", kind: "LESSON" });
    expect(state.percent).toBe(0);
  });

  it("opens the next module only when the quiz is passed, not when lessons alone are read", () => {
    expect(courseState(modules, new Set(["l1"]), { sequential: true }).modules[1].unlocked).toBe(false);
    const state = courseState(modules, new Set(["l1", "q1"]), { sequential: true });
    expect(state.modules[1].unlocked).toBe(true);
    expect(state.next).toEqual({ moduleKey: "m2", itemKey: "l2", kind: "LESSON" });
    expect(state.percent).toBe(50);
  });

  it("opens every module when the course is not sequential", () => {
    expect(courseState(modules, new Set(), { sequential: false }).modules.map((m) => m.unlocked)).toEqual([true, true, false]);
  });

  it("completes without optional items and without the refresher", () => {
    const state = courseState(modules, new Set(["l1", "q1", "l2", "c2"]), { sequential: true });
    expect(state.complete).toBe(true);
    expect(state.percent).toBe(100);
    expect(state.next).toBeNull();
  });
});

describe("renewal", () => {
  it("requires only the refresher, keeps the other modules open for review, and completes without them", () => {
    const renewal = renewalModuleKeys(modules, { modules: ["refresher"] });
    const start = courseState(modules, new Set(), { sequential: true, renewal });
    expect(start.modules.map((m) => [m.key, m.unlocked])).toEqual([["m1", true], ["m2", true], ["refresher", true]]);
    expect(start.next).toEqual({ moduleKey: "refresher", itemKey: "r1", kind: "LESSON" });
    expect(start.complete).toBe(false);
    const done = courseState(modules, new Set(["r1"]), { sequential: true, renewal });
    expect(done).toMatchObject({ complete: true, percent: 100, next: null });
  });

  it("can require retaking a first-completion module, in order, before the refresher opens", () => {
    const renewal = renewalModuleKeys(modules, { modules: ["refresher"], retake: ["m2"] });
    const state = courseState(modules, new Set(), { sequential: true, renewal });
    expect(state.modules.map((m) => [m.key, m.unlocked, m.lockedReason])).toEqual([
      ["m1", true, null],
      ["m2", true, null],
      ["refresher", false, "previous-module"],
    ]);
    expect(courseState(modules, new Set(["l2", "c2"]), { sequential: true, renewal }).modules[2].unlocked).toBe(true);
    expect(courseState(modules, new Set(["l2", "c2", "r1"]), { sequential: true, renewal }).complete).toBe(true);
  });

  it("repeats the whole course when the course names no renewal path", () => {
    const renewal = renewalModuleKeys(modules, undefined);
    expect([...renewal]).toEqual(["m1", "m2"]);
    const state = courseState(modules, new Set(["l1", "q1"]), { sequential: true, renewal });
    expect(state.complete).toBe(false);
    expect(state.modules[2]).toMatchObject({ unlocked: false, lockedReason: "recertification-only" });
  });
});

describe("statusOf", () => {
  const now = new Date("2026-06-01T10:00:00Z");
  it.each([
    [{ startedAt: null, completedAt: null, dueAt: null }, "not_started"],
    [{ startedAt: "2026-05-01", completedAt: null, dueAt: "2026-07-01" }, "in_progress"],
    [{ startedAt: "2026-05-01", completedAt: null, dueAt: "2026-05-31" }, "overdue"],
    [{ startedAt: null, completedAt: null, dueAt: "2026-05-31" }, "overdue"],
    [{ startedAt: "2026-05-01", completedAt: "2026-06-02", dueAt: "2026-05-31" }, "completed"],
  ] as const)("%o is %s", (enrolment, status) => {
    expect(statusOf(enrolment, now)).toBe(status);
  });
});
