import type { Question } from "../../app/content/schema.ts";
import type { QuizItem } from "../../app/content/types.ts";
import { chooseCaseOption, getCaseRun } from "../../app/domain/case-runs.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { getQuizAttempt, saveQuizAnswer, startQuizAttempt, submitQuizAttempt } from "../../app/domain/quiz-attempts.server.ts";
import { completeLesson } from "../../app/domain/record-lesson-progress.server.ts";
import type { Clock } from "../../app/utils/clock.server.ts";
import { importFixtureCourse } from "./courses.ts";
import { correctResponse } from "./responses.ts";

type Actor = { id: string; isAdmin: boolean };

/**
 * The fixture course (tests/support/courses.ts) imported under `slug`, with the learner's own steps
 * through it: `almostComplete` leaves only the lesson "signs", so one more step completes the
 * course; `complete` takes that step too, which issues the certificate.
 */
export async function fixtureCourseSteps(slug: string, edit?: (dir: string) => void) {
  const course = await importFixtureCourse(slug, edit);
  const questions: Question[] = (course.modules[0].items.find((i) => i.type === "quiz") as QuizItem).quiz.questions;

  async function almostComplete(actor: Actor, clock: Clock) {
    await enrol({ actor, slug, clock });
    await completeLesson({ actor, slug, itemKey: "what-is-it", secondsSpent: 60, clock });
    await getCaseRun({ actor, slug, itemKey: "waiting-room", clock });
    await chooseCaseOption({ actor, slug, itemKey: "waiting-room", fromNode: "arrival", choiceId: "see-alone", clock });
    await chooseCaseOption({ actor, slug, itemKey: "waiting-room", fromNode: "alone", choiceId: "ask-safely", clock });
    const { attemptId } = await startQuizAttempt({ actor, slug, itemKey: "basics-quiz", clock });
    for (const q of (await getQuizAttempt({ actor, attemptId, clock })).questions) {
      await saveQuizAnswer({ actor, attemptId, questionKey: q.id, response: correctResponse(questions.find((x) => x.id === q.id)!), clock });
    }
    await submitQuizAttempt({ actor, attemptId, clock });
  }

  async function complete(actor: Actor, clock: Clock) {
    await almostComplete(actor, clock);
    return completeLesson({ actor, slug, itemKey: "signs", secondsSpent: 60, clock });
  }

  return { course, questions, almostComplete, complete };
}
