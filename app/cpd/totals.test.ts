import { describe, expect, it } from "vitest";
import type { CpdScheme } from "./schemes.ts";
import { categoryText, countsTowardsTotals, matchCategoryId, summariseCredits, transcriptState } from "./totals.ts";

const physicians: CpdScheme = {
  id: "zzs-physicians",
  name: { sl: "Zdravniki", en: "Physicians" },
  professions: ["PHYSICIAN"],
  periodYears: 7,
  totalCredits: 75,
  categories: [
    { id: "licensed-field", name: { sl: "Vsebine s področja licence", en: "Content in the licensed field" }, minCredits: 50 },
    { id: "quality-safety-ethics-communication", name: { sl: "Kakovost, varnost, etika in komunikacija", en: "Quality, safety, ethics and communication" }, minCredits: 5 },
  ],
};

describe("which certificates count", () => {
  it("counts valid, expired and superseded certificates but never revoked ones", () => {
    expect(transcriptState("expiring")).toBe("valid");
    expect(["valid", "expired", "superseded"].every((state) => countsTowardsTotals(state as never))).toBe(true);
    expect(countsTowardsTotals("revoked")).toBe(false);
  });

  it("matches a certificate's category by id, and older certificates by name", () => {
    expect(matchCategoryId({ sl: "x", en: "y", id: "quality-safety-ethics-communication" }, physicians)).toBe("quality-safety-ethics-communication");
    expect(matchCategoryId({ sl: "Kakovost, varnost, etika in komunikacija", en: "Quality, safety, ethics and communication", id: "unknown-id" }, physicians)).toBeNull();
    expect(matchCategoryId({ sl: " kakovost, varnost, etika in komunikacija ", en: "Something else" }, physicians)).toBe("quality-safety-ethics-communication");
    expect(matchCategoryId({ sl: "Strokovno izpopolnjevanje", en: "Professional development" }, physicians)).toBeNull();
    expect(matchCategoryId({ id: "licensed-field" }, null)).toBeNull();
    expect(categoryText({ sl: "Kakovost", en: "Quality", id: "q" })).toEqual({ sl: "Kakovost", en: "Quality" });
  });
});

describe("totals against a target", () => {
  it("adds counted credits per category and overall, with what is still missing", () => {
    const summary = summariseCredits(
      [
        { credits: 3, categoryId: "quality-safety-ethics-communication", counted: true },
        { credits: 0.1, categoryId: "quality-safety-ethics-communication", counted: true },
        { credits: 0.2, categoryId: "quality-safety-ethics-communication", counted: true },
        { credits: 40, categoryId: "licensed-field", counted: true },
        { credits: 2, categoryId: null, counted: true },
        { credits: 30, categoryId: "licensed-field", counted: false },
      ],
      physicians,
      75,
    );
    expect(summary.total).toBe(45.3);
    expect(summary.percent).toBe(60);
    expect(summary.remaining).toBe(29.7);
    expect(summary.otherCredits).toBe(2);
    expect(summary.categories).toEqual([
      expect.objectContaining({ id: "licensed-field", credits: 40, minCredits: 50, met: false, missing: 10 }),
      expect.objectContaining({ id: "quality-safety-ethics-communication", credits: 3.3, minCredits: 5, met: false, missing: 1.7 }),
    ]);
    expect(summary.met).toBe(false);
  });

  it("is met only when the total and every category minimum are reached", () => {
    const enough = [
      { credits: 70, categoryId: "licensed-field", counted: true },
      { credits: 5, categoryId: "quality-safety-ethics-communication", counted: true },
    ];
    expect(summariseCredits(enough, physicians, 75)).toMatchObject({ met: true, percent: 100, remaining: 0 });
    expect(summariseCredits([{ credits: 80, categoryId: "licensed-field", counted: true }], physicians, 75)).toMatchObject({ met: false, percent: 100, remaining: 0 });
  });

  it("has no progress without a target", () => {
    expect(summariseCredits([{ credits: 3, categoryId: null, counted: true }], null, null)).toMatchObject({ total: 3, target: null, percent: null, remaining: null, categories: [], met: false });
  });
});
