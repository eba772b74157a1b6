import type { Question } from "../../../app/content/schema.ts";
import type { QuizItem } from "../../../app/content/types.ts";
import { enrol } from "../../../app/domain/enrol.server.ts";
import { getQuizAttempt, startQuizAttempt } from "../../../app/domain/quiz-attempts.server.ts";
import { createSessionCookie } from "../../../app/utils/session.server.ts";
import { importFixtureCourse } from "../../support/courses.ts";
import { createUser } from "../../support/factories.ts";
import { APP_URL } from "./app-process.ts";

export type QuizLearner = { id: string; actor: { id: string; isAdmin: boolean }; attemptId: string; questions: Question[]; cookie: string; base: string };

/** The session cookie (name=value) a browser would hold after this person logged in. */
export async function sessionCookieFor(userId: string) {
  return (await createSessionCookie(new Request(APP_URL), userId)).split(";")[0];
}

/** `count` learners enrolled in the fixture course under `slug`, each with an open attempt at its quiz. */
export async function quizLearners(slug: string, count: number): Promise<QuizLearner[]> {
  const course = await importFixtureCourse(slug);
  const pool: Question[] = (course.modules[0].items.find((i) => i.type === "quiz") as QuizItem).quiz.questions;
  const learners: QuizLearner[] = [];
  for (let n = 0; n < count; n++) {
    const user = await createUser({ name: `Learner ${n}` });
    const actor = { id: user.id, isAdmin: false };
    await enrol({ actor, slug });
    const { attemptId } = await startQuizAttempt({ actor, slug, itemKey: "basics-quiz" });
    const drawn = (await getQuizAttempt({ actor, attemptId })).questions.map((q) => pool.find((p) => p.id === q.id)!);
    learners.push({ id: user.id, actor, attemptId, questions: drawn, cookie: await sessionCookieFor(user.id), base: `/learn/${slug}/attempt/${attemptId}` });
  }
  return learners;
}

export type Answered = { status: number; ms: number; retryAfter: string | null; location: string | null; body: string };

/** One HTTP request as a browser (or the quiz page's outbox) sends it; never follows redirects, never throws. */
export async function request(url: string, { cookie, method = "GET", fields, body, headers = {} }: { cookie?: string; method?: "GET" | "POST"; fields?: Array<[string, string]>; body?: string; headers?: Record<string, string> }): Promise<Answered> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      redirect: "manual",
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}), ...headers },
      body: fields ? new URLSearchParams(fields).toString() : body,
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get("Retry-After"), location: response.headers.get("Location"), body: text };
  } catch (error) {
    // The connection failed or was cut: no answer at all (status 0).
    return { status: 0, ms: performance.now() - started, retryAfter: null, location: null, body: String((error as Error).cause ?? error) };
  }
}
