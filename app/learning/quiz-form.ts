import type { QuizResponse } from "./quiz-logic.ts";

type Kind = "single" | "multiple" | "true_false" | "matching" | "ordering" | "short_answer";

/**
 * Reads one question's answer from the attempt form (plain HTML controls, so it works without
 * JavaScript and with a keyboard). Returns null when nothing was given, or an error key.
 */
export function readResponse(kind: Kind, form: FormData): { response: QuizResponse | null; error?: string } {
  switch (kind) {
    case "single": {
      const optionId = form.get("optionId");
      return { response: typeof optionId === "string" && optionId ? { optionId } : null };
    }
    case "multiple": {
      const optionIds = form.getAll("optionIds").filter((v): v is string => typeof v === "string");
      return { response: optionIds.length ? { optionIds } : null };
    }
    case "true_false": {
      const value = form.get("value");
      return { response: value === "true" || value === "false" ? { value: value === "true" } : null };
    }
    case "matching": {
      const pairs: Record<string, string> = {};
      for (const [name, value] of form) if (name.startsWith("match:") && typeof value === "string" && value) pairs[name.slice(6)] = value;
      return { response: Object.keys(pairs).length ? { pairs } : null };
    }
    case "ordering": {
      const positions: Array<[string, number]> = [];
      for (const [name, value] of form) if (name.startsWith("position:") && typeof value === "string" && value) positions.push([name.slice(9), Number(value)]);
      if (!positions.length) return { response: null };
      if (new Set(positions.map(([, p]) => p)).size !== positions.length || positions.some(([, p]) => !Number.isInteger(p))) return { response: null, error: "quiz.positionsUnique" };
      return { response: { order: positions.sort((a, b) => a[1] - b[1]).map(([id]) => id) } };
    }
    case "short_answer": {
      const text = form.get("text");
      return { response: typeof text === "string" && text.trim() ? { text: text.trim() } : null };
    }
  }
}
