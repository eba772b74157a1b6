import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCpdSchemes, schemeTarget } from "./schemes.ts";

const custom = `  - id: custom
    name: { sl: Lasten cilj, en: My own target }
    professions: [NURSE, PHYSICIAN, MIDWIFE, OTHER]
`;
const report = (text: string) => parseCpdSchemes(text, "courses/cpd-schemes.yaml").problems.map((p) => `${p.file}:${p.line}: ${p.message}`);

describe("courses/cpd-schemes.yaml", () => {
  it("holds the Slovene physicians' rule (75 credits in 7 years, at least 5 in quality, safety, ethics and communication) and an own target", () => {
    const { schemes, problems } = parseCpdSchemes(readFileSync(new URL("../../courses/cpd-schemes.yaml", import.meta.url), "utf8"), "courses/cpd-schemes.yaml");
    expect(problems).toEqual([]);
    const physicians = schemes!.find((s) => s.id === "zzs-physicians")!;
    expect(physicians).toMatchObject({ professions: ["PHYSICIAN"], periodYears: 7, totalCredits: 75 });
    expect(physicians.categories.find((c) => c.id === "quality-safety-ethics-communication")?.minCredits).toBe(5);
    expect(physicians.source?.url).toMatch(/^https:\/\/zdravniskazbornica\.si\//);
    const own = schemes!.find((s) => s.id === "custom")!;
    expect(own.totalCredits).toBeUndefined();
    expect(schemeTarget(own, 40)).toBe(40);
    expect(schemeTarget(physicians, 40)).toBe(75);
    expect(schemeTarget(null, 40)).toBeNull();
  });
});

describe("checking a schemes file", () => {
  it("reports wrong types and values on their line", () => {
    const text = `schemes:
  - id: chamber
    name: { sl: Zbornica, en: Chamber }
    professions: [DENTIST]
    periodYears: 7
    totalCredits: lots
    categories:
      - id: ethics
        name: { sl: Etika, en: Ethics }
        minCredits: -1
    source: { title: Rules }
${custom}`;
    expect(report(text)).toEqual([
      "courses/cpd-schemes.yaml:4: schemes #1.professions #1 must be one of NURSE, PHYSICIAN, MIDWIFE, OTHER, not \"DENTIST\"",
      'courses/cpd-schemes.yaml:6: schemes #1.totalCredits must be a number, not "lots"',
      "courses/cpd-schemes.yaml:10: schemes #1.categories #1.minCredits must be at least 0, not -1",
    ]);
  });

  it("reports duplicate ids, a fixed total without a source, minimums above the total and a missing own-target scheme", () => {
    const text = `schemes:
  - id: chamber
    name: { sl: Zbornica, en: Chamber }
    professions: [NURSE]
    totalCredits: 10
    categories:
      - { id: ethics, name: { sl: Etika, en: Ethics }, minCredits: 8 }
      - { id: ethics, name: { sl: Etika, en: Ethics }, minCredits: 8 }
  - id: chamber
    name: { sl: Zbornica, en: Chamber }
    professions: [NURSE]
    totalCredits: 10
    source: { title: Rules }
`;
    expect(report(text)).toEqual([
      'courses/cpd-schemes.yaml:8: scheme "chamber": category "ethics" is listed twice',
      'courses/cpd-schemes.yaml:5: scheme "chamber": a scheme with a fixed total needs a source (the chamber\'s rules)',
      'courses/cpd-schemes.yaml:6: scheme "chamber": the categories\' minimums (16) exceed totalCredits (10)',
      'courses/cpd-schemes.yaml:9: scheme "chamber": this id is used by another scheme',
      "courses/cpd-schemes.yaml:1: one scheme must leave out totalCredits, so learners whose rules are not listed can set their own target",
    ]);
  });

  it("reports YAML syntax errors and an unknown field", () => {
    expect(report("schemes:\n  - id: [unclosed\n")[0]).toMatch(/^courses\/cpd-schemes\.yaml:\d+: YAML syntax error/);
    expect(report(`schemes:\n${custom}    colour: blue\n`)).toEqual(['courses/cpd-schemes.yaml:5: unknown field "colour"']);
  });
});
