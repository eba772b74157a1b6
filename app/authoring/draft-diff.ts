// "What changed since the last publication": files added, removed or changed, with a line diff of
// text files so a trainer can check a change before learners see it.

export type DraftFileState = { text: string } | { sha256: string };

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

export type FileChange = {
  path: string;
  change: "added" | "removed" | "changed";
  added: number;
  removed: number;
  /** Changed lines with up to 2 lines of context; null for images or files too long to compare. */
  lines: DiffLine[] | null;
};

/** Files above this many lines are reported as changed without a line diff (the table is n × m). */
const MAX_DIFF_LINES = 3_000;
const CONTEXT = 2;

export function diffFiles(before: ReadonlyMap<string, DraftFileState>, after: ReadonlyMap<string, DraftFileState>): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (old && now && sameFile(old, now)) continue;
    const oldLines = old && "text" in old ? splitLines(old.text) : [];
    const newLines = now && "text" in now ? splitLines(now.text) : [];
    const isText = (!old || "text" in old) && (!now || "text" in now);
    const lines = isText ? diffLines(oldLines, newLines) : null;
    changes.push({
      path,
      change: !old ? "added" : !now ? "removed" : "changed",
      added: lines ? lines.filter((l) => l.kind === "added").length : now ? 1 : 0,
      removed: lines ? lines.filter((l) => l.kind === "removed").length : old ? 1 : 0,
      lines: lines ? withContext(lines) : null,
    });
  }
  return changes;
}

function sameFile(a: DraftFileState, b: DraftFileState) {
  if ("text" in a && "text" in b) return a.text === b.text;
  if ("sha256" in a && "sha256" in b) return a.sha256 === b.sha256;
  return false;
}

function splitLines(text: string) {
  return text === "" ? [] : text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
}

/** Longest common subsequence of lines; null when the files are too long to compare this way. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] | null {
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) return null;
  const width = b.length + 1;
  const table = new Uint16Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const result: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      result.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || table[i * width + j + 1] >= table[(i + 1) * width + j])) {
      result.push({ kind: "added", text: b[j++] });
    } else {
      result.push({ kind: "removed", text: a[i++] });
    }
  }
  return result;
}

/** Keeps changed lines and CONTEXT unchanged lines around them; a gap becomes one "…" line. */
function withContext(lines: DiffLine[]): DiffLine[] {
  const keep = new Uint8Array(lines.length);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(lines.length - 1, index + CONTEXT); k++) keep[k] = 1;
  });
  const result: DiffLine[] = [];
  let skipped = false;
  lines.forEach((line, index) => {
    if (keep[index]) {
      result.push(line);
      skipped = false;
    } else if (!skipped) {
      result.push({ kind: "same", text: "…" });
      skipped = true;
    }
  });
  return result;
}
