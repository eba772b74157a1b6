import { describe, expect, it } from "vitest";
import { type Locale, QuizFileSchema } from "~/content/schema.ts";
import { questionProblems, settingsProblems } from "./quiz-checks.ts";
import { addQuestion, applyQuestion, applySettings, moveQuestion, parseQuestionForm, parseSettingsForm, type QuestionDraft, questionLines, readQuiz, readQuizData, removeQuestion, writeQuiz } from "./quiz-form.ts";
import { diffLines } from "./draft-diff.ts";
import { readYaml } from "./yaml-edit.ts";

const QUIZ = `# Reviewed by the clinical lead, March 2027.
id: basics-quiz
title: { sl: Preverjanje osnov, en: Basics check }
draw: 5
passMark: 70
attempts: 3
cooldownMinutes: 0
timeLimitMinutes: 15 # a quarter of an hour
shuffle: true
review: after-attempt
drawPerOutcome: false
questions:
  # The definition comes first.
  - id: three-elements
    kind: single
    outcome: define-trafficking # Palermo Protocol
    prompt:
      sl: |
        Kateri so **elementi**?
      en: |
        What are the **elements**?
      uk: Які елементи?
    explanation: { sl: "Dejanje, sredstvo, namen.", en: "Act, means, purpose." }
    options:
      - id: act-means-purpose
        text: { sl: "Dejanje, sredstvo, namen", en: "Act, means, purpose" }
        correct: true
        feedback: { sl: Tako je., en: That's right. }
      - id: border-crossing # a common misconception
        text: { sl: Prečkanje meje, en: Crossing a border }
        correct: false
  - id: indicators-multi
    kind: multiple
    outcome: recognise-indicators
    prompt: { sl: Kateri so znaki?, en: Which are indicators? }
    explanation: { sl: Oba., en: Both. }
    options:
      - id: no-documents
        text: { sl: Brez dokumentov, en: No documents }
        correct: true
      - id: scripted-story
        text: { sl: Naučena zgodba, en: A scripted story }
        correct: true
      - id: tourist
        text: { sl: Turist, en: A tourist }
  - id: consent-irrelevant
    kind: true_false
    outcome: define-trafficking
    prompt: { sl: Privolitev ni pomembna., en: Consent is irrelevant. }
    explanation: { sl: "Drži, če je uporabljeno sredstvo.", en: True when a means was used. }
    answer: true
    feedback:
      true: { sl: Pravilno., en: Correct. }
      false: { sl: Ne drži., en: Not quite. }
  - id: match-forms
    kind: matching
    outcome: define-trafficking
    prompt: { sl: Poveži., en: Match. }
    explanation: { sl: Razlaga., en: Explanation. }
    pairs:
      - id: labour
        left: { sl: Delo, en: Labour }
        right: { sl: Gradbišče, en: Building site }
      - id: sexual
        left: { sl: Spolno, en: Sexual }
        right: { sl: Bar, en: Bar }
  - id: order-steps
    kind: ordering
    outcome: recognise-indicators
    prompt: { sl: Razvrsti., en: Put in order. }
    explanation: { sl: Varnost najprej., en: Safety first. }
    items:
      - id: safety
        text: { sl: Varnost, en: Safety }
      - id: alone
        text: { sl: Sam s pacientom, en: Alone with the patient }
      - id: refer
        text: { sl: Napotitev, en: Referral }
  - id: emergency-number
    kind: short_answer
    outcome: recognise-indicators
    prompt: { sl: Številka za nujne primere?, en: Emergency number? }
    explanation: { sl: Številka 112., en: The number 112. }
    accept:
      sl: ["112"]
      en: ["112"]
    ignoreDiacritics: false
`;

const LOCALES: Locale[] = ["sl", "en"];
const OUTCOMES = ["define-trafficking", "recognise-indicators"];
// Ids the rest of the course uses (lessons, the case): new ids must avoid them.
const USED = new Set(["what-is-it", "signs", "waiting-room", "safety-2"]);

