import { type LocalisedText, NUMBERED_NAME_PATTERN, type QuestionKind, QUIZ_FILE_PATTERN } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { getDraftView, saveDraftFiles } from "./draft.server.ts";
import { questionProblems } from "./quiz-checks.ts";
import { addQuestion, applyQuestion, applySettings, MAX_QUESTIONS, moveQuestion, type QuestionInput, type QuizData, questionLines, readQuiz, readQuizData, removeQuestion, type SettingsInput, writeQuiz } from "./quiz-form.ts";

// The quiz editor's use cases: what its page shows, and one change to the quiz file saved against
// the revision the page showed. Authorisation is inside getDraftView and saveDraftFiles.

export type QuestionSummary = { id: string; kind: QuestionKind | null; outcome: string; prompt: LocalisedText; problems: number };

type QuizFileRef = { actor: Actor; slug: string; folder: string; file: string };

/** The file a quiz page edits; any other name is "not found" (the names come from the URL). */
export function quizPath(folder: string, file: string) {
  if (!NUMBERED_NAME_PATTERN.test(folder) || !QUIZ_FILE_PATTERN.test(file)) throw new DomainError("NOT_FOUND", "errors.notFound");
  return `${folder}/${file}`;
}

/**
 * What the quiz page shows: the settings, a summary of every question of the pool and, when the
 * page has one open, that question in full (`index` -1 and `question` null when it is gone).
 */
export async function getQuizEditor({ actor, slug, folder, file, questionId = null }: QuizFileRef & { questionId?: string | null }) {
  const path = quizPath(folder, file);
  const view = await getDraftView({ actor, slug, paths: [path] });
  const current = view.files[path];
  if (!current || current.text === null) throw new DomainError("NOT_FOUND", "errors.notFound");
  const quiz = readQuiz(current.text);
  const { locales, outcomes } = view.settings;
  const outcomeIds = outcomes.map((outcome) => outcome.id);
  const questions = quiz?.questions ?? [];
  const index = questionId === null ? -1 : questions.findIndex((question) => question.id === questionId);
  // The checker's problems by question (by the lines each question spans): the list shows how many
  // each question has, the question's page lists its own, and the quiz's own are shown everywhere.
  const fileProblems = view.problems.filter((problem) => problem.file === path);
  const ranges = questionLines(current.text);
  const inQuestion = (problem: { line: number }, at: number) => problem.line >= (ranges[at]?.first ?? 0) && problem.line <= (ranges[at]?.last ?? -1);
  const quizLevel = fileProblems.filter((problem) => !ranges.some((_, at) => inQuestion(problem, at)));
  return {
    courseTitle: view.settings.title,
    locales,
    outcomes,
    path,
    revision: current.revision,
    /** null when the file does not parse: the problems say why. */
    settings: quiz?.settings ?? null,
    questions: questions.map(
      (question, at): QuestionSummary => ({
        id: question.id,
        kind: question.kind,
        outcome: question.outcome,
        prompt: Object.fromEntries(Object.entries(question.prompt).map(([locale, text]) => [locale, preview(text ?? "")])),
        // Both the editor's checks and the checker mostly report the same things (a missing
        // translation, no correct answer); the larger count is the nearer to what is left to do.
        problems: Math.max(questionProblems(question, locales, outcomeIds).length, fileProblems.filter((problem) => inQuestion(problem, at)).length),
      }),
    ),
    selected: questionId === null ? null : { index, question: index === -1 ? null : questions[index] },
    problems: index === -1 ? quizLevel : [...quizLevel, ...fileProblems.filter((problem) => inQuestion(problem, index))],
    /** Problems inside questions, not listed on the page without a question open. */
    problemsInQuestions: index === -1 ? fileProblems.length - quizLevel.length : 0,
  };
}

/** The start of a prompt as one line of plain text, for the pool's list. */
function preview(markdown: string) {
  const text = markdown.replace(/[*_`#>[\]]/g, "").replace(/\s+/g, " ").trim();
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export type QuizChange =
  | { op: "settings"; settings: SettingsInput }
  | { op: "save-question"; question: QuestionInput }
  | { op: "add-question"; kind: QuestionKind; outcome: string }
  | { op: "remove-question"; questionId: string }
  | { op: "move-question"; questionId: string; direction: "up" | "down" };

/**
 * Applies one change to the quiz as its file stands and saves it, refused when the file is no
 * longer at `revision` (someone else saved first). Returns the new revision and, for an added
 * question, its id.
 */
export async function changeQuiz({ actor, slug, folder, file, revision, change, clock = systemClock }: QuizFileRef & { revision: number; change: QuizChange; clock?: Clock }) {
  const path = quizPath(folder, file);
  const view = await getDraftView({ actor, slug, paths: [path] });
  const current = view.files[path];
  if (!current || current.text === null) throw new DomainError("NOT_FOUND", "errors.notFound");
  const quiz = readQuizData(current.text);
  if (!quiz) throw new DomainError("CONFLICT", "editor.quiz.unreadable");

  let next: QuizData | null;
  let questionId: string | undefined;
  switch (change.op) {
    case "settings":
      next = applySettings(quiz, change.settings);
      break;
    case "save-question":
      next = applyQuestion(quiz, change.question, view.usedIds);
      questionId = change.question.id;
      break;
    case "add-question": {
      if ((readQuiz(current.text)?.questions.length ?? 0) >= MAX_QUESTIONS) throw new DomainError("INVALID", "editor.quiz.tooManyQuestions", undefined, String(MAX_QUESTIONS));
      const outcome = view.settings.outcomes.some((o) => o.id === change.outcome) ? change.outcome : (view.settings.outcomes[0]?.id ?? "");
      const added = addQuestion(quiz, change.kind, { locales: view.settings.locales, outcome, usedIds: view.usedIds });
      next = added.quiz;
      questionId = added.id;
      break;
    }
    case "remove-question":
      next = removeQuestion(quiz, change.questionId);
      break;
    case "move-question":
      next = moveQuestion(quiz, change.questionId, change.direction);
      questionId = change.questionId;
      break;
  }
  if (!next) throw new DomainError("NOT_FOUND", "editor.quiz.noQuestion");
  const text = writeQuiz(current.text, next);
  if (text === current.text && revision === current.revision) return { saved: true as const, revision, questionId };
  const { revisions } = await saveDraftFiles({ actor, slug, changes: [{ path, expectedRevision: revision, text }], clock });
  return { saved: true as const, revision: revisions[path] as number, questionId };
}
