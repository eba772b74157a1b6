import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { negotiateLocale, pick, translator } from "./index.ts";
import { sl } from "./sl.ts";

describe("i18n", () => {
  it("has every English key in Slovene, none empty, with the same placeholders", () => {
    expect(Object.keys(sl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(en)) {
      const slValue = sl[key as keyof typeof en];
      expect(slValue.trim(), key).not.toBe("");
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(slValue), key).toEqual(placeholders(value));
    }
  });

  it("fills placeholders and shows unknown keys as themselves", () => {
    expect(translator("en")("home.welcome", { name: "Ana" })).toBe("Welcome, Ana");
    expect(translator("sl")("home.welcome", { name: "Ana" })).toBe("Pozdravljeni, Ana");
    expect(translator("sl")("no.such.key")).toBe("no.such.key");
  });

  it.each([
    ["sl-SI,sl;q=0.9,en;q=0.8", "sl"],
    ["en-GB,en;q=0.9", "en"],
    ["de-DE,en;q=0.5,sl;q=0.7", "sl"],
    ["de-DE,fr;q=0.8", null],
    ["sl;q=0,en", "en"],
    ["", null],
  ])("negotiates %s as %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it("picks course text in the user's locale, else Slovene", () => {
    expect(pick({ sl: "Modul", en: "Module" }, "en")).toBe("Module");
    expect(pick({ sl: "Modul" }, "en")).toBe("Modul");
    expect(pick({ en: "Only English" }, "uk")).toBe("Only English");
    expect(pick(null, "sl")).toBe("");
  });
});
