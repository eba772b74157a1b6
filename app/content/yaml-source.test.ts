import { describe, expect, it } from "vitest";
import { parseYamlSource } from "./yaml-source.ts";

/** Nine levels of nine aliases each: 9^9 "lol"s once expanded, in under 400 bytes of text. */
function aliasBomb() {
  const names = "abcdefghi";
  const lines = [`${names[0]}: &${names[0]} ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let level = 1; level < names.length; level++) lines.push(`${names[level]}: &${names[level]} [${Array(9).fill(`*${names[level - 1]}`).join(", ")}]`);
  return `slug: bomb\n${lines.join("\n")}\n`;
}

describe("parseYamlSource", () => {
  it("reads a few aliases as the values they stand for", () => {
    expect(parseYamlSource("a: &x { sl: Ena, en: One }\nb: *x\n", "course.yaml")).toMatchObject({ problems: [], data: { a: { sl: "Ena", en: "One" }, b: { sl: "Ena", en: "One" } } });
  });

  it("reports an alias bomb as a problem of the file instead of throwing or expanding it", () => {
    const source = parseYamlSource(aliasBomb(), "courses/bomb/course.yaml");
    expect(source.data).toBeNull();
    expect(source.problems).toEqual([{ file: "courses/bomb/course.yaml", line: 1, message: expect.stringMatching(/aliases/) }]);
  });
});
