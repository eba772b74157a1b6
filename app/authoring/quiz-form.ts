import { isMap, isNode, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { LOCALES, type Locale, type LocalisedText, type QuestionKind } from "~/content/schema.ts";
import { readYaml } from "./yaml-edit.ts";
import { reconcileYaml } from "./yaml-reconcile.ts";
import { slugOf } from "./slug.ts";

// The quiz editor's forms and the quiz file (courses/README.md, "Quizzes"). A quiz is read leniently
// into drafts the forms show (a draft may be half written); a submitted form becomes a new plain
// value of the file, written back with reconcileYaml so that everything the form did not change
// keeps its text, comments included. Ids are given once, when a question or option is created, and
// never follow its text afterwards: learners' answers and item statistics refer to them.
// Pure: the browser uses the drafts and names; the server writes files.

export const QUESTION_KINDS = ["single", "multiple", "true_false", "matching", "ordering", "short_answer"] as const satisfies readonly QuestionKind[];
export const MAX_QUESTIONS = 500;
export const MAX_PARTS = 30;
const MAX_TEXT = 10_000;
const MAX_ACCEPTED = 50;

export type OptionDraft = { id: string; text: LocalisedText; correct: boolean; feedback: LocalisedText };
export type PairDraft = { id: string; left: LocalisedText; right: LocalisedText };
export type ItemDraft = { id: string; text: LocalisedText };
export type AcceptedAnswers = Partial<Record<Locale, string[]>>;

/** One question with the fields of every kind; only its own kind's fields are written. */
export type QuestionDraft = {
  id: string;
  /** null: a kind the editor does not know (the checker reports it). */
  kind: QuestionKind | null;
  outcome: string;
  prompt: LocalisedText;
  explanation: LocalisedText;
  options: OptionDraft[];
  answer: boolean;
  feedback: { true: LocalisedText; false: LocalisedText };
  pairs: PairDraft[];
  items: ItemDraft[];
  accept: AcceptedAnswers;
  ignoreDiacritics: boolean;
};

/** What a submitted question form holds: texts only in the locales it had inputs for. */
export type QuestionInput = Omit<QuestionDraft, "kind">;

export type QuizSettings = {
  id: string;
  title: LocalisedText;
  draw: number | null;
  passMark: number | null;
  attempts: number | null;
  cooldownMinutes: number | null;
  timeLimitMinutes: number | null;
  shuffle: boolean;
  review: "after-attempt" | "after-pass";
  drawPerOutcome: boolean;
};
export type SettingsInput = Omit<QuizSettings, "id" | "draw"> & { draw: number };

export type QuizData = Record<string, unknown>;
export type QuizDraft = { settings: QuizSettings; questions: QuestionDraft[] };

// ------------------------------------------------------------------------------ form field names

/** Input names shared by the forms and the parsers: `prompt.sl`, `options.2.text.en`, `options.2.correct`. */
export const fieldName = {
  text: (name: string, locale: Locale) => `${name}.${locale}`,
  part: (list: "options" | "pairs" | "items", index: number, name: string) => `${list}.${index}.${name}`,
};

// ------------------------------------------------------------------------------------- reading

/** The file as plain data, or null when it does not parse into a mapping. */
export function readQuizData(text: string): QuizData | null {
  const data = readYaml(text);
  return isRecord(data) ? data : null;
}

export function readQuiz(text: string): QuizDraft | null {
  const data = readQuizData(text);
  return data ? { settings: readSettings(data), questions: questionsOf(data).map(readQuestion) } : null;
}

function readSettings(data: QuizData): QuizSettings {
  const count = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : null);
  return {
    id: text(data.id),
    title: localised(data.title),
    draw: count(data.draw),
    passMark: count(data.passMark),
    attempts: count(data.attempts),
    cooldownMinutes: count(data.cooldownMinutes),
    timeLimitMinutes: count(data.timeLimitMinutes),
    shuffle: data.shuffle === true,
    review: data.review === "after-pass" ? "after-pass" : "after-attempt",
    drawPerOutcome: data.drawPerOutcome === true,
  };
}

