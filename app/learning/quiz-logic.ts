import { z } from "zod";
import type { Question, QuizFile } from "~/content/schema.ts";

// Pure quiz rules: drawing, the shape of an answer per question kind, and grading. Runs on the
// server only in practice (grading never happens in the browser), but has no server dependencies
// so it is unit-tested directly.

/** What an attempt stores per drawn question: its id and the order its parts are shown in. */
export type DrawnQuestion = { id: string; options?: string[]; rights?: string[]; items?: string[] };
export type QuizContent = Omit<QuizFile, "id" | "title">;

/** A random source returning [0, 1); injectable so draws are reproducible in tests. */
export type Random = () => number;

function shuffled<T>(values: readonly T[], random: Random): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Draws `quiz.draw` questions. With `drawPerOutcome`, outcomes take turns (in random order) so the
 * draw covers as many outcomes as it can; otherwise it is a uniform sample. Order within the attempt
 * and of options is shuffled when `shuffle` is set. Ordering items are always shuffled (the file
 * lists them in the correct order), and so is the right-hand column of a matching question.
 */
export function drawQuestions(quiz: QuizContent, random: Random = Math.random): DrawnQuestion[] {
  let chosen: Question[];
  if (quiz.drawPerOutcome) {
    const byOutcome = new Map<string, Question[]>();
    for (const question of shuffled(quiz.questions, random)) byOutcome.set(question.outcome, [...(byOutcome.get(question.outcome) ?? []), question]);
    const queues = shuffled([...byOutcome.values()], random);
    chosen = [];
    while (chosen.length < quiz.draw && queues.some((q) => q.length)) {
      for (const queue of queues) {
        const next = queue.shift();
        if (next && chosen.length < quiz.draw) chosen.push(next);
      }
    }
  } else {
    chosen = shuffled(quiz.questions, random).slice(0, quiz.draw);
  }
  if (!quiz.shuffle) {
    const order = new Map(quiz.questions.map((q, index) => [q.id, index]));
    chosen.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }
  return chosen.map((question) => {
    switch (question.kind) {
      case "single":
      case "multiple": {
        const ids = question.options.map((o) => o.id);
        return { id: question.id, options: quiz.shuffle ? shuffled(ids, random) : ids };
      }
      case "matching":
        return { id: question.id, rights: shuffled(question.pairs.map((p) => p.id), random) };
      case "ordering": {
        const ids = question.items.map((i) => i.id);
        let order = shuffled(ids, random);
        // Never show an ordering question already solved.
        for (let tries = 0; tries < 5 && order.every((id, index) => id === ids[index]); tries++) order = shuffled(ids, random);
        return { id: question.id, items: order };
      }
      default:
        return { id: question.id };
    }
  });
}

/** The answer a learner may send for a question of each kind (ids are checked against the question). */
export const ResponseSchema = z.union([
  z.strictObject({ optionId: z.string().max(64) }),
  z.strictObject({ optionIds: z.array(z.string().max(64)).max(50) }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ pairs: z.record(z.string().max(64), z.string().max(64)) }),
  z.strictObject({ order: z.array(z.string().max(64)).max(50) }),
  z.strictObject({ text: z.string().max(500) }),
]);
export type QuizResponse = z.infer<typeof ResponseSchema>;

/** Null when the response fits the question; else why not (an i18n key). */
export function checkResponse(question: Question, response: QuizResponse): string | null {
  switch (question.kind) {
    case "single":
      return "optionId" in response && question.options.some((o) => o.id === response.optionId) ? null : "quiz.invalidAnswer";
    case "multiple":
      return "optionIds" in response && response.optionIds.every((id) => question.options.some((o) => o.id === id)) && new Set(response.optionIds).size === response.optionIds.length ? null : "quiz.invalidAnswer";
    case "true_false":
      return "value" in response ? null : "quiz.invalidAnswer";
    case "matching": {
      if (!("pairs" in response)) return "quiz.invalidAnswer";
      const ids = new Set(question.pairs.map((p) => p.id));
      return Object.entries(response.pairs).every(([left, right]) => ids.has(left) && ids.has(right)) ? null : "quiz.invalidAnswer";
    }
    case "ordering": {
      if (!("order" in response)) return "quiz.invalidAnswer";
      const ids = question.items.map((i) => i.id);
      return response.order.length === ids.length && ids.every((id) => response.order.includes(id)) ? null : "quiz.invalidAnswer";
    }
    case "short_answer":
      return "text" in response && response.text.trim().length > 0 ? null : "quiz.invalidAnswer";
  }
}

/** Case-insensitive, whitespace-collapsed, NFC; diacritics folded only when the author allows it. */
export function normaliseShortAnswer(text: string, ignoreDiacritics: boolean) {
  let out = text.normalize("NFC").trim().toLocaleLowerCase("sl").replace(/\s+/g, " ");
  if (ignoreDiacritics) out = out.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  return out;
}

/**
 * Points for one answer, 0 to 1. Partial credit: multiple = (right chosen − wrong chosen) / right
 * options, floored at 0; matching = share of pairs matched correctly; ordering = share of items in
 * their correct place. Other kinds are all or nothing. Short answers match any locale's list, so a
 * learner who switches language mid-attempt is graded alike.
 */
export function gradeResponse(question: Question, response: QuizResponse | null): number {
  if (!response || checkResponse(question, response)) return 0;
  switch (question.kind) {
    case "single":
      return question.options.find((o) => o.id === (response as { optionId: string }).optionId)?.correct ? 1 : 0;
    case "multiple": {
      const chosen = new Set((response as { optionIds: string[] }).optionIds);
      const correct = question.options.filter((o) => o.correct);
      const right = correct.filter((o) => chosen.has(o.id)).length;
      const wrong = question.options.filter((o) => !o.correct && chosen.has(o.id)).length;
      return Math.max(0, (right - wrong) / correct.length);
    }
    case "true_false":
      return (response as { value: boolean }).value === question.answer ? 1 : 0;
    case "matching": {
      const pairs = (response as { pairs: Record<string, string> }).pairs;
      return question.pairs.filter((p) => pairs[p.id] === p.id).length / question.pairs.length;
    }
    case "ordering": {
      const order = (response as { order: string[] }).order;
      return question.items.filter((item, index) => order[index] === item.id).length / question.items.length;
    }
    case "short_answer": {
      const given = normaliseShortAnswer((response as { text: string }).text, question.ignoreDiacritics);
      return Object.values(question.accept)
        .flat()
        .some((accepted) => accepted !== undefined && normaliseShortAnswer(accepted, question.ignoreDiacritics) === given)
        ? 1
        : 0;
    }
  }
}

/** Score in per cent (one decimal) over the drawn questions; unanswered ones count as 0. */
export function scoreAttempt(points: number[], drawnCount: number) {
  if (drawnCount === 0) return 0;
  return Math.round((points.reduce((sum, p) => sum + p, 0) / drawnCount) * 1000) / 10;
}
