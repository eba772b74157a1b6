import { z } from "zod";
import { ID_PATTERN, LOCALES, type Locale, type LocalisedText } from "~/content/schema.ts";
import { readYaml, setYamlValues, type YamlPath } from "./yaml-edit.ts";

// The branching case editor's form and its mapping to and from a `*.case.yaml` file. Pure: the page
// edits the form in the browser, the server turns it back into the file. Saving changes only the
// values the trainer changed, so comments and layout elsewhere in the file stay as they were.

export const DEBRIEF_OUTCOMES = ["safe", "partial", "poor"] as const;
export type DebriefOutcome = (typeof DEBRIEF_OUTCOMES)[number];

export type ChoiceForm = { id: string; text: LocalisedText; consequence: LocalisedText; next: string };
export type NodeForm = {
  id: string;
  debrief: boolean;
  text: LocalisedText;
  /** Situations only. */
  choices: ChoiceForm[];
  /** Debriefs only; "" until the trainer picks one. */
  outcome: DebriefOutcome | "";
  indicators: LocalisedText[];
  betterChoices: LocalisedText;
};
export type CaseForm = { id: string; title: LocalisedText; summary: LocalisedText; outcomes: string[]; requireSafeOutcome: boolean; start: string; nodes: NodeForm[] };

type Data = Record<string, unknown>;

/**
 * The case as a form, every text with exactly the course's locales ("" when missing). Null when the
 * file is not a case the form can show without losing track of it: YAML that does not parse, nodes
 * or choices without ids, or an id used twice (the draft's problems say what to fix).
 */
export function readCaseForm(text: string, locales: readonly Locale[]): CaseForm | null {
  const data = readYaml(text);
  if (!isRecord(data) || !Array.isArray(data.nodes)) return null;
  const nodes: NodeForm[] = [];
  const choiceIds = new Set<string>();
  for (const node of data.nodes) {
    if (!isRecord(node) || typeof node.id !== "string" || nodes.some((n) => n.id === node.id)) return null;
    const choices: ChoiceForm[] = [];
    for (const choice of Array.isArray(node.choices) ? node.choices : []) {
      if (!isRecord(choice) || typeof choice.id !== "string" || choiceIds.has(choice.id)) return null;
      choiceIds.add(choice.id);
      choices.push({ id: choice.id, text: texts(choice.text, locales), consequence: texts(choice.consequence, locales), next: typeof choice.next === "string" ? choice.next : "" });
    }
    nodes.push({
      id: node.id,
      debrief: node.debrief === true,
      text: texts(node.text, locales),
      choices,
      outcome: (DEBRIEF_OUTCOMES as readonly unknown[]).includes(node.outcome) ? (node.outcome as DebriefOutcome) : "",
      indicators: Array.isArray(node.indicators) ? node.indicators.map((indicator) => texts(indicator, locales)) : [],
      betterChoices: texts(node.betterChoices, locales),
    });
  }
  return {
    id: typeof data.id === "string" ? data.id : "",
    title: texts(data.title, locales),
    summary: texts(data.summary, locales),
    outcomes: Array.isArray(data.outcomes) ? data.outcomes.filter((o): o is string => typeof o === "string") : [],
    requireSafeOutcome: data.requireSafeOutcome === true,
    start: typeof data.start === "string" ? data.start : "",
    nodes,
  };
}

/**
 * The file after the trainer's form: `text` is the file as the trainer opened it. Nodes keep their
 * order in the file (new ones go at the end); choices take the form's order.
 */
export function caseFormToYaml(text: string, form: CaseForm, locales: readonly Locale[]): string {
  const raw = readYaml(text);
  const initial = readCaseForm(text, locales);
  if (!isRecord(raw) || !initial) throw new Error("caseFormToYaml needs a file readCaseForm can read");
  const submitted = withLocales(form, locales);
  const after: Data = { ...raw };
  if (changed(initial.title, submitted.title)) after.title = mergeText(raw.title, submitted.title);
  if (changed(initial.summary, submitted.summary)) after.summary = mergeText(raw.summary, submitted.summary);
  if (changed(initial.outcomes, submitted.outcomes)) after.outcomes = submitted.outcomes;
  if (initial.requireSafeOutcome !== submitted.requireSafeOutcome) after.requireSafeOutcome = submitted.requireSafeOutcome;
  if (initial.start !== submitted.start) after.start = submitted.start;
  const rawNodes = raw.nodes as Data[];
  const byId = new Map(submitted.nodes.map((node) => [node.id, node]));
  const kept = initial.nodes.flatMap((node, index) => {
    const edited = byId.get(node.id);
    return edited ? [nodeAfter(rawNodes[index] as Data, node, edited)] : [];
  });
  const added = submitted.nodes.filter((node) => !initial.nodes.some((n) => n.id === node.id)).map((node) => nodeAfter({ id: node.id }, null, node));
  after.nodes = [...kept, ...added];
  const changes = yamlChanges(raw, after);
  return changes.length ? setYamlValues(text, changes) : text;
}

