import type { z } from "zod";
import { describePath, isRecord, withContext } from "./describe-path";
import type { Problem } from "./types";
import type { PathKey, YamlSource } from "./yaml-source";

/**
 * Validates a parsed YAML source against a schema and turns every Zod issue into a problem on the
 * line of the offending value, worded for a trainer rather than a programmer.
 */
export function validateSource<T extends z.ZodType>(
  schema: T,
  source: YamlSource,
  /** How an empty source is named: lessons say "the frontmatter". */
  what = "the file",
): { data: z.output<T> | null; problems: Problem[] } {
  // A syntax error is already reported by the parser; validating `null` would only add noise.
  if (source.problems.length > 0) return { data: null, problems: [] };
  if (source.data === null || source.data === undefined) {
    return { data: null, problems: [{ file: source.file, line: source.lineAt([]), message: `${what} is empty` }] };
  }
  const result = schema.safeParse(source.data, { reportInput: true });
  if (result.success) return { data: result.data, problems: [] };
  const problems = result.error.issues.flatMap((issue) =>
    describeIssue(issue, source.data).map(({ path, message }) => ({
      file: source.file,
      line: source.lineAt(path),
      message,
    })),
  );
  return { data: null, problems };
}

const DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)/;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a set of fields (key: value)",
};

function describeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
): Array<{ path: PathKey[]; message: string }> {
  const path = issue.path.filter((key): key is PathKey => typeof key !== "symbol");
  const { context, field } = describePath(data, path);
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  const subject = field === "" ? "" : `${field} `;
  const say = (message: string, at: PathKey[] = path) => [{ path: at, message: withContext(context, message) }];

  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return say(`missing required field "${field}"`);
      if (path.length === 0) return say(`the file must be ${TYPE_NAMES.object}, not ${describeValue(issue.input)}`);
      const expected = custom ? issue.message : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      // YAML reads `112` or `yes` as a number or boolean; quoting keeps it text.
      const hint =
        issue.expected === "string" && typeof issue.input !== "object"
          ? " (put the text in quotes)"
          : typeof issue.input === "string" && /^-?\d+(?:\.\d+)?$/.test(issue.input.trim())
            ? " (remove the quotes)"
            : "";
      return say(`${subject}${expected}, not ${describeValue(issue.input)}${hint}`);
    }
    case "unrecognized_keys": {
      const what = custom ? issue.message : "unknown field";
      const input = isRecord(issue.input) ? issue.input : {};
      return issue.keys.map((key) => {
        // `{ sl: Act, means, purpose }` splits at the commas into keys without values.
        const hint = input[key] === null ? " (text with a comma inside { … } must be in quotes)" : "";
        return { path: [...path, key], message: withContext(context, `${what} "${key}"${hint}`) };
      });
    }
    case "too_small": {
      if (custom) return say(`${subject}${issue.message}`);
      const minimum = Number(issue.minimum);
      if (issue.origin === "array") {
        return say(minimum <= 1 ? `${subject}must not be empty` : `${subject}needs at least ${minimum} entries`);
      }
      if (issue.origin === "string") return say(`${subject}must not be empty`);
      return say(`${subject}must be ${issue.inclusive ? "at least" : "more than"} ${minimum}, not ${describeValue(issue.input)}`);
    }
    case "too_big": {
      if (custom) return say(`${subject}${issue.message}`);
      return say(`${subject}must be at most ${Number(issue.maximum)}, not ${describeValue(issue.input)}`);
    }
    case "invalid_value": {
      const allowed = custom ? issue.message : `must be one of ${issue.values.map(String).join(", ")}`;
      return say(`${subject}${allowed}, not ${describeValue(issue.input)}`);
    }
    case "invalid_union": {
      // Only the question `kind` discriminator produces this; its message lists the kinds.
      const kind = isObjectWithKey(issue.input, "kind") ? issue.input.kind : undefined;
      if (kind === undefined) return say(`missing required field "${field}"; it ${issue.message}`);
      return say(`${subject}${issue.message}, not ${describeValue(kind)}`);
    }
    case "invalid_format":
      return say(`${subject}${issue.message}, not ${describeValue(issue.input)}`);
    default:
      return say(`${subject}${issue.message}`);
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "string") {
    return value.length > 40 ? `"${value.slice(0, 37)}…"` : `"${value}"`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return "a set of fields";
}

function isObjectWithKey(value: unknown, key: string): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && key in value;
}
