import type { Question } from "../../app/content/schema.ts";
import type { QuizResponse } from "../../app/learning/quiz-logic.ts";

/** The full-marks answer to a question. */
export function correctResponse(question: Question): QuizResponse {
  switch (question.kind) {
    case "single":
      return { optionId: question.options.find((o) => o.correct)!.id };
    case "multiple":
      return { optionIds: question.options.filter((o) => o.correct).map((o) => o.id) };
    case "true_false":
      return { value: question.answer };
    case "matching":
      return { pairs: Object.fromEntries(question.pairs.map((p) => [p.id, p.id])) };
    case "ordering":
      return { order: question.items.map((i) => i.id) };
    case "short_answer":
      return { text: (question.accept.en ?? question.accept.sl)![0] };
  }
}

/** A wrong (zero-mark) answer to a question. */
export function wrongResponse(question: Question): QuizResponse {
  switch (question.kind) {
    case "single":
      return { optionId: question.options.find((o) => !o.correct)!.id };
    case "multiple":
      return { optionIds: question.options.filter((o) => !o.correct).map((o) => o.id) };
    case "true_false":
      return { value: !question.answer };
    case "matching":
      return { pairs: Object.fromEntries(question.pairs.map((p, i) => [p.id, question.pairs[(i + 1) % question.pairs.length].id])) };
    case "ordering":
      return { order: [...question.items.map((i) => i.id)].reverse() };
    case "short_answer":
      return { text: "definitely not this" };
  }
}
