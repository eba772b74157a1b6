import { isOpenPastDeadline, requireAttemptForAnswer, saveQuizAnswer } from "~/domain/quiz-attempts.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
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
export async function saveAnswerFromForm({ actor, attemptId, form, clock = systemClock }: { actor: Actor; attemptId: string; form: FormData; clock?: Clock }): Promise<SavedFromForm> {
  // The one read of the attempt: saveQuizAnswer takes it rather than reading it again.
  const attempt = await requireAttemptForAnswer({ actor, attemptId });
  if (attempt.submittedAt) return { kind: "closed" };
  const questionKey = String(form.get("questionKey") ?? "");
  const index = attempt.questions.findIndex((q) => q.id === questionKey);
  const question = attempt.quiz.questions.find((q) => q.id === questionKey);
  if (index < 0 || !question) return { kind: "invalid", error: "quiz.notInAttempt" };
  const total = attempt.questions.length;
  const { response, error } = readResponse(question.kind, form);
  if (error) return { kind: "invalid", error };
  // Nothing to save; past its deadline the attempt page closes it and shows the result.
  if (!response) return isOpenPastDeadline(attempt, clock.now()) ? { kind: "closed" } : { kind: "empty", index, total };
  try {
    await saveQuizAnswer({ actor, attemptId, questionKey, response, clock, attempt });
  } catch (failure) {
    if (failure instanceof DomainError && (failure.messageKey === "quiz.timeUp" || failure.messageKey === "quiz.alreadySubmitted")) return { kind: "closed" };
    if (failure instanceof DomainError && failure.code === "INVALID") return { kind: "invalid", error: failure.messageKey };
    throw failure;
  }
  return { kind: "saved", index, total };
}