export function readQuestion(value: unknown): QuestionDraft {
  const question = isRecord(value) ? value : {};
  const feedback = isRecord(question.feedback) ? question.feedback : {};
  const accept = isRecord(question.accept) ? question.accept : {};
  return {
    id: text(question.id),
    kind: (QUESTION_KINDS as readonly unknown[]).includes(question.kind) ? (question.kind as QuestionKind) : null,
    outcome: text(question.outcome),
    prompt: localised(question.prompt),
    explanation: localised(question.explanation),
    options: records(question.options).map((option) => ({ id: text(option.id), text: localised(option.text), correct: option.correct === true, feedback: localised(option.feedback) })),
    answer: question.answer !== false,
    feedback: { true: localised(feedback.true), false: localised(feedback.false) },
    pairs: records(question.pairs).map((pair) => ({ id: text(pair.id), left: localised(pair.left), right: localised(pair.right) })),
    items: records(question.items).map((item) => ({ id: text(item.id), text: localised(item.text) })),
    accept: Object.fromEntries(LOCALES.filter((locale) => Array.isArray(accept[locale])).map((locale) => [locale, (accept[locale] as unknown[]).filter((answer): answer is string => typeof answer === "string")])),
    ignoreDiacritics: question.ignoreDiacritics === true,
  };
}

function questionsOf(data: QuizData): unknown[] {
  return Array.isArray(data.questions) ? data.questions : [];
}

// ------------------------------------------------------------------------------------- parsing

/** A submitted question form. Unknown or missing inputs become empty values, never errors. */
export function parseQuestionForm(form: FormData): QuestionInput {
  const value = (name: string) => cleanText(form.get(name));
  const texts = (prefix: string) => localisedFromForm(form, prefix);
  const rows = (list: "options" | "pairs" | "items") => rowIndexes(form, list);
  const singleCorrect = form.get("correct");
  return {
    id: value("question"),
    outcome: value("outcome"),
    prompt: texts("prompt"),
    explanation: texts("explanation"),
    options: rows("options").map((index) => ({
      id: value(fieldName.part("options", index, "id")),
      text: texts(fieldName.part("options", index, "text")),
      correct: form.get(fieldName.part("options", index, "correct")) === "on" || singleCorrect === String(index),
      feedback: texts(fieldName.part("options", index, "feedback")),
    })),
    answer: form.get("answer") !== "false",
    feedback: { true: texts("feedback.true"), false: texts("feedback.false") },
    pairs: rows("pairs").map((index) => ({ id: value(fieldName.part("pairs", index, "id")), left: texts(fieldName.part("pairs", index, "left")), right: texts(fieldName.part("pairs", index, "right")) })),
    items: rows("items").map((index) => ({ id: value(fieldName.part("items", index, "id")), text: texts(fieldName.part("items", index, "text")) })),
    accept: Object.fromEntries(
      LOCALES.flatMap((locale) => {
        const lines = form.get(fieldName.text("accept", locale));
        if (typeof lines !== "string") return [];
        const answers = [...new Set(lines.split(/\r?\n/).map((line) => line.trim().slice(0, 200)).filter(Boolean))].slice(0, MAX_ACCEPTED);
        return [[locale, answers]];
      }),
    ),
    ignoreDiacritics: form.get("ignoreDiacritics") === "on",
  };
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d*$/)
    .transform((value) => (value === "" ? null : Number(value)))
    .pipe(z.number().int().min(min).max(max).nullable());

const SettingsFormSchema = z.object({
  draw: wholeNumber(1, MAX_QUESTIONS).pipe(z.number()),
  passMark: wholeNumber(0, 100),
  attempts: wholeNumber(0, 1000),
  cooldownMinutes: wholeNumber(0, 525_600),
  timeLimitMinutes: wholeNumber(1, 1440),
  review: z.enum(["after-attempt", "after-pass"]),
});

