import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CaseFileSchema } from "~/content/schema.ts";
import { caseFormData } from "../../tests/support/case-form-data.ts";
import { addChoice, addIndicator, addNode, type CaseForm, caseField, caseFormToYaml, moveChoice, readCaseForm, readCaseFormData, removeChoice, removeNode, updateNode, yamlChanges } from "./case-form.ts";

const LOCALES = ["sl", "en"] as const;

const WAITING_ROOM = `# A short case; comments outside the edited values stay.
id: waiting-room
title: { sl: Čakalnica, en: Waiting room }
summary: { sl: Pacientka s spremljevalcem., en: A patient with a companion. }
outcomes: [recognise-indicators]
requireSafeOutcome: true
start: arrival
nodes:
  - id: arrival
    text:
      sl: |
        Prideta skupaj.
      en: |
        They arrive together.
      uk: Вони приходять разом.
    choices:
      - id: see-alone
        text: { sl: Pacientko vzamem samo., en: I see the patient alone. }
        consequence: { sl: Spremljevalec počaka., en: The companion waits. }
        next: alone
      - id: ask-companion # the tempting one
        text: { sl: Vprašam spremljevalca., en: I ask the companion. }
        consequence: { sl: Odgovarja on., en: He answers. }
        next: debrief-poor
  - id: debrief-safe
    debrief: true
    outcome: safe
    text: { sl: Dobro., en: Well done. }
    indicators:
      - { sl: Spremljevalec govori zanjo, en: The companion speaks for her }
  - id: alone
    text: { sl: Sama sta., en: You are alone. }
    choices:
      - id: ask-safely
        text: { sl: Vprašam varno., en: I ask safely. }
        consequence: { sl: Pove več., en: She says more. }
        next: debrief-safe
  - id: debrief-poor
    debrief: true
    outcome: poor
    text: { sl: Premislite znova., en: Think again. }
    betterChoices: { sl: Pacientko vzemite samo., en: See the patient alone. }
`;

function form(): CaseForm {
  const read = readCaseForm(WAITING_ROOM, LOCALES);
  if (!read) throw new Error("the fixture is a readable case");
  return read;
}

function submitted(caseForm: CaseForm): CaseForm {
  const read = readCaseFormData(caseFormData(caseForm, LOCALES));
  if (!read) throw new Error("the page's fields are a valid form");
  return { ...read, id: caseForm.id };
}