/** The form the question editor renders for a question, as the browser would submit it. */
function questionForm(question: QuestionDraft, locales: readonly Locale[] = LOCALES) {
  const form = new FormData();
  const texts = (prefix: string, text: Partial<Record<Locale, string>>) => {
    for (const locale of locales) form.set(`${prefix}.${locale}`, text[locale] ?? "");
  };
  form.set("question", question.id);
  form.set("outcome", question.outcome);
  texts("prompt", question.prompt);
  texts("explanation", question.explanation);
  switch (question.kind) {
    case "single":
    case "multiple":
      question.options.forEach((option, index) => {
        form.set(`options.${index}.id`, option.id);
        texts(`options.${index}.text`, option.text);
        texts(`options.${index}.feedback`, option.feedback);
        if (option.correct) form.set(question.kind === "single" ? "correct" : `options.${index}.correct`, question.kind === "single" ? String(index) : "on");
      });
      break;
    case "true_false":
      form.set("answer", String(question.answer));
      texts("feedback.true", question.feedback.true);
      texts("feedback.false", question.feedback.false);
      break;
    case "matching":
      question.pairs.forEach((pair, index) => {
        form.set(`pairs.${index}.id`, pair.id);
        texts(`pairs.${index}.left`, pair.left);
        texts(`pairs.${index}.right`, pair.right);
      });
      break;
    case "ordering":
      question.items.forEach((item, index) => {
        form.set(`items.${index}.id`, item.id);
        texts(`items.${index}.text`, item.text);
      });
      break;
    case "short_answer":
      for (const locale of locales) form.set(`accept.${locale}`, (question.accept[locale] ?? []).join("\n"));
      if (question.ignoreDiacritics) form.set("ignoreDiacritics", "on");
      break;
  }
  return form;
}