/** The settings form, or the name of the first field whose number is out of range. */
export function parseSettingsForm(form: FormData): { ok: true; value: SettingsInput } | { ok: false; field: string } {
  const fields = Object.fromEntries(["draw", "passMark", "attempts", "cooldownMinutes", "timeLimitMinutes", "review"].map((name) => [name, String(form.get(name) ?? "")]));
  const parsed = SettingsFormSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, field: String(parsed.error.issues[0]?.path[0] ?? "draw") };
  return {
    ok: true,
    value: { ...parsed.data, title: localisedFromForm(form, "title"), shuffle: form.get("shuffle") === "on", drawPerOutcome: form.get("drawPerOutcome") === "on" },
  };
}

// ------------------------------------------------------------------------------------- changes

const SETTINGS_KEYS = new Set(["id", "title", "draw", "passMark", "attempts", "cooldownMinutes", "timeLimitMinutes", "shuffle", "review", "drawPerOutcome"]);

/** The quiz with new settings, in the documented key order; keys the form does not know stay. */
export function applySettings(quiz: QuizData, input: SettingsInput): QuizData {
  const { questions, ...rest } = quiz;
  const optional = (value: number | null) => value ?? undefined;
  const others = Object.fromEntries(Object.entries(rest).filter(([key]) => !SETTINGS_KEYS.has(key)));
  return {
    id: quiz.id,
    title: mergeText(localised(quiz.title), input.title),
    draw: input.draw,
    passMark: optional(input.passMark),
    attempts: optional(input.attempts),
    cooldownMinutes: optional(input.cooldownMinutes),
    timeLimitMinutes: optional(input.timeLimitMinutes),
    shuffle: input.shuffle,
    review: input.review,
    // false is the default: written only where the file already says so.
    drawPerOutcome: input.drawPerOutcome ? true : quiz.drawPerOutcome === false ? false : undefined,
    ...others,
    questions,
  };
}

/** The quiz with one question replaced by the form's version of it; null when it is gone or of unknown kind. */
export function applyQuestion(quiz: QuizData, input: QuestionInput, usedIds: ReadonlySet<string>): QuizData | null {
  const questions = questionsOf(quiz);
  const index = questions.findIndex((question) => isRecord(question) && question.id === input.id);
  if (index === -1) return null;
  const current = readQuestion(questions[index]);
  if (!current.kind) return null;
  const ids = new Set([...usedIds, ...idsIn(quiz)]);
  const next = mergeQuestion(current, input, ids);
  return { ...quiz, questions: questions.map((question, i) => (i === index ? questionData(next, questions[index]) : question)) };
}

/** The quiz with a new, empty question of a kind at the end of its pool, and the question's new id. */
export function addQuestion(quiz: QuizData, kind: QuestionKind, { locales, outcome, usedIds }: { locales: readonly Locale[]; outcome: string; usedIds: ReadonlySet<string> }) {
  const ids = new Set([...usedIds, ...idsIn(quiz)]);
  const id = numberedId("question", ids);
  const empty = () => Object.fromEntries(locales.map((locale) => [locale, ""])) as LocalisedText;
  const part = () => numberedId(id, ids);
  const draft: QuestionDraft = {
    id,
    kind,
    outcome,
    prompt: empty(),
    explanation: empty(),
    options: kind === "single" || kind === "multiple" ? [1, 2, 3].map(() => ({ id: part(), text: empty(), correct: false, feedback: {} })) : [],
    answer: true,
    feedback: { true: {}, false: {} },
    pairs: kind === "matching" ? [1, 2, 3].map(() => ({ id: part(), left: empty(), right: empty() })) : [],
    items: kind === "ordering" ? [1, 2, 3].map(() => ({ id: part(), text: empty() })) : [],
    accept: Object.fromEntries(locales.map((locale) => [locale, []])),
    ignoreDiacritics: false,
  };
  return { quiz: { ...quiz, questions: [...questionsOf(quiz), questionData(draft, { ignoreDiacritics: false })] }, id };
}

