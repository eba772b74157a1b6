import { checkTranslations } from "./check-translations";
import type { CheckContext, Parsed } from "./parsed-course";
import { checkUniqueWithin } from "./problem-list";
import type { Question, QuizFile } from "./schema";
import type { PathKey } from "./yaml-source";

/** Rules for one quiz that its schema cannot express: counts, correct answers, tags, ids. */
export function checkQuiz({ source, data: quiz }: Parsed<QuizFile>, ctx: CheckContext): void {
  const { problems } = ctx;
  ctx.ids.claim("quiz", quiz.id, source, ["id"]);

  if (quiz.questions.length < quiz.draw) {
    problems.at(
      source,
      ["draw"],
      `quiz "${quiz.id}": pool has ${quiz.questions.length} questions but draw is ${quiz.draw}`,
    );
  }

  quiz.questions.forEach((question, index) => {
    const path: PathKey[] = ["questions", index];
    const context = `question "${question.id}"`;
    ctx.ids.claim("question", question.id, source, [...path, "id"]);
    if (ctx.outcomeIds && !ctx.outcomeIds.has(question.outcome)) {
      problems.at(
        source,
        [...path, "outcome"],
        `${context}: unknown outcome "${question.outcome}" (not in the outcomes of course.yaml)`,
      );
    }
    for (const message of kindProblems(question, ctx)) {
      problems.at(source, [...path, message.field], `${context}: ${message.text}`);
    }
    const parts = partsOf(question);
    if (parts) {
      checkUniqueWithin(
        parts.list.map((part, partIndex) => ({ id: part.id, path: [...path, parts.field, partIndex, "id"] })),
        parts.kind,
        source,
        problems,
        context,
      );
    }
  });

  checkTranslations(source, quiz, ctx.locales, problems);
}

function kindProblems(question: Question, ctx: CheckContext): Array<{ field: string; text: string }> {
  switch (question.kind) {
    case "single":
    case "multiple": {
      const found: Array<{ field: string; text: string }> = [];
      if (question.options.length < 2) {
        found.push({ field: "options", text: `needs at least 2 options, found ${question.options.length}` });
      }
      const correct = question.options.filter((option) => option.correct).length;
      if (question.kind === "single" && correct !== 1) {
        found.push({
          field: "options",
          text: `a single-choice question needs exactly one correct option, found ${correct}`,
        });
      }
      if (question.kind === "multiple" && correct === 0) {
        found.push({ field: "options", text: "a multiple-choice question needs at least one correct option" });
      }
      return found;
    }
    case "matching":
      return question.pairs.length < 2
        ? [{ field: "pairs", text: `needs at least 2 pairs, found ${question.pairs.length}` }]
        : [];
    case "ordering":
      return question.items.length < 3
        ? [{ field: "items", text: `needs at least 3 items, found ${question.items.length}` }]
        : [];
    case "short_answer":
      return ctx.locales
        .filter((locale) => (question.accept[locale] ?? []).length === 0)
        .map((locale) => ({ field: "accept", text: `no accepted answer for "${locale}"` }));
    case "true_false":
      return [];
  }
}

function partsOf(question: Question): { field: string; kind: string; list: Array<{ id: string }> } | null {
  switch (question.kind) {
    case "single":
    case "multiple":
      return { field: "options", kind: "option", list: question.options };
    case "matching":
      return { field: "pairs", kind: "pair", list: question.pairs };
    case "ordering":
      return { field: "items", kind: "item", list: question.items };
    default:
      return null;
  }
}