/** One node of the file after the form: only what the trainer changed is written. */
function nodeAfter(raw: Data, initial: NodeForm | null, node: NodeForm): Data {
  const out: Data = { ...raw };
  const kindChanged = !initial || initial.debrief !== node.debrief;
  const differs = <K extends keyof NodeForm>(key: K) => kindChanged || changed(initial?.[key], node[key]);
  if (differs("text")) out.text = mergeText(raw.text, node.text);
  if (node.debrief) {
    if (kindChanged) Object.assign(out, { debrief: true, choices: undefined });
    if (differs("outcome")) out.outcome = node.outcome || undefined;
    if (differs("indicators")) {
      const before = Array.isArray(raw.indicators) ? raw.indicators : [];
      out.indicators = node.indicators.length || before.length ? node.indicators.map((indicator, index) => mergeText(before[index], indicator)) : undefined;
    }
    if (differs("betterChoices")) {
      const merged = mergeText(raw.betterChoices, node.betterChoices);
      out.betterChoices = Object.values(merged).some((value) => typeof value === "string" && value.trim()) ? merged : undefined;
    }
  } else {
    if (kindChanged) Object.assign(out, { debrief: undefined, outcome: undefined, indicators: undefined, betterChoices: undefined });
    if (differs("choices")) {
      const before = new Map((Array.isArray(raw.choices) ? raw.choices : []).filter(isRecord).map((choice) => [choice.id, choice]));
      const initialChoices = new Map((initial?.choices ?? []).map((choice) => [choice.id, choice]));
      out.choices = node.choices.map((choice) => {
        const rawChoice = before.get(choice.id);
        const was = initialChoices.get(choice.id);
        if (!rawChoice || !was) return { id: choice.id, text: choice.text, consequence: choice.consequence, next: choice.next };
        const edited: Data = { ...rawChoice };
        if (changed(was.text, choice.text)) edited.text = mergeText(rawChoice.text, choice.text);
        if (changed(was.consequence, choice.consequence)) edited.consequence = mergeText(rawChoice.consequence, choice.consequence);
        if (was.next !== choice.next) edited.next = choice.next;
        return edited;
      });
    }
  }
  // A field the file never had stays absent when the form leaves it empty.
  for (const key of Object.keys(out)) if (out[key] === undefined && !(key in raw)) delete out[key];
  // A new node's fields in the order courses/README.md shows them.
  return initial ? out : Object.fromEntries(NODE_KEY_ORDER.filter((key) => key in out).map((key) => [key, out[key]]));
}

const NODE_KEY_ORDER = ["id", "debrief", "outcome", "text", "choices", "indicators", "betterChoices"];

/**
 * The smallest list of `setYamlValues` changes that turns `before` into `after`. Lists of objects
 * with ids are matched by id when items were only changed, removed or added at the end (removals run
 * from the back so indices stay right); other changed lists are written whole.
 */