export function removeQuestion(quiz: QuizData, id: string): QuizData | null {
  const questions = questionsOf(quiz);
  const index = questions.findIndex((question) => isRecord(question) && question.id === id);
  return index === -1 ? null : { ...quiz, questions: questions.filter((_, i) => i !== index) };
}

/** The quiz with a question one place up or down; unchanged at either end. */
export function moveQuestion(quiz: QuizData, id: string, direction: "up" | "down"): QuizData | null {
  const questions = [...questionsOf(quiz)];
  const index = questions.findIndex((question) => isRecord(question) && question.id === id);
  if (index === -1) return null;
  const target = direction === "up" ? index - 1 : index + 1;
  if (target < 0 || target >= questions.length) return quiz;
  [questions[index], questions[target]] = [questions[target], questions[index]];
  return { ...quiz, questions };
}

/** The lines (1-based, inclusive) each question of the file spans, to tell the checker's problems apart by question. */
export function questionLines(text: string): Array<{ first: number; last: number }> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const questions = isMap(doc.contents) ? doc.contents.get("questions", true) : null;
  if (!isSeq(questions)) return [];
  return questions.items.map((item) => {
    const range = isNode(item) ? item.range : null;
    if (!range) return { first: 0, last: -1 };
    // range[2] is one past the node's last character (its trailing comments included).
    return { first: lineCounter.linePos(range[0]).line, last: lineCounter.linePos(Math.max(range[0], range[2] - 1)).line };
  });
}

/** The file's text holding `quiz`, with everything unchanged left as it was written. */
export function writeQuiz(text: string, quiz: QuizData) {
  return reconcileYaml(text, quiz);
}

function mergeQuestion(current: QuestionDraft, input: QuestionInput, ids: Set<string>): QuestionDraft {
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((part) => [part.id, part]));
  const options = byId(current.options);
  const pairs = byId(current.pairs);
  const items = byId(current.items);
  // A part the form names by an id the question does not have (or names twice) is new.
  const kept = new Set<string>();
  const idFor = <T extends { id: string }>(part: T, known: Map<string, T>, texts: LocalisedText) => {
    if (!part.id || !known.has(part.id) || kept.has(part.id)) return newPartId(texts, current.id, ids);
    kept.add(part.id);
    return part.id;
  };
  return {
    ...current,
    outcome: input.outcome,
    prompt: mergeText(current.prompt, input.prompt),
    explanation: mergeText(current.explanation, input.explanation),
    options: input.options.map((option) => {
      const before = options.get(option.id);
      return { id: idFor(option, options, option.text), text: mergeText(before?.text ?? {}, option.text), correct: option.correct, feedback: mergeText(before?.feedback ?? {}, option.feedback) };
    }),
    answer: input.answer,
    feedback: { true: mergeText(current.feedback.true, input.feedback.true), false: mergeText(current.feedback.false, input.feedback.false) },
    pairs: input.pairs.map((pair) => {
      const before = pairs.get(pair.id);
      return { id: idFor(pair, pairs, pair.left), left: mergeText(before?.left ?? {}, pair.left), right: mergeText(before?.right ?? {}, pair.right) };
    }),
    items: input.items.map((item) => ({ id: idFor(item, items, item.text), text: mergeText(items.get(item.id)?.text ?? {}, item.text) })),
    accept: { ...current.accept, ...input.accept },
    ignoreDiacritics: input.ignoreDiacritics,
  };
}

