import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./redirect.ts";

describe("safeRedirectPath", () => {
  it.each([
    ["/courses/x?tab=1#m2", "/courses/x?tab=1#m2"],
    ["/", "/"],
  ])("keeps the local path %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil", "javascript:alert(1)", "", null, undefined, "courses"])("refuses %s", (input) => {
    expect(safeRedirectPath(input as string)).toBe("/");
  });
});