function question(text: string, id: string) {
  const found = readQuiz(text)!.questions.find((q) => q.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
}

/** Saves an edited question the way the editor does: form → quiz data → file text. */
function save(text: string, edited: QuestionDraft, used = USED) {
  const next = applyQuestion(readQuizData(text)!, parseQuestionForm(questionForm(edited)), used);
  if (!next) throw new Error(`question ${edited.id} not applied`);
  return writeQuiz(text, next);
}

const changedLines = (before: string, after: string) => diffLines(before.split("\n"), after.split("\n"))!.filter((line) => line.kind !== "same");

const parsesForLearners = (text: string) => QuizFileSchema.parse(readYaml(text));

describe("reading a quiz into the editor's forms", () => {
  it("reads the settings and every kind of question", () => {
    const quiz = readQuiz(QUIZ)!;
    expect(quiz.settings).toEqual({ id: "basics-quiz", title: { sl: "Preverjanje osnov", en: "Basics check" }, draw: 5, passMark: 70, attempts: 3, cooldownMinutes: 0, timeLimitMinutes: 15, shuffle: true, review: "after-attempt", drawPerOutcome: false });
    expect(quiz.questions.map((q) => q.kind)).toEqual(["single", "multiple", "true_false", "matching", "ordering", "short_answer"]);
    expect(quiz.questions[0].options.map((o) => [o.id, o.correct])).toEqual([["act-means-purpose", true], ["border-crossing", false]]);
    expect(quiz.questions[0].prompt.uk).toBe("Які елементи?");
    expect(quiz.questions[5].accept).toEqual({ sl: ["112"], en: ["112"] });
  });

  it("reads a half-written file without failing, and refuses one that does not parse", () => {
    const quiz = readQuiz("id: x\nquestions:\n  - kind: essay\n    options: nope\n  - 7\n")!;
    expect(quiz.settings.draw).toBeNull();
    expect(quiz.questions).toHaveLength(2);
    expect(quiz.questions[0]).toMatchObject({ id: "", kind: null, options: [] });
    expect(readQuiz("questions: [unclosed")).toBeNull();
  });
});

describe("a question form round trip", () => {
  it.each(["three-elements", "indicators-multi", "consent-irrelevant", "match-forms", "order-steps", "emergency-number"])("leaves the file byte for byte unchanged when %s is saved as it was", (id) => {
    expect(save(QUIZ, question(QUIZ, id))).toBe(QUIZ);
  });

  it("single choice: changes a text, the correct option and feedback; ids stay, comments and other locales stay", () => {
    const edited = question(QUIZ, "three-elements");
    edited.options[0] = { ...edited.options[0], text: { sl: "Dejanje, sredstvo in namen", en: "An act, a means and a purpose" }, correct: false };
    edited.options[1] = { ...edited.options[1], correct: true, feedback: { sl: "Ne, meja ni nujna.", en: "No: no border need be crossed." } };
    const text = save(QUIZ, edited);
    parsesForLearners(text);
    const saved = question(text, "three-elements");
    expect(saved.options.map((o) => [o.id, o.correct])).toEqual([["act-means-purpose", false], ["border-crossing", true]]);
    expect(saved.options[0].text.en).toBe("An act, a means and a purpose");
    expect(saved.options[1].feedback.en).toBe("No: no border need be crossed.");
    expect(saved.prompt).toEqual({ sl: "Kateri so **elementi**?\n", en: "What are the **elements**?\n", uk: "Які елементи?" });
    for (const comment of ["# Reviewed by the clinical lead", "# The definition comes first.", "# Palermo Protocol", "# a common misconception", "# a quarter of an hour"]) expect(text).toContain(comment);
    // Only the lines of what changed differ; `correct: false`, written out in the file, becomes true.
    const changed = changedLines(QUIZ, text);
    expect(changed.filter((line) => line.kind === "removed").map((line) => line.text)).toEqual(['        text: { sl: "Dejanje, sredstvo, namen", en: "Act, means, purpose" }', "        correct: true", "        correct: false"]);
    expect(changed.filter((line) => line.kind === "added").map((line) => line.text)).toEqual(['        text: { sl: "Dejanje, sredstvo in namen", en: "An act, a means and a purpose" }', "        correct: true", "        feedback:", "          sl: Ne, meja ni nujna.", '          en: "No: no border need be crossed."']);
  });

  it("multiple choice: adds an option with an id from its text, removes one and reorders", () => {
    const edited = question(QUIZ, "indicators-multi");
    const [documents, story] = edited.options;
    edited.options = [story, { id: "", text: { sl: "Spremljevalec govori namesto pacienta", en: "A companion speaks for the patient" }, correct: true, feedback: {} }, documents];
    const text = save(QUIZ, edited);
    parsesForLearners(text);
    expect(question(text, "indicators-multi").options.map((o) => [o.id, o.correct])).toEqual([
      ["scripted-story", true],
      ["a-companion-speaks-for-the-patient", true],
      ["no-documents", true],
    ]);
    // Saving again keeps the new id even when its text changes.
    const again = question(text, "indicators-multi");
    again.options[1].text = { sl: "Spremljevalec odgovarja", en: "A companion answers" };
    expect(question(save(text, again), "indicators-multi").options[1].id).toBe("a-companion-speaks-for-the-patient");
  });

  it("true/false: flips the answer and drops empty feedback", () => {
    const edited = question(QUIZ, "consent-irrelevant");
    edited.answer = false;
    edited.feedback = { true: { sl: "", en: "" }, false: { sl: "Tako je.", en: "Right." } };
    const text = save(QUIZ, edited);
    expect(parsesForLearners(text).questions[2]).toMatchObject({ answer: false, feedback: { false: { sl: "Tako je.", en: "Right." } } });
    expect(text).not.toContain("Pravilno.");
    expect(readQuiz(text)!.questions[2].feedback.true).toEqual({});
  });

  it("matching: adds a pair and edits a right-hand text", () => {
    const edited = question(QUIZ, "match-forms");
    edited.pairs[1].right = { sl: "Nočni lokal", en: "Night club" };
    edited.pairs.push({ id: "", left: { sl: "Beračenje", en: "Begging" }, right: { sl: "Ulica", en: "Street" } });
    const text = save(QUIZ, edited);
    expect(parsesForLearners(text).questions[3]).toMatchObject({ pairs: [{ id: "labour" }, { id: "sexual", right: { en: "Night club" } }, { id: "begging", left: { sl: "Beračenje" } }] });
  });

  it("ordering: moves an item and gives a new item without text a numbered id no other file uses", () => {
    const edited = question(QUIZ, "order-steps");
    edited.items = [edited.items[1], edited.items[0], edited.items[2], { id: "", text: { sl: "", en: "" } }];
    const text = save(QUIZ, edited, new Set([...USED, "order-steps-1"]));
    expect(readQuiz(text)!.questions[4].items.map((item) => item.id)).toEqual(["alone", "safety", "refer", "order-steps-2"]);
  });

  it("short answer: accepted answers per locale, one per line, and ignoreDiacritics", () => {
    const edited = question(QUIZ, "emergency-number");
    edited.accept = { sl: ["112", "Sto dvanajst"], en: ["112", "one one two"] };
    edited.ignoreDiacritics = true;
    const text = save(QUIZ, edited);
    expect(parsesForLearners(text).questions[5]).toMatchObject({ accept: { sl: ["112", "Sto dvanajst"], en: ["112", "one one two"] }, ignoreDiacritics: true });
    expect(text).toContain("  sl: [ \"112\", Sto dvanajst ]");
  });

  it("gives a new option the next free id when its text would repeat one in use", () => {
    const edited = question(QUIZ, "order-steps");
    edited.items.push({ id: "", text: { sl: "Varnost", en: "Safety" } });
    expect(readQuiz(save(QUIZ, edited))!.questions[4].items.at(-1)!.id).toBe("safety-3");
  });

  it("refuses a question that is no longer in the file", () => {
    expect(applyQuestion(readQuizData(QUIZ)!, parseQuestionForm(questionForm({ ...question(QUIZ, "order-steps"), id: "gone" })), USED)).toBeNull();
  });
});

describe("the question pool", () => {
  it("adds a question of every kind with ids unique across the course; each parses for learners", () => {
    let text = QUIZ;
    const ids: string[] = [];
    for (const kind of ["single", "multiple", "true_false", "matching", "ordering", "short_answer"] as const) {
      const added = addQuestion(readQuizData(text)!, kind, { locales: LOCALES, outcome: "define-trafficking", usedIds: new Set([...USED, "question-1"]) });
      ids.push(added.id);
      text = writeQuiz(text, added.quiz);
    }
    expect(ids).toEqual(["question-2", "question-3", "question-4", "question-5", "question-6", "question-7"]);
    const quiz = parsesForLearners(text);
    expect(quiz.questions.slice(6).map((q) => q.kind)).toEqual(["single", "multiple", "true_false", "matching", "ordering", "short_answer"]);
    expect(quiz.questions[6]).toMatchObject({ options: [{ id: "question-2-1" }, { id: "question-2-2" }, { id: "question-2-3" }] });
    expect(text.startsWith(QUIZ)).toBe(true);
  });

  it("moves a question with its comments and removes one", () => {
    const moved = writeQuiz(QUIZ, moveQuestion(readQuizData(QUIZ)!, "three-elements", "down")!);
    expect(readQuiz(moved)!.questions.map((q) => q.id).slice(0, 2)).toEqual(["indicators-multi", "three-elements"]);
    expect(moved).toContain("# Palermo Protocol");
    expect(moveQuestion(readQuizData(QUIZ)!, "three-elements", "up")).toEqual(readQuizData(QUIZ));
    const removed = writeQuiz(QUIZ, removeQuestion(readQuizData(QUIZ)!, "match-forms")!);
    expect(readQuiz(removed)!.questions.map((q) => q.id)).toEqual(["three-elements", "indicators-multi", "consent-irrelevant", "order-steps", "emergency-number"]);
    expect(removeQuestion(readQuizData(QUIZ)!, "gone")).toBeNull();
  });
});

describe("where each question sits in the file", () => {
  it("gives the first and last line of every question", () => {
    const lines = QUIZ.split("\n");
    const ranges = questionLines(QUIZ);
    expect(ranges).toHaveLength(6);
    expect(lines[ranges[0].first - 1]).toBe("  - id: three-elements");
    expect(lines[ranges[0].last - 1]).toBe("        correct: false");
    expect(lines[ranges[5].first - 1]).toBe("  - id: emergency-number");
    expect(lines[ranges[5].last - 1]).toBe("    ignoreDiacritics: false");
    expect(ranges.every((range, index) => index === 0 || range.first === ranges[index - 1].last + 1)).toBe(true);
  });
});

describe("the settings form", () => {
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return data;
  };
  const base = { "title.sl": "Preverjanje osnov", "title.en": "Basics check", draw: "5", passMark: "70", attempts: "3", cooldownMinutes: "0", timeLimitMinutes: "15", shuffle: "on", review: "after-attempt" };

  it("round-trips unchanged settings byte for byte", () => {
    const parsed = parseSettingsForm(form(base));
    expect(parsed.ok && writeQuiz(QUIZ, applySettings(readQuizData(QUIZ)!, parsed.value))).toBe(QUIZ);
  });

  it("writes changed settings in place, removes cleared ones, keeps comments", () => {
    const parsed = parseSettingsForm(form({ ...base, "title.en": "Check of the basics", draw: "4", passMark: "", timeLimitMinutes: "", shuffle: "", review: "after-pass", drawPerOutcome: "on" }));
    expect(parsed.ok).toBe(true);
    const text = writeQuiz(QUIZ, applySettings(readQuizData(QUIZ)!, parsed.ok ? parsed.value : (undefined as never)));
    expect(text.split("\n").slice(0, 11)).toEqual(["# Reviewed by the clinical lead, March 2027.", "id: basics-quiz", "title: { sl: Preverjanje osnov, en: Check of the basics }", "draw: 4", "attempts: 3", "cooldownMinutes: 0", "shuffle: false", "review: after-pass", "drawPerOutcome: true", "questions:", "  # The definition comes first."]);
    expect(parsesForLearners(text)).toMatchObject({ draw: 4, review: "after-pass" });
  });

  it("adds a setting where the format documents it, not after the questions", () => {
    const bare = "id: q\ntitle: { sl: A, en: B }\ndraw: 1\nshuffle: true\nreview: after-attempt\nquestions: []\n";
    const parsed = parseSettingsForm(form({ ...base, draw: "1", timeLimitMinutes: "20" }));
    const text = writeQuiz(bare, applySettings(readQuizData(bare)!, parsed.ok ? parsed.value : (undefined as never)));
    expect(text).toBe("id: q\ntitle: { sl: Preverjanje osnov, en: Basics check }\ndraw: 1\npassMark: 70\nattempts: 3\ncooldownMinutes: 0\ntimeLimitMinutes: 20\nshuffle: true\nreview: after-attempt\nquestions: []\n");
  });

  it("names the field whose number is out of range", () => {
    expect(parseSettingsForm(form({ ...base, draw: "0" }))).toEqual({ ok: false, field: "draw" });
    expect(parseSettingsForm(form({ ...base, passMark: "101" }))).toEqual({ ok: false, field: "passMark" });
    expect(parseSettingsForm(form({ ...base, timeLimitMinutes: "-5" }))).toEqual({ ok: false, field: "timeLimitMinutes" });
  });
});

