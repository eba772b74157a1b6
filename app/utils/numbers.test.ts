import { describe, expect, it } from "vitest";
import { percent } from "./numbers.ts";

describe("percent", () => {
  it.each([
    [1, 3, 33],
    [2, 3, 67],
    [1, 8, 13],
    [0, 5, 0],
    [5, 5, 100],
  ])("%i of %i is %i %%", (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });

  it("is 0 of nothing rather than NaN", () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(3, 0)).toBe(0);
  });
});
