import type { Problem } from "./types";
import type { PathKey, YamlSource } from "./yaml-source";

/** Collects problems; `at` places one on the line of a value in a YAML source. */
export class ProblemList {
  readonly items: Problem[] = [];

  add(file: string, line: number, message: string): void {
    this.items.push({ file, line, message });
  }

  at(source: YamlSource, path: readonly PathKey[], message: string): void {
    this.add(source.file, source.lineAt(path), message);
  }

  push(problems: readonly Problem[]): void {
    this.items.push(...problems);
  }
}

/**
 * Course-wide id namespaces (one per kind: modules, lessons, quizzes, questions, cases, case nodes,
 * outcomes, referrals). Progress and statistics follow ids, so a clash would merge two things.
 */
export class IdRegistry {
  private readonly seen = new Map<string, Map<string, { file: string; line: number }>>();

  constructor(
    private readonly problems: ProblemList,
    /** Course directory as shown in problems; "also used in" is printed relative to it. */
    private readonly courseDir: string,
  ) {}

  claim(kind: string, id: string, source: YamlSource, path: readonly PathKey[], context = ""): void {
    const line = source.lineAt(path);
    const ofKind = this.seen.get(kind) ?? new Map<string, { file: string; line: number }>();
    this.seen.set(kind, ofKind);
    const first = ofKind.get(id);
    if (!first) {
      ofKind.set(id, { file: source.file, line });
      return;
    }
    const where =
      first.file === source.file ? `on line ${first.line}` : `in ${this.relative(first.file)}:${first.line}`;
    const message = `duplicate ${kind} id "${id}" (also used ${where})`;
    this.problems.add(source.file, line, context === "" ? message : `${context}: ${message}`);
  }

  private relative(file: string): string {
    const prefix = `${this.courseDir}/`;
    return file.startsWith(prefix) ? file.slice(prefix.length) : file;
  }
}

/** Reports ids that repeat inside one list (options of a question, choices of a case). */
export function checkUniqueWithin(
  ids: ReadonlyArray<{ id: string; path: readonly PathKey[] }>,
  kind: string,
  source: YamlSource,
  problems: ProblemList,
  context: string,
): void {
  const firstLine = new Map<string, number>();
  for (const { id, path } of ids) {
    const line = source.lineAt(path);
    const first = firstLine.get(id);
    if (first === undefined) {
      firstLine.set(id, line);
    } else {
      problems.add(source.file, line, `${context}: duplicate ${kind} id "${id}" (also used on line ${first})`);
    }
  }
}
