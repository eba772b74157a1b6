import type { Locale, LocalisedText } from "~/content/schema.ts";
import { fieldName, hasText, type QuestionDraft, type QuizSettings } from "./quiz-form.ts";

// What the quiz editor says next to a field while the trainer types, before anything is saved:
// the checks a trainer most often needs (a missing translation, no correct answer, a pool smaller
// than the draw, two options with the same text). The course checker stays the authority on what
// blocks publishing; these only point at fields sooner. Pure: the forms run them on every change.

/**
 * One thing to fix. `field` is the input's name (`options.1.text.en`) or a list's (`options`);
 * `key` is a message key whose variables are `vars`, plus `language` when `locale` is given.
 */
export type FormProblem = { field: string; key: string; vars?: Record<string, string | number>; locale?: Locale };

export function settingsProblems(settings: Pick<QuizSettings, "title" | "draw">, poolSize: number, locales: readonly Locale[]): FormProblem[] {
  const problems = missing("title", settings.title, locales);
  if (settings.draw !== null && poolSize < settings.draw) problems.push({ field: "draw", key: "editor.quiz.check.poolTooSmall", vars: { count: poolSize, draw: settings.draw } });
  return problems;
}

export function questionProblems(question: QuestionDraft, locales: readonly Locale[], outcomeIds: readonly string[]): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!question.outcome) problems.push({ field: "outcome", key: "editor.quiz.check.noOutcome" });
  else if (!outcomeIds.includes(question.outcome)) problems.push({ field: "outcome", key: "editor.quiz.check.unknownOutcome", vars: { outcome: question.outcome } });
  problems.push(...missing("prompt", question.prompt, locales), ...missing("explanation", question.explanation, locales));
  switch (question.kind) {
    case "single":
    case "multiple": {
      const correct = question.options.filter((option) => option.correct).length;
      if (question.options.length < 2) problems.push({ field: "options", key: "editor.quiz.check.tooFew", vars: { min: 2 } });
      if (correct === 0) problems.push({ field: "options", key: "editor.quiz.check.noCorrect" });
      else if (question.kind === "single" && correct > 1) problems.push({ field: "options", key: "editor.quiz.check.oneCorrect", vars: { count: correct } });
      question.options.forEach((option, index) => {
        problems.push(...missing(fieldName.part("options", index, "text"), option.text, locales));
        if (hasText(option.feedback)) problems.push(...missing(fieldName.part("options", index, "feedback"), option.feedback, locales));
      });
      problems.push(...duplicates("options", "text", question.options.map((option) => option.text), locales));
      break;
    }
    case "true_false":
      for (const answer of ["true", "false"] as const) {
        if (hasText(question.feedback[answer])) problems.push(...missing(`feedback.${answer}`, question.feedback[answer], locales));
      }
      break;
    case "matching":
      if (question.pairs.length < 2) problems.push({ field: "pairs", key: "editor.quiz.check.tooFew", vars: { min: 2 } });
      question.pairs.forEach((pair, index) => {
        problems.push(...missing(fieldName.part("pairs", index, "left"), pair.left, locales), ...missing(fieldName.part("pairs", index, "right"), pair.right, locales));
      });
      problems.push(...duplicates("pairs", "left", question.pairs.map((pair) => pair.left), locales), ...duplicates("pairs", "right", question.pairs.map((pair) => pair.right), locales));
      break;
    case "ordering":
      if (question.items.length < 3) problems.push({ field: "items", key: "editor.quiz.check.tooFew", vars: { min: 3 } });
      question.items.forEach((item, index) => {
        problems.push(...missing(fieldName.part("items", index, "text"), item.text, locales));
      });
      problems.push(...duplicates("items", "text", question.items.map((item) => item.text), locales));
      break;
    case "short_answer":
      for (const locale of locales) {
        if (!question.accept[locale]?.length) problems.push({ field: fieldName.text("accept", locale), key: "editor.quiz.check.noAccepted", locale });
      }
      break;
    default:
      problems.push({ field: "kind", key: "editor.quiz.check.unknownKind" });
  }
  return problems;
}

function missing(name: string, text: LocalisedText, locales: readonly Locale[]): FormProblem[] {
  return locales.filter((locale) => !text[locale]?.trim()).map((locale) => ({ field: fieldName.text(name, locale), key: "editor.quiz.check.missingTranslation", locale }));
}

/** Each later row whose text repeats an earlier row's in the same language (case and spacing aside). */
function duplicates(list: "options" | "pairs" | "items", part: string, texts: LocalisedText[], locales: readonly Locale[]): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const locale of locales) {
    const seen = new Map<string, number>();
    texts.forEach((text, index) => {
      const normalised = (text[locale] ?? "").trim().replace(/\s+/g, " ").toLocaleLowerCase(locale);
      if (!normalised) return;
      const first = seen.get(normalised);
      if (first === undefined) seen.set(normalised, index);
      else problems.push({ field: fieldName.text(fieldName.part(list, index, part), locale), key: "editor.quiz.check.duplicate", vars: { number: first + 1 }, locale });
    });
  }
  return problems;
}