describe("the case form and its file", () => {
  it("reads a case with exactly the course's locales", () => {
    const read = form();
    expect(read.title).toEqual({ sl: "Čakalnica", en: "Waiting room" });
    expect(read.nodes.map((n) => n.id)).toEqual(["arrival", "debrief-safe", "alone", "debrief-poor"]);
    expect(read.nodes[0]?.text).toEqual({ sl: "Prideta skupaj.\n", en: "They arrive together.\n" });
    expect(read.nodes[3]).toMatchObject({ debrief: true, outcome: "poor", indicators: [], betterChoices: { sl: "Pacientko vzemite samo.", en: "See the patient alone." } });
  });

  it("writes an unchanged form back as the same bytes, through the page's fields", () => {
    expect(caseFormToYaml(WAITING_ROOM, submitted(form()), LOCALES)).toBe(WAITING_ROOM);
    // In any order the page lists the nodes.
    const reordered = { ...form(), nodes: [...form().nodes].reverse() };
    expect(caseFormToYaml(WAITING_ROOM, submitted(reordered), LOCALES)).toBe(WAITING_ROOM);
  });

  it("changes only the values the trainer changed and keeps comments and other locales", () => {
    let edited = updateNode(form(), "arrival", (node) => ({ ...node, text: { ...node.text, en: "They arrive together, late at night.\n" } }));
    edited = { ...edited, title: { ...edited.title, en: "The waiting room" } };
    const text = caseFormToYaml(WAITING_ROOM, submitted(edited), LOCALES);
    expect(text).toContain("# A short case; comments outside the edited values stay.");
    expect(text).toContain("- id: ask-companion # the tempting one");
    expect(text).toContain("title: { sl: Čakalnica, en: The waiting room }");
    expect(text).toContain("uk: Вони приходять разом.");
    // The yaml library writes every flow list of a file it changes with inner spaces (`[ a ]`).
    const lines = (yaml: string) => yaml.split("\n").map((line) => line.replace(/\[ (.*) \]/, "[$1]"));
    expect(lines(text).filter((line, i) => line !== lines(WAITING_ROOM)[i])).toEqual(["title: { sl: Čakalnica, en: The waiting room }", "        They arrive together, late at night."]);
    expect(readCaseForm(text, LOCALES)).toEqual(edited);
  });

  it("round-trips added, reordered and removed nodes and choices into a valid case file", () => {
    let edited = form();
    const added = addNode(edited, "debrief", ["waiting-room", "arrival"], LOCALES);
    edited = updateNode(added.form, added.id, (node) => ({ ...node, outcome: "partial", text: { sl: "Delno.", en: "Partly." } }));
    edited = addIndicator(edited, added.id, LOCALES);
    edited = updateNode(edited, added.id, (node) => ({ ...node, indicators: [{ sl: "Strah", en: "Fear" }] }));
    const choice = addChoice(edited, "alone", [], LOCALES);
    edited = updateNode(choice.form, "alone", (node) => ({ ...node, choices: node.choices.map((c) => (c.id === choice.id ? { ...c, text: { sl: "Čakam.", en: "I wait." }, consequence: { sl: "Nič.", en: "Nothing." }, next: added.id } : c)) }));
    edited = moveChoice(edited, "arrival", 1, "up");
    const removal = removeNode(edited, "debrief-safe", "debrief-poor");
    if (!("form" in removal)) throw new Error("re-pointed removal goes through");
    edited = { ...removal.form, requireSafeOutcome: false };

    const text = caseFormToYaml(WAITING_ROOM, submitted(edited), LOCALES);
    expect(CaseFileSchema.safeParse(parse(text)).success).toBe(true);
    expect(readCaseForm(text, LOCALES)?.nodes.map((n) => n.id)).toEqual(["arrival", "alone", "debrief-poor", added.id]);
    // The page's order is not the file's: compare node by node.
    const back = readCaseForm(text, LOCALES)!;
    for (const node of edited.nodes) expect(back.nodes.find((n) => n.id === node.id)).toEqual(node);
    expect(back.nodes.find((n) => n.id === "arrival")?.choices.map((c) => c.id)).toEqual(["ask-companion", "see-alone"]);
    expect(back.nodes.find((n) => n.id === "alone")?.choices.map((c) => c.next)).toEqual(["debrief-poor", added.id]);
    expect(text).toContain(`  - id: ${added.id}\n    debrief: true\n    outcome: partial\n    text:`);
  });

  it("gives new nodes and choices ids nobody uses, which stay when their text changes", () => {
    const used = ["waiting-room-situation-1", "choice-1", "choice-2"];
    const first = addNode(form(), "situation", used, LOCALES);
    expect(first.id).toBe("waiting-room-situation-2");
    const firstChoice = first.form.nodes.at(-1)!.choices[0]!.id;
    expect(firstChoice).toBe("choice-3");
    const second = addNode(first.form, "situation", used, LOCALES);
    expect(second.id).toBe("waiting-room-situation-3");
    expect(second.form.nodes.at(-1)!.choices[0]!.id).toBe("choice-4");

    const retitled = updateNode(second.form, first.id, (node) => ({ ...node, text: { sl: "Novo besedilo", en: "New text" }, choices: node.choices.map((c) => ({ ...c, text: { sl: "Nekaj", en: "Something" } })) }));
    const text = caseFormToYaml(WAITING_ROOM, submitted(retitled), LOCALES);
    const back = readCaseForm(text, LOCALES)!;
    expect(back.nodes.find((n) => n.text.en === "New text")?.id).toBe(first.id);
    expect(back.nodes.find((n) => n.id === first.id)?.choices[0]?.id).toBe(firstChoice);
    // Read again, the same ids: nothing is derived from text.
    expect(readCaseForm(text, LOCALES)).toEqual(back);
  });

  it("refuses to remove the start node, and a node choices lead to unless they are re-pointed", () => {
    expect(removeNode(form(), "arrival")).toEqual({ refused: "start" });
    expect(removeNode(form(), "alone")).toMatchObject({ refused: "incoming", incoming: [{ node: "arrival", choice: "see-alone" }] });
    expect(removeNode(form(), "alone", "alone")).toMatchObject({ refused: "incoming" });
    const repointed = removeNode(form(), "alone", "debrief-safe");
    expect("form" in repointed && repointed.form.nodes.find((n) => n.id === "arrival")?.choices[0]?.next).toBe("debrief-safe");
    const removedChoice = removeChoice(form(), "arrival", 0);
    expect("form" in removeNode(removedChoice, "alone")).toBe(true);
  });

  it("refuses a form whose fields are not the page's", () => {
    const data = caseFormData(form(), LOCALES);
    data.set(caseField.node(0, "id"), "Not An Id");
    expect(readCaseFormData(data)).toBeNull();
    const duplicate = caseFormData(form(), LOCALES);
    duplicate.set(caseField.node(1, "id"), "arrival");
    expect(readCaseFormData(duplicate)).toBeNull();
    const polluted = caseFormData(form(), LOCALES);
    polluted.append("__proto__.polluted", "yes");
    expect(readCaseFormData(polluted)).not.toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("does not open files it could not write back safely", () => {
    expect(readCaseForm("id: [", LOCALES)).toBeNull();
    expect(readCaseForm("id: x\nnodes:\n  - text: { en: no id }\n", LOCALES)).toBeNull();
    expect(readCaseForm("id: x\nnodes:\n  - id: a\n  - id: a\n", LOCALES)).toBeNull();
  });

  it("writes changed lists of objects with ids item by item", () => {
    const before = { list: [{ id: "a", v: 1 }, { id: "b", v: 2 }, { id: "c", v: 3 }] };
    expect(yamlChanges(before, { list: [{ id: "a", v: 1 }, { id: "c", v: 4 }, { id: "d", v: 5 }] })).toEqual([
      [["list", 2, "v"], 4],
      [["list", 1], undefined],
      [["list", 2], { id: "d", v: 5 }],
    ]);
    expect(yamlChanges(before, { list: [{ id: "b", v: 2 }, { id: "a", v: 1 }] })).toEqual([[["list"], [{ id: "b", v: 2 }, { id: "a", v: 1 }]]]);
  });
});
