import type { PathKey } from "./yaml-source";

// Names trainers recognise for elements of lists, so a message says `question "q1", option "b":`
// rather than `questions[0].options[1]`.
const ELEMENT_NAMES: Record<string, string> = {
  questions: "question",
  options: "option",
  pairs: "pair",
  items: "item",
  nodes: "node",
  choices: "choice",
  outcomes: "outcome",
  referrals: "referral",
  sources: "source",
  indicators: "indicator",
};

/**
 * Splits a path into the list elements it passes through (named by id, or by 1-based number when
 * they have none) and the field left after the last element.
 */
export function describePath(
  data: unknown,
  path: readonly PathKey[],
): { context: string; field: string } {
  const context: string[] = [];
  let field = "";
  let value: unknown = data;
  let parentKey: PathKey | undefined;
  for (const key of path) {
    const child = isRecord(value) || Array.isArray(value) ? (value as Record<PathKey, unknown>)[key] : undefined;
    const elementName = typeof parentKey === "string" ? ELEMENT_NAMES[parentKey] : undefined;
    if (typeof key === "number" && elementName && isRecord(child)) {
      const id = child.id;
      context.push(typeof id === "string" && id !== "" ? `${elementName} "${id}"` : `${elementName} ${key + 1}`);
      field = "";
    } else if (typeof key === "number") {
      field = `${field} #${key + 1}`;
    } else {
      field = field === "" ? key : `${field}.${key}`;
    }
    parentKey = key;
    value = child;
  }
  return { context: context.join(", "), field };
}

/** `question "q1": message`, or just `message` at the top of a file. */
export function withContext(context: string, message: string): string {
  return context === "" ? message : `${context}: ${message}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
