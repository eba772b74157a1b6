import { type Document, isMap, isNode, isScalar, isSeq, type Node, type Pair, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { diffLines } from "./draft-diff.ts";

// Writes a whole new value into a YAML file while touching only the nodes whose values differ.
// Editors that change lists (a quiz's questions, a question's options) would lose every comment and
// flow mapping inside a list if they set the list anew; here items that carry an `id` keep their
// node (and so their comments and layout) wherever they move. Pure: the browser may use it.

/**
 * The file rewritten to hold `next`. Untouched parts keep their text; keys new to a mapping are placed
 * where they stand in `next` relative to the keys already there, so callers control the order by
 * building `next` in the order the file format documents.
 */
export function reconcileYaml(text: string, next: unknown) {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`YAML does not parse: ${doc.errors[0]?.message}`);
  if (sameValue(doc.toJS(), next)) return text;
  // What the library writes for the file as it is: it normalises spacing inside flow collections
  // and before comments, which must not show up as changes in a reviewed diff.
  const asWritten = parseDocument(text).toString(WRITE_OPTIONS);
  doc.contents = reconcile(doc, doc.contents, next) as typeof doc.contents;
  return restoreUntouchedLines(text, asWritten, doc.toString(WRITE_OPTIONS));
}

const WRITE_OPTIONS = { lineWidth: 0 } as const;

/**
 * The new text with every line the change did not touch taken from the original file. Lines of the
 * library's rewrite of the unchanged file correspond one to one with the original's when there are
 * as many; otherwise (a rewrite that joins or splits lines) the new text is used as written.
 */
function restoreUntouchedLines(original: string, asWritten: string, changed: string) {
  const originalLines = original.split("\n");
  const writtenLines = asWritten.split("\n");
  if (originalLines.length !== writtenLines.length) return changed;
  const diff = diffLines(writtenLines, changed.split("\n"));
  if (!diff) return changed;
  const lines: string[] = [];
  let index = 0;
  for (const line of diff) {
    if (line.kind === "same") lines.push(originalLines[index++] as string);
    else if (line.kind === "removed") index++;
    else lines.push(line.text);
  }
  return lines.join("\n");
}

function reconcile(doc: Document, node: unknown, next: unknown): Node {
  if (isNode(node) && sameValue(plainValue(doc, node), next)) return node;
  if (isMap(node) && isPlainObject(next)) return reconcileMap(doc, node, next);
  if (isSeq(node) && Array.isArray(next)) return reconcileSeq(doc, node, next);
  if (isScalar(node) && isScalarValue(next)) {
    node.value = next;
    return node;
  }
  return replacement(doc, node, next);
}

function reconcileMap(doc: Document, node: YAMLMap, next: Record<string, unknown>) {
  const keys = Object.keys(next).filter((key) => next[key] !== undefined);
  const wanted = new Set(keys);
  node.items = node.items.filter((pair) => wanted.has(keyOf(pair)));
  keys.forEach((key, index) => {
    const pair = node.items.find((item) => keyOf(item) === key);
    if (pair) {
      pair.value = reconcile(doc, pair.value, next[key]);
      return;
    }
    const later = new Set(keys.slice(index + 1));
    const before = node.items.findIndex((item) => later.has(keyOf(item)));
    // `true:` and `false:` (true/false feedback) are written as the format's examples write them,
    // not as the quoted strings a JavaScript object key would become.
    const created = doc.createPair(key === "true" ? true : key === "false" ? false : key, next[key]) as Pair;
    if (before === -1) node.items.push(created);
    else node.items.splice(before, 0, created);
  });
  return node;
}

function reconcileSeq(doc: Document, node: YAMLSeq, next: unknown[]) {
  if (next.length && next.every((item) => idOf(item) !== null)) {
    // Items are matched by id, each existing node used once: a duplicated id is a problem the checker
    // reports, and must not make one node appear twice.
    const byId = new Map<string, Node[]>();
    for (const item of node.items) {
      const id = isMap(item) ? item.get("id") : undefined;
      if (typeof id === "string" && isNode(item)) byId.set(id, [...(byId.get(id) ?? []), item]);
    }
    node.items = next.map((value) => {
      const existing = byId.get(idOf(value) as string)?.shift();
      return existing ? reconcile(doc, existing, value) : doc.createNode(value);
    });
    return node;
  }
  node.items = next.map((value, index) => (index < node.items.length ? reconcile(doc, node.items[index], value) : doc.createNode(value)));
  return node;
}

/** A new node for a value of another shape, keeping the old node's comments and flow style. */
function replacement(doc: Document, old: unknown, next: unknown): Node {
  const created = doc.createNode(next) as Node;
  if (isNode(old)) {
    if ((isMap(old) || isSeq(old)) && (isMap(created) || isSeq(created))) created.flow = old.flow;
    created.commentBefore = old.commentBefore;
    created.comment = old.comment;
  }
  return created;
}

function keyOf(pair: Pair) {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

function plainValue(doc: Document, node: Node): unknown {
  try {
    return node.toJS(doc);
  } catch {
    // An alias whose anchor is gone: never equal, so it is replaced.
    return Symbol("unreadable");
  }
}

function idOf(value: unknown) {
  return isPlainObject(value) && typeof value.id === "string" && value.id !== "" ? value.id : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalarValue(value: unknown) {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** Structural equality of plain data; keys whose value is undefined count as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = (value: Record<string, unknown>) => Object.keys(value).filter((key) => value[key] !== undefined);
    const aKeys = keys(a);
    return aKeys.length === keys(b).length && aKeys.every((key) => sameValue(a[key], b[key]));
  }
  return false;
}
