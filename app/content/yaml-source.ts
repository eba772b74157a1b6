import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Problem } from "./types";

export type PathKey = string | number;

/**
 * A parsed YAML text that can say on which line a value sits, so that schema and semantic problems
 * point trainers at the line to fix. Pure (no Node APIs): the browser editor can reuse it.
 */
export type YamlSource = {
  /** Path shown in problems (`courses/x/01-a/quiz.yaml`). */
  file: string;
  /** Plain JS value, or null when the text does not parse (see `problems`). */
  data: unknown;
  /** YAML syntax problems. */
  problems: Problem[];
  /** 1-based line of the value at `path`, else of its nearest existing parent, else the first line. */
  lineAt: (path: readonly PathKey[]) => number;
};

/** `firstLine` is the file line the text starts on (2 for lesson frontmatter after `---`). */
export function parseYamlSource(text: string, file: string, firstLine = 1): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const toFileLine = (line: number) => line + firstLine - 1;

  const problems: Problem[] = doc.errors.map((error) => ({
    file,
    line: toFileLine(error.linePos?.[0]?.line ?? 1),
    message: `YAML syntax error: ${shortYamlMessage(error.message)}${YAML_HINTS[error.code] ?? ""}`,
  }));

  const lineOfNode = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };

  const lineAt = (path: readonly PathKey[]): number => {
    let node: unknown = doc.contents;
    let line = lineOfNode(node) ?? 1;
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(key));
        if (!pair) break;
        // The key's line, not the value's: for a block map the value starts on the next line.
        line = lineOfNode(pair.key) ?? lineOfNode(pair.value) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        const item = node.items[key];
        if (item === undefined) break;
        line = lineOfNode(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return toFileLine(line);
  };

  let data: unknown = null;
  if (problems.length === 0) {
    try {
      data = doc.toJS();
    } catch (error) {
      // The library refuses aliases that expand past its limit (a "billion laughs" document): that
      // is a problem of the file to report, not a failure of whoever reads it.
      if (!(error instanceof ReferenceError)) throw error;
      problems.push({ file, line: toFileLine(1), message: "YAML aliases (*name) repeat their anchors too many times; write the values out instead" });
    }
  }
  return { file, data: data ?? null, problems, lineAt };
}

// The mistakes trainers make most, in words that say how to fix them.
const YAML_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (text containing ": " must be in quotes)',
};

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

// `prettyErrors` appends " at line 3, column 1:" and a code frame; the line is reported separately.
function shortYamlMessage(message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, "");
}
