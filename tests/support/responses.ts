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

/** The attempt form's fields for an answer, as the quiz page posts them (see app/learning/quiz-form.ts). */
export function answerFields(questionKey: string, response: QuizResponse): Array<[string, string]> {
  const fields: Array<[string, string]> = [["questionKey", questionKey]];
  if ("optionId" in response) fields.push(["optionId", response.optionId]);
  else if ("optionIds" in response) for (const id of response.optionIds) fields.push(["optionIds", id]);
  else if ("value" in response) fields.push(["value", String(response.value)]);
  else if ("pairs" in response) for (const [left, right] of Object.entries(response.pairs)) fields.push([`match:${left}`, right]);
  else if ("order" in response) for (const [index, id] of response.order.entries()) fields.push([`position:${id}`, String(index + 1)]);
  else fields.push(["text", response.text]);
  return fields;
}
