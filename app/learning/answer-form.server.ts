import { getQuizAttempt, saveQuizAnswer } from "~/domain/quiz-attempts.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { readResponse } from "./quiz-form.ts";

export type SavedFromForm =
  | { kind: "saved" | "empty"; index: number; total: number }
  | { kind: "invalid"; error: string }
  /** submitted, or its time ran out: the learner belongs on the result page */
  | { kind: "closed" };

/**
 * Saves the answer an attempt form carries (`questionKey` and the question's fields), as the quiz
 * page posts it without JavaScript and as its outbox sends it with JavaScript. Domain errors other
 * than a closed attempt or an invalid answer (not found, forbidden) are thrown.
 */
export async function saveAnswerFromForm({ actor, attemptId, form }: { actor: Actor; attemptId: string; form: FormData }): Promise<SavedFromForm> {
  const view = await getQuizAttempt({ actor, attemptId });
  if (view.attempt.submittedAt) return { kind: "closed" };
  const questionKey = String(form.get("questionKey") ?? "");
  const index = view.questions.findIndex((q) => q.id === questionKey);
  if (index < 0) return { kind: "invalid", error: "quiz.notInAttempt" };
  const { response, error } = readResponse(view.questions[index].kind, form);
  if (error) return { kind: "invalid", error };
  if (!response) return { kind: "empty", index, total: view.questions.length };
  try {
    await saveQuizAnswer({ actor, attemptId, questionKey, response });
  } catch (failure) {
    if (failure instanceof DomainError && (failure.messageKey === "quiz.timeUp" || failure.messageKey === "quiz.alreadySubmitted")) return { kind: "closed" };
    if (failure instanceof DomainError && failure.code === "INVALID") return { kind: "invalid", error: failure.messageKey };
    throw failure;
  }
  return { kind: "saved", index, total: view.questions.length };
}