/** A question as the file format writes it, in the documented key order. */
function questionData(question: QuestionDraft, before: unknown): Record<string, unknown> {
  const previous = isRecord(before) ? before : {};
  const previousOptions = new Map(records(previous.options).map((option) => [option.id, option]));
  const base = { id: question.id, kind: question.kind, outcome: question.outcome, prompt: question.prompt, explanation: question.explanation };
  switch (question.kind) {
    case "single":
    case "multiple":
      return {
        ...base,
        options: question.options.map((option) => ({
          id: option.id,
          text: option.text,
          // `correct: false` is the default: kept only where the file already spelled it out.
          correct: option.correct ? true : previousOptions.get(option.id)?.correct === false ? false : undefined,
          feedback: hasText(option.feedback) ? option.feedback : undefined,
        })),
      };
    case "true_false": {
      const feedback = { true: hasText(question.feedback.true) ? question.feedback.true : undefined, false: hasText(question.feedback.false) ? question.feedback.false : undefined };
      return { ...base, answer: question.answer, feedback: feedback.true || feedback.false ? feedback : undefined };
    }
    case "matching":
      return { ...base, pairs: question.pairs };
    case "ordering":
      return { ...base, items: question.items };
    case "short_answer":
      return { ...base, accept: question.accept, ignoreDiacritics: question.ignoreDiacritics || "ignoreDiacritics" in previous ? question.ignoreDiacritics : undefined };
    default:
      return previous;
  }
}

/**
 * The form's texts over the file's: locales the form had no input for (a `uk` translation in a
 * sl/en course) stay, and a text whose only change is surrounding whitespace keeps its exact form.
 */
function mergeText(before: LocalisedText, input: LocalisedText): LocalisedText {
  const merged: LocalisedText = { ...before };
  for (const locale of LOCALES) {
    const value = input[locale];
    if (value === undefined) continue;
    if ((before[locale] ?? "").trim() !== value) merged[locale] = value;
    else if (before[locale] === undefined) merged[locale] = value;
  }
  return merged;
}

// ----------------------------------------------------------------------------------------- ids

/** An id for a new option, pair or item: from its text when it has one, else numbered after its question. */
function newPartId(texts: LocalisedText, questionId: string, used: Set<string>) {
  const fromText = slugOf(texts.en || texts.sl || Object.values(texts).find(Boolean) || "");
  if (!fromText) return numberedId(questionId.slice(0, 56), used);
  let id = fromText;
  for (let n = 2; used.has(id); n++) id = `${fromText}-${n}`;
  used.add(id);
  return id;
}

function numberedId(prefix: string, used: Set<string>) {
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  const id = `${prefix}-${n}`;
  used.add(id);
  return id;
}


/** Every id written anywhere in the quiz. */
export function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (isRecord(value)) {
    if (typeof value.id === "string") found.add(value.id);
    for (const child of Object.values(value)) if (typeof child === "object") idsIn(child, found);
  }
  return found;
}

// ------------------------------------------------------------------------------------- helpers

function localisedFromForm(form: FormData, prefix: string): LocalisedText {
  const result: LocalisedText = {};
  for (const locale of LOCALES) {
    const value = form.get(fieldName.text(prefix, locale));
    if (typeof value === "string") result[locale] = cleanText(value);
  }
  return result;
}

/** Form rows present in the submission, by the hidden id input every row has, in row order. */
function rowIndexes(form: FormData, list: string) {
  const pattern = new RegExp(`^${list}\\.(\\d{1,3})\\.id$`);
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const match = pattern.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b).slice(0, MAX_PARTS);
}

function cleanText(value: FormDataEntryValue | null) {
  return typeof value === "string" ? value.replace(/\r\n?/g, "\n").trim().slice(0, MAX_TEXT) : "";
}

function localised(value: unknown): LocalisedText {
  if (!isRecord(value)) return {};
  return Object.fromEntries(LOCALES.filter((locale) => typeof value[locale] === "string").map((locale) => [locale, value[locale] as string]));
}

export function hasText(value: LocalisedText) {
  return Object.values(value).some((text) => typeof text === "string" && text.trim() !== "");
}

function text(value: unknown) {
  return typeof value === "string" ? value : "";
}

function records(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
