import { describe, expect, it } from "vitest";
import { readYaml, setYamlValues, toYaml } from "./yaml-edit.ts";

describe("YAML written and edited by the course editor", () => {
  it("writes a value used twice in full, never as an anchor and alias", () => {
    const empty = { sl: "", en: "" };
    const text = toYaml({ summary: empty, contentNote: empty });
    expect(text).not.toMatch(/[&*]a\d/);
    // Each field can then be changed on its own.
    const edited = setYamlValues(text, [[["summary", "sl"], "Povzetek"]]);
    expect(readYaml(edited)).toEqual({ summary: { sl: "Povzetek", en: "" }, contentNote: { sl: "", en: "" } });
  });

  it("keeps comments and untouched values when it sets one", () => {
    const text = "slug: x # the web name\npassMark: 80\n";
    const edited = setYamlValues(text, [[["passMark"], 90]]);
    expect(edited).toContain("# the web name");
    expect(readYaml(edited)).toEqual({ slug: "x", passMark: 90 });
  });

  it("removes a value set to undefined", () => {
    expect(readYaml(setYamlValues("a: 1\nb: 2\n", [[["b"], undefined]]))).toEqual({ a: 1 });
  });
});

describe("ids made from titles", async () => {
  const { slugOf, slugify } = await import("./slug.ts");
  it("keeps letters and digits, drops accents, joins words with dashes", () => {
    expect(slugOf("Prepoznavanje žrtev – 2. del")).toBe("prepoznavanje-zrtev-2-del");
    expect(slugOf("Ž")).toBe("");
    expect(slugify("Ž")).toBe("item-z");
    expect(slugify("?")).toBe("item-x");
    expect(slugify("A".repeat(60))).toHaveLength(40);
  });
});