export function yamlChanges(before: unknown, after: unknown, path: YamlPath = []): Array<readonly [YamlPath, unknown]> {
  if (!changed(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !(key in before))];
    return keys.flatMap((key) => yamlChanges(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeIds = idsOf(before);
    const afterIds = idsOf(after);
    if (beforeIds && afterIds) {
      const kept = afterIds.filter((id) => beforeIds.includes(id));
      const keptInBefore = beforeIds.filter((id) => afterIds.includes(id));
      if (changed(kept, keptInBefore) || changed(afterIds.slice(0, kept.length), kept)) return [[path, after]];
      const edits = kept.flatMap((id) => yamlChanges(before[beforeIds.indexOf(id)], after[afterIds.indexOf(id)], [...path, beforeIds.indexOf(id)]));
      const removals = beforeIds.flatMap((id, index) => (afterIds.includes(id) ? [] : [index])).reverse().map((index) => [[...path, index], undefined] as const);
      const additions = after.slice(kept.length).map((item, k) => [[...path, kept.length + k], item] as const);
      return [...edits, ...removals, ...additions];
    }
    if (before.length === after.length) return after.flatMap((item, index) => yamlChanges(before[index], item, [...path, index]));
  }
  return [[path, after]];
}

function idsOf(list: unknown[]): string[] | null {
  const ids = list.map((item) => (isRecord(item) && typeof item.id === "string" ? item.id : null));
  if (ids.some((id) => id === null) || new Set(ids).size !== ids.length) return null;
  return ids as string[];
}

// ------------------------------------------------------------------------------ form fields

const MAX_TEXT = 20_000;
const FormTextSchema = z.partialRecord(z.enum(LOCALES), z.string().max(MAX_TEXT).transform((value) => value.replace(/\r\n?/g, "\n")));
const FormIdSchema = z.string().regex(ID_PATTERN);
/** Numbered form fields (`nodes.0.…`, `nodes.1.…`) arrive as an object keyed by number. */
const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((value) => (isRecord(value) ? Object.keys(value).sort((a, b) => Number(a) - Number(b)).map((key) => value[key]) : []), z.array(item).max(max));

const FormChoiceSchema = z.object({ id: FormIdSchema, text: FormTextSchema.default({}), consequence: FormTextSchema.default({}), next: z.string().max(64).default("") });
const FormNodeSchema = z.object({
  id: FormIdSchema,
  debrief: z.enum(["true", "false"]).transform((value) => value === "true"),
  text: FormTextSchema.default({}),
  choices: listOf(FormChoiceSchema, 30),
  outcome: z.enum([...DEBRIEF_OUTCOMES, ""]).default(""),
  indicators: listOf(FormTextSchema, 50),
  betterChoices: FormTextSchema.default({}),
});
const FormCaseSchema = z
  .object({
    title: FormTextSchema.default({}),
    summary: FormTextSchema.default({}),
    requireSafeOutcome: z.literal("on").optional().transform(Boolean),
    start: z.string().max(64).default(""),
    nodes: listOf(FormNodeSchema, 300),
  })
  .refine(({ nodes }) => new Set(nodes.map((n) => n.id)).size === nodes.length)
  .refine(({ nodes }) => {
    const choices = nodes.flatMap((n) => n.choices.map((c) => c.id));
    return new Set(choices).size === choices.length;
  });

/** Field names of the form, shared by the page and `readCaseFormData`. */
export const caseField = {
  text: (name: string, locale: string) => `${name}.${locale}`,
  node: (index: number, field: string) => `nodes.${index}.${field}`,
  choice: (node: number, index: number, field: string) => `nodes.${node}.choices.${index}.${field}`,
  indicator: (node: number, index: number) => `nodes.${node}.indicators.${index}`,
};

/** The submitted form (the case id is not a field: it never changes here), or null when it is not one this page sends. */
export function readCaseFormData(formData: FormData): Omit<CaseForm, "id"> | null {
  const fields: Data = Object.create(null);
  for (const [name, value] of formData) {
    const keys = name.split(".");
    if (typeof value !== "string" || name === "outcomes" || keys.length > 6 || !keys.every((key) => /^(?:[a-zA-Z]{1,30}|\d{1,3})$/.test(key))) continue;
    let at = fields;
    for (const key of keys.slice(0, -1)) {
      if (!isRecord(at[key])) at[key] = Object.create(null);
      at = at[key] as Data;
    }
    at[keys[keys.length - 1] as string] = value;
  }
  const parsed = FormCaseSchema.safeParse(fields);
  if (!parsed.success) return null;
  const outcomes = formData.getAll("outcomes").map(String);
  if (outcomes.length > 100 || !outcomes.every((id) => ID_PATTERN.test(id))) return null;
  return { ...parsed.data, outcomes };
}

// ------------------------------------------------------------------------------- editing

/** An id nothing in the course or the form uses yet: `base-1`, `base-2`, … */
export function newId(base: string, taken: ReadonlySet<string>) {
  const stem = base.slice(0, 56).replace(/-+$/, "") || "node";
  let n = 1;
  while (taken.has(`${stem}-${n}`)) n++;
  return `${stem}-${n}`;
}

/** Ids the draft's files use (from the page's loader) and those of the form's unsaved nodes and choices. */
export function takenIds(form: CaseForm, usedIds: Iterable<string>) {
  return new Set([...usedIds, form.id, ...form.nodes.flatMap((node) => [node.id, ...node.choices.map((choice) => choice.id)])]);
}

export function emptyText(locales: readonly Locale[]): LocalisedText {
  return Object.fromEntries(locales.map((locale) => [locale, ""]));
}

/** Adds a situation (with one choice to fill in) or a debrief at the end. Node ids are unique in the course. */
export function addNode(form: CaseForm, kind: "situation" | "debrief", usedIds: Iterable<string>, locales: readonly Locale[]) {
  const taken = takenIds(form, usedIds);
  const id = newId(`${form.id || "case"}-${kind}`, taken);
  taken.add(id);
  const node: NodeForm = {
    id,
    debrief: kind === "debrief",
    text: emptyText(locales),
    choices: kind === "debrief" ? [] : [emptyChoice(newId("choice", taken), locales)],
    outcome: "",
    indicators: [],
    betterChoices: emptyText(locales),
  };
  return { form: { ...form, nodes: [...form.nodes, node] }, id };
}

function emptyChoice(id: string, locales: readonly Locale[]): ChoiceForm {
  return { id, text: emptyText(locales), consequence: emptyText(locales), next: "" };
}

export function updateNode(form: CaseForm, id: string, change: (node: NodeForm) => NodeForm): CaseForm {
  return { ...form, nodes: form.nodes.map((node) => (node.id === id ? change(node) : node)) };
}

export function addChoice(form: CaseForm, nodeId: string, usedIds: Iterable<string>, locales: readonly Locale[]) {
  const id = newId("choice", takenIds(form, usedIds));
  return { form: updateNode(form, nodeId, (node) => ({ ...node, choices: [...node.choices, emptyChoice(id, locales)] })), id };
}

export function removeChoice(form: CaseForm, nodeId: string, index: number) {
  return updateNode(form, nodeId, (node) => ({ ...node, choices: node.choices.filter((_, i) => i !== index) }));
}

export function moveChoice(form: CaseForm, nodeId: string, index: number, direction: "up" | "down") {
  return updateNode(form, nodeId, (node) => ({ ...node, choices: moved(node.choices, index, direction) }));
}

export function addIndicator(form: CaseForm, nodeId: string, locales: readonly Locale[]) {
  return updateNode(form, nodeId, (node) => ({ ...node, indicators: [...node.indicators, emptyText(locales)] }));
}

export function removeIndicator(form: CaseForm, nodeId: string, index: number) {
  return updateNode(form, nodeId, (node) => ({ ...node, indicators: node.indicators.filter((_, i) => i !== index) }));
}

/** The choices (in other nodes or the node itself) that lead to a node. */
export function incomingChoices(form: CaseForm, nodeId: string) {
  return form.nodes.flatMap((node) => node.choices.filter((choice) => choice.next === nodeId).map((choice) => ({ node: node.id, choice: choice.id, text: choice.text })));
}

export type NodeRemoval = { form: CaseForm } | { refused: "start" } | { refused: "incoming"; incoming: ReturnType<typeof incomingChoices> };

/**
 * Removes a node. Refused for the start node, and while choices of other nodes lead to it unless
 * `repointTo` names the node they should lead to instead. The node's own choices go with it.
 */
export function removeNode(form: CaseForm, nodeId: string, repointTo?: string): NodeRemoval {
  if (form.start === nodeId) return { refused: "start" };
  const incoming = incomingChoices(form, nodeId).filter((choice) => choice.node !== nodeId);
  if (incoming.length && (!repointTo || repointTo === nodeId || !form.nodes.some((node) => node.id === repointTo))) return { refused: "incoming", incoming };
  const nodes = form.nodes
    .filter((node) => node.id !== nodeId)
    .map((node) => (node.choices.some((choice) => choice.next === nodeId) ? { ...node, choices: node.choices.map((choice) => (choice.next === nodeId ? { ...choice, next: repointTo ?? "" } : choice)) } : node));
  return { form: { ...form, nodes } };
}

function moved<T>(list: readonly T[], index: number, direction: "up" | "down") {
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const copy = [...list];
  [copy[index], copy[target]] = [copy[target] as T, copy[index] as T];
  return copy;
}

/** The form's texts with exactly these locales: missing ones empty, others left out. */
export function withLocales(form: Omit<CaseForm, "id"> & { id?: string }, locales: readonly Locale[]): CaseForm {
  const inLocales = (text: LocalisedText) => texts(text, locales);
  return {
    id: form.id ?? "",
    title: inLocales(form.title),
    summary: inLocales(form.summary),
    outcomes: form.outcomes,
    requireSafeOutcome: form.requireSafeOutcome,
    start: form.start,
    nodes: form.nodes.map((node) => ({
      ...node,
      text: inLocales(node.text),
      choices: node.choices.map((choice) => ({ ...choice, text: inLocales(choice.text), consequence: inLocales(choice.consequence) })),
      indicators: node.indicators.map(inLocales),
      betterChoices: inLocales(node.betterChoices),
    })),
  };
}

/** The first few words of a text, for labels (node selects, the path outline). */
export function firstWords(text: string, max = 60) {
  const plain = text.replace(/[#*_>`[\]]/g, "").replace(/\s+/g, " ").trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(" ") > max / 2 ? cut.lastIndexOf(" ") : max).replace(/[\s,;:.–-]+$/, "")}…`;
}

// ------------------------------------------------------------------------------- helpers

function texts(value: unknown, locales: readonly Locale[]): LocalisedText {
  const source = isRecord(value) ? value : {};
  return Object.fromEntries(locales.map((locale) => [locale, typeof source[locale] === "string" ? source[locale] : ""]));
}

/** The form's locales written into the file's text, keeping locales the course does not ask for. */
function mergeText(raw: unknown, text: LocalisedText): Data {
  return isRecord(raw) ? { ...raw, ...text } : { ...text };
}

function changed(a: unknown, b: unknown) {
  return JSON.stringify(a) !== JSON.stringify(b);
}

function isRecord(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