describe("checks shown next to the fields", () => {
  it("finds a missing translation, no correct answer and a duplicate option", () => {
    const edited = question(QUIZ, "three-elements");
    edited.options = [
      { ...edited.options[0], correct: false },
      { ...edited.options[1], text: { sl: " dejanje, SREDSTVO, namen ", en: "" } },
    ];
    expect(questionProblems(edited, LOCALES, OUTCOMES)).toEqual([
      { field: "options", key: "editor.quiz.check.noCorrect" },
      { field: "options.1.text.en", key: "editor.quiz.check.missingTranslation", locale: "en" },
      { field: "options.1.text.sl", key: "editor.quiz.check.duplicate", vars: { number: 1 }, locale: "sl" },
    ]);
  });

  it("finds an unknown outcome, too few parts and a language without accepted answers", () => {
    expect(questionProblems({ ...question(QUIZ, "order-steps"), outcome: "gone" }, LOCALES, OUTCOMES)).toEqual([{ field: "outcome", key: "editor.quiz.check.unknownOutcome", vars: { outcome: "gone" } }]);
    const matching = question(QUIZ, "match-forms");
    expect(questionProblems({ ...matching, pairs: matching.pairs.slice(0, 1) }, LOCALES, OUTCOMES)).toEqual([{ field: "pairs", key: "editor.quiz.check.tooFew", vars: { min: 2 } }]);
    expect(questionProblems({ ...question(QUIZ, "emergency-number"), accept: { sl: ["112"], en: [] } }, LOCALES, OUTCOMES)).toEqual([{ field: "accept.en", key: "editor.quiz.check.noAccepted", locale: "en" }]);
    for (const q of readQuiz(QUIZ)!.questions) expect(questionProblems(q, LOCALES, OUTCOMES)).toEqual([]);
  });

  it("says when the pool is smaller than the draw", () => {
    expect(settingsProblems({ title: { sl: "A", en: "" }, draw: 7 }, 6, LOCALES)).toEqual([
      { field: "title.en", key: "editor.quiz.check.missingTranslation", locale: "en" },
      { field: "draw", key: "editor.quiz.check.poolTooSmall", vars: { count: 6, draw: 7 } },
    ]);
  });
});
