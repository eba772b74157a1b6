import { beforeAll, describe, expect, it } from "vitest";
import type { Question } from "../../app/content/schema.ts";
import type { LoadedCourse, QuizItem } from "../../app/content/types.ts";
import { chooseCaseOption, getCaseRun, restartCase } from "../../app/domain/case-runs.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { loadLearnerCourse, requireOpenItem } from "../../app/domain/learner-course.server.ts";
import { closeExpiredAttempts, getQuizAttempt, saveQuizAnswer, startQuizAttempt, submitQuizAttempt } from "../../app/domain/quiz-attempts.server.ts";
import { completeLesson } from "../../app/domain/record-lesson-progress.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { correctResponse, importFixtureCourse, replaceIn, wrongResponse } from "../support/courses.ts";
import { createUser } from "../support/factories.ts";
import { statementsOf } from "../support/statements.ts";
import { action as saveAnswerAction } from "../../app/routes/learn/attempt-answer.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";

let course: LoadedCourse;
let questions: Question[];
const slug = "learning-fixture";

beforeAll(async () => {
  course = await importFixtureCourse(slug);
  questions = (course.modules[0].items.find((i) => i.type === "quiz") as QuizItem).quiz.questions;
});

const question = (id: string) => questions.find((q) => q.id === id)!;

async function learner() {
  const user = await createUser();
  await enrol({ actor: user, slug });
  return user;
}

async function answerAll(actor: { id: string; isAdmin: boolean }, attemptId: string, respond: (q: Question) => ReturnType<typeof correctResponse>, clock = fixedClock(new Date())) {
  const { questions: drawn } = await getQuizAttempt({ actor, attemptId, clock });
  for (const q of drawn) await saveQuizAnswer({ actor, attemptId, questionKey: q.id, response: respond(question(q.id)), clock });
  return drawn;
}

describe("enrolment", () => {
  it("is created once, also when two requests race", async () => {
    const user = await createUser();
    const [a, b] = await Promise.all([enrol({ actor: user, slug }), enrol({ actor: user, slug })]);
    expect(a.id).toBe(b.id);
    expect(await db.enrolment.count({ where: { userId: user.id } })).toBe(1);
  });

  it("is required for every learning page, and the refresher stays closed on a first completion", async () => {
    const stranger = await createUser();
    await expect(loadLearnerCourse({ actor: stranger, slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(completeLesson({ actor: stranger, slug, itemKey: "what-is-it", secondsSpent: 60 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const user = await learner();
    await expect(requireOpenItem({ actor: user, slug, itemKey: "recap", kind: "LESSON" })).rejects.toMatchObject({ code: "FORBIDDEN", messageKey: "learn.lockedRecertification" });
    expect(await db.itemProgress.count({ where: { enrolment: { userId: user.id } } })).toBe(0);
  });
});

describe("quiz attempts", () => {
  it("draws and stores the questions on the server, and a second start resumes the same attempt", async () => {
    const user = await learner();
    const clock = fixedClock("2026-04-01T09:00:00Z");
    const starts = await Promise.all([1, 2, 3].map(() => startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock })));
    expect(new Set(starts.map((s) => s.attemptId)).size).toBe(1);
    const attempt = await db.quizAttempt.findUniqueOrThrow({ where: { id: starts[0].attemptId } });
    expect((attempt.questions as unknown[]).length).toBe(5);
    expect(attempt.deadlineAt?.toISOString()).toBe("2026-04-01T09:15:00.000Z");
    const progress = await db.itemProgress.findMany({ where: { enrolmentId: attempt.enrolmentId, itemKey: "basics-quiz" } });
    expect(progress.map((p) => [p.startedAt.toISOString(), p.completedAt])).toEqual([["2026-04-01T09:00:00.000Z", null]]);
    const view = await getQuizAttempt({ actor: user, attemptId: attempt.id, clock });
    expect(JSON.stringify(view.questions)).not.toContain("correct");
    expect(view.review).toBeNull();
  });

  it("saves answers idempotently and refuses foreign questions and other people's attempts", async () => {
    const user = await learner();
    const other = await learner();
    const clock = fixedClock(new Date());
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    const drawn = (await getQuizAttempt({ actor: user, attemptId, clock })).questions;
    const first = question(drawn[0].id);
    await saveQuizAnswer({ actor: user, attemptId, questionKey: first.id, response: wrongResponse(first), clock });
    await saveQuizAnswer({ actor: user, attemptId, questionKey: first.id, response: correctResponse(first), clock });
    await saveQuizAnswer({ actor: user, attemptId, questionKey: first.id, response: correctResponse(first), clock });
    const answers = await db.quizAnswer.findMany({ where: { attemptId } });
    expect(answers).toHaveLength(1);
    expect(answers[0].response).toEqual(correctResponse(first));

    const notDrawn = questions.find((q) => !drawn.some((d) => d.id === q.id))!;
    await expect(saveQuizAnswer({ actor: user, attemptId, questionKey: notDrawn.id, response: correctResponse(notDrawn), clock })).rejects.toMatchObject({ messageKey: "quiz.notInAttempt" });
    await expect(saveQuizAnswer({ actor: user, attemptId, questionKey: first.id, response: { optionId: "no-such-option" }, clock })).rejects.toMatchObject({ messageKey: "quiz.invalidAnswer" });
    await expect(saveQuizAnswer({ actor: other, attemptId, questionKey: first.id, response: correctResponse(first), clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getQuizAttempt({ actor: other, attemptId, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(submitQuizAttempt({ actor: other, attemptId, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.quizAnswer.count({ where: { attemptId } })).toBe(1);
  });

  it("grades once when submitted twice at the same moment, and refuses answers afterwards", async () => {
    const user = await learner();
    const clock = fixedClock(new Date());
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    const drawn = await answerAll(user, attemptId, correctResponse, clock);
    const [a, b] = await Promise.all([submitQuizAttempt({ actor: user, attemptId, clock }), submitQuizAttempt({ actor: user, attemptId, clock })]);
    expect(a.score).toBe(100);
    expect(b.score).toBe(100);
    expect([a.passed, b.passed]).toEqual([true, true]);
    const done = await db.itemProgress.findFirstOrThrow({ where: { itemKey: "basics-quiz", enrolment: { userId: user.id } } });
    expect(done.completedAt?.toISOString()).toBe(clock.now().toISOString());
    await expect(saveQuizAnswer({ actor: user, attemptId, questionKey: drawn[0].id, response: wrongResponse(question(drawn[0].id)), clock })).rejects.toMatchObject({ messageKey: "quiz.alreadySubmitted" });
    const view = await getQuizAttempt({ actor: user, attemptId, clock });
    expect(view.review?.length).toBe(5);
    await expect(startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock })).rejects.toMatchObject({ messageKey: "quiz.alreadyPassed" });
  });

  it("enforces the deadline on the server: late answers are refused and the attempt closes itself", async () => {
    const user = await learner();
    const clock = fixedClock("2026-05-01T08:00:00Z");
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    const drawn = (await getQuizAttempt({ actor: user, attemptId, clock })).questions;
    await saveQuizAnswer({ actor: user, attemptId, questionKey: drawn[0].id, response: correctResponse(question(drawn[0].id)), clock });
    clock.advance(15 * 60_000 + 1_000); // inside the grace period
    await saveQuizAnswer({ actor: user, attemptId, questionKey: drawn[1].id, response: correctResponse(question(drawn[1].id)), clock });
    clock.advance(5_000);
    await expect(saveQuizAnswer({ actor: user, attemptId, questionKey: drawn[2].id, response: correctResponse(question(drawn[2].id)), clock })).rejects.toMatchObject({ messageKey: "quiz.timeUp" });
    const closed = await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(closed).toMatchObject({ closedBy: "TIME", score: 40, passed: false });
    expect(closed.submittedAt?.toISOString()).toBe("2026-05-01T08:15:00.000Z");
    expect(await db.quizAnswer.count({ where: { attemptId } })).toBe(2);
  });

  it("closes an abandoned attempt at its deadline even if the learner never returns", async () => {
    const user = await learner();
    const clock = fixedClock("2026-05-02T08:00:00Z");
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    clock.advance(14 * 60_000);
    await closeExpiredAttempts({ clock });
    expect((await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).submittedAt).toBeNull();
    clock.advance(2 * 60_000);
    await closeExpiredAttempts({ clock });
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ closedBy: "TIME", score: 0, passed: false });
  });

  it("starts in one transaction of five statements: lock, attempts, one write", async () => {
    const user = await learner();
    const clock = fixedClock("2026-05-04T08:00:00Z");
    const { result, statements } = await statementsOf(() => startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock }));
    const transaction = statements.slice(statements.indexOf("BEGIN"));
    expect(transaction.map((s) => s.trim().split(/\s+/)[0])).toEqual(["BEGIN", "SELECT", "SELECT", "WITH", "COMMIT"]);
    const attempt = await db.quizAttempt.findUniqueOrThrow({ where: { id: result.attemptId }, include: { enrolment: true } });
    expect(attempt).toMatchObject({ number: 1, userId: user.id, itemKey: "basics-quiz", submittedAt: null });
    expect(attempt.startedAt.toISOString()).toBe("2026-05-04T08:00:00.000Z");
    expect(attempt.enrolment).toMatchObject({ lastItemKey: "basics-quiz" });
    expect(attempt.enrolment.startedAt?.toISOString()).toBe("2026-05-04T08:00:00.000Z");
  });

  it("closes an open attempt past its deadline when the learner starts again, then starts the next", async () => {
    const user = await learner();
    const clock = fixedClock("2026-05-05T08:00:00Z");
    const first = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    clock.advance(15 * 60_000 + 5_000);
    const second = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    expect(second).toMatchObject({ resumed: false });
    expect(second.attemptId).not.toBe(first.attemptId);
    const attempts = await db.quizAttempt.findMany({ where: { userId: user.id }, orderBy: { number: "asc" } });
    expect(attempts.map((a) => [a.number, a.closedBy, a.score, a.submittedAt?.toISOString() ?? null])).toEqual([
      [1, "TIME", 0, "2026-05-05T08:15:00.000Z"],
      [2, null, null, null],
    ]);
  });

  it("counts a passing attempt left open past its deadline as passed when the learner comes back to start", async () => {
    const user = await learner();
    const clock = fixedClock("2026-05-06T08:00:00Z");
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    await answerAll(user, attemptId, correctResponse, clock);
    clock.advance(20 * 60_000);
    await expect(startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock })).rejects.toMatchObject({ messageKey: "quiz.alreadyPassed" });
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ closedBy: "TIME", score: 100, passed: true });
    const done = await db.itemProgress.findFirstOrThrow({ where: { itemKey: "basics-quiz", enrolment: { userId: user.id } } });
    expect(done.completedAt?.toISOString()).toBe("2026-05-06T08:15:00.000Z");
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
  });

  it("gives extra time granted by an organiser", async () => {
    const user = await learner();
    const organisation = await db.organisation.create({ data: { name: "Extra time hospital", slug: `extra-${user.id}` } });
    await db.membership.create({ data: { userId: user.id, organisationId: organisation.id, roles: ["LEARNER"], quizTimeFactor: 1.5 } });
    const clock = fixedClock("2026-05-03T08:00:00Z");
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    expect((await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).deadlineAt?.toISOString()).toBe("2026-05-03T08:22:30.000Z");
  });

  it("stops after the attempt limit", async () => {
    const user = await learner();
    const clock = fixedClock(new Date());
    for (let i = 0; i < 3; i++) {
      const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
      await answerAll(user, attemptId, wrongResponse, clock);
      expect((await submitQuizAttempt({ actor: user, attemptId, clock })).passed).toBe(false);
    }
    await expect(startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock })).rejects.toMatchObject({ messageKey: "quiz.noAttemptsLeft" });
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(3);
  });
});

describe("cooldown between attempts", () => {
  it("makes the learner wait after a failed attempt", async () => {
    await importFixtureCourse("cooldown-fixture", (dir) => {
      replaceIn(`${dir}/01-basics/quiz.yaml`, "cooldownMinutes: 0", "cooldownMinutes: 30");
    });
    const user = await createUser();
    await enrol({ actor: user, slug: "cooldown-fixture" });
    const clock = fixedClock("2026-06-01T10:00:00Z");
    const { attemptId } = await startQuizAttempt({ actor: user, slug: "cooldown-fixture", itemKey: "basics-quiz", clock });
    await submitQuizAttempt({ actor: user, attemptId, clock });
    clock.advance(29 * 60_000);
    await expect(startQuizAttempt({ actor: user, slug: "cooldown-fixture", itemKey: "basics-quiz", clock })).rejects.toMatchObject({ messageKey: "quiz.coolingDown" });
    clock.advance(2 * 60_000);
    await expect(startQuizAttempt({ actor: user, slug: "cooldown-fixture", itemKey: "basics-quiz", clock })).resolves.toMatchObject({ resumed: false });
  });
});

describe("branching cases and completion", () => {
  it("counts a case only when the safe ending is reached, keeps every path, and completes the course once", async () => {
    const user = await learner();
    const clock = fixedClock(new Date());
    await completeLesson({ actor: user, slug, itemKey: "what-is-it", secondsSpent: 100_000, clock });
    await completeLesson({ actor: user, slug, itemKey: "signs", secondsSpent: 240, clock });
    const enrolment = await db.enrolment.findFirstOrThrow({ where: { userId: user.id } });
    expect(enrolment.timeSpentSeconds).toBeLessThan(100_000); // idle time is capped

    const run = await getCaseRun({ actor: user, slug, itemKey: "waiting-room", clock });
    expect(run.run.currentNode).toBe("arrival");
    await chooseCaseOption({ actor: user, slug, itemKey: "waiting-room", fromNode: "arrival", choiceId: "ask-companion", clock });
    await expect(chooseCaseOption({ actor: user, slug, itemKey: "waiting-room", fromNode: "arrival", choiceId: "ask-companion", clock })).resolves.toMatchObject({ repeated: true });
    await expect(chooseCaseOption({ actor: user, slug, itemKey: "waiting-room", fromNode: "alone", choiceId: "ask-safely", clock })).rejects.toMatchObject({ messageKey: "case.stale" });
    expect((await loadLearnerCourse({ actor: user, slug })).state.modules[0].items.find((i) => i.key === "waiting-room")?.done).toBe(false);

    await restartCase({ actor: user, slug, itemKey: "waiting-room", clock });
    await chooseCaseOption({ actor: user, slug, itemKey: "waiting-room", fromNode: "arrival", choiceId: "see-alone", clock });
    await chooseCaseOption({ actor: user, slug, itemKey: "waiting-room", fromNode: "alone", choiceId: "ask-safely", clock });
    const runs = await db.caseRun.findMany({ where: { enrolment: { userId: user.id } }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => r.outcome)).toEqual(["poor", "safe"]);
    expect(runs[1].path).toEqual([{ node: "arrival", choice: "see-alone" }, { node: "alone", choice: "ask-safely" }]);

    expect((await db.enrolment.findFirstOrThrow({ where: { userId: user.id } })).completedAt).toBeNull();
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    await answerAll(user, attemptId, correctResponse, clock);
    const results = await Promise.all([submitQuizAttempt({ actor: user, attemptId, clock }), submitQuizAttempt({ actor: user, attemptId, clock })]);
    expect(results.filter((r) => r.completedNow)).toHaveLength(1);
    const state = await loadLearnerCourse({ actor: user, slug });
    expect(state.state.complete).toBe(true);
    expect(state.enrolment.completedAt).not.toBeNull();
  });
});

describe("course visibility", () => {
  it("never shows or enrols anyone in a course owned by another hospital", async () => {
    const { createOrganisationWithMembers } = await import("../support/factories.ts");
    const { listCatalogue } = await import("../../app/domain/catalogue.server.ts");
    const a = await createOrganisationWithMembers({ learner: ["LEARNER"] });
    const b = await createOrganisationWithMembers({ learner: ["LEARNER"] });
    await importFixtureCourse("hospital-b-only");
    await db.course.update({ where: { slug: "hospital-b-only" }, data: { ownerOrganisationId: b.organisation.id, visibility: "OWNER_ONLY" } });

    const seenByA = (await listCatalogue({ userId: a.people.learner.id })).map((c) => c.slug);
    const seenByB = (await listCatalogue({ userId: b.people.learner.id })).map((c) => c.slug);
    const seenAnonymously = (await listCatalogue({ userId: null })).map((c) => c.slug);
    expect(seenByB).toContain("hospital-b-only");
    expect(seenByA).not.toContain("hospital-b-only");
    expect(seenAnonymously).not.toContain("hospital-b-only");
    await expect(enrol({ actor: a.people.learner, slug: "hospital-b-only" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(enrol({ actor: b.people.learner, slug: "hospital-b-only" })).resolves.toHaveProperty("id");
    expect(await db.enrolment.count({ where: { userId: a.people.learner.id } })).toBe(0);
  });
});

describe("saving an answer, the exam's most frequent request", () => {
  /** The outbox's request for one answer (single choice or true/false) as the signed-in learner. */
  async function answerRequest(userId: string, attemptId: string, question: Question, right: boolean) {
    const cookie = (await createSessionCookie(new Request("http://opora.test/login"), userId)).split(";")[0];
    const form = new URLSearchParams({ questionKey: question.id });
    if (question.kind === "single") form.set("optionId", question.options.find((o) => o.correct === right)!.id);
    else if (question.kind === "true_false") form.set("value", String(right ? question.answer : !question.answer));
    return () =>
      saveAnswerAction({
        request: new Request(`http://opora.test/learn/${slug}/attempt/${attemptId}/answer`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: form }),
        params: { slug, attemptId },
        context: {},
      } as unknown as Parameters<typeof saveAnswerAction>[0]);
  }

  it("takes three statements: the session, one read of the attempt and one write", async () => {
    const user = await learner();
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz" });
    const drawn = (await getQuizAttempt({ actor: user, attemptId })).questions;
    const question = questions.find((q) => (q.kind === "single" || q.kind === "true_false") && drawn.some((d) => d.id === q.id))!;
    for (const right of [false, true, true]) {
      const send = await answerRequest(user.id, attemptId, question, right);
      const { result, statements } = await statementsOf(send);
      expect(result.status).toBe(200);
      expect(await result.json()).toEqual({ ok: true });
      expect(statements).toHaveLength(3);
    }
    const answers = await db.quizAnswer.findMany({ where: { attemptId } });
    expect(answers.map((a) => [a.questionKey, a.response])).toEqual([[question.id, correctResponse(question)]]);
  });

  it("is refused, without writing, once the attempt is submitted or for someone else", async () => {
    const user = await learner();
    const other = await learner();
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz" });
    const drawn = (await getQuizAttempt({ actor: user, attemptId })).questions;
    const question = questions.find((q) => (q.kind === "single" || q.kind === "true_false") && drawn.some((d) => d.id === q.id))!;
    const foreign = await (await answerRequest(other.id, attemptId, question, true))();
    expect(foreign.status).toBe(404);
    await submitQuizAttempt({ actor: user, attemptId });
    const late = await (await answerRequest(user.id, attemptId, question, true))();
    expect(late.status).toBe(409);
    expect(await db.quizAnswer.count({ where: { attemptId } })).toBe(0);
  });

  it("never lands after grading when a save and the submit race", async () => {
    const user = await learner();
    const clock = fixedClock(new Date());
    const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
    const drawn = (await getQuizAttempt({ actor: user, attemptId, clock })).questions;
    const saves = drawn.map((d) => saveQuizAnswer({ actor: user, attemptId, questionKey: d.id, response: correctResponse(question(d.id)), clock }).then(() => "saved", (e: { messageKey?: string }) => e.messageKey));
    const [result, ...outcomes] = await Promise.all([submitQuizAttempt({ actor: user, attemptId, clock }), ...saves]);
    const answers = await db.quizAnswer.findMany({ where: { attemptId } });
    // Every answer stored was graded, every acknowledged save was stored, and the score counts exactly those.
    expect(answers.every((a) => a.points === 1)).toBe(true);
    expect(outcomes.filter((o) => o === "saved")).toHaveLength(answers.length);
    expect(outcomes.every((o) => o === "saved" || o === "quiz.alreadySubmitted")).toBe(true);
    expect(result.score).toBe((answers.length / drawn.length) * 100);
  });
});

describe("quiz submission under load", () => {
  it("grades more simultaneous submits than there are pooled connections", async () => {
    const clock = fixedClock(new Date());
    const learners = await Promise.all(Array.from({ length: 14 }, () => learner()));
    const attempts = [];
    for (const user of learners) {
      const { attemptId } = await startQuizAttempt({ actor: user, slug, itemKey: "basics-quiz", clock });
      await answerAll(user, attemptId, correctResponse, clock);
      attempts.push({ user, attemptId });
    }
    const results = await Promise.all(attempts.map(({ user, attemptId }) => submitQuizAttempt({ actor: user, attemptId, clock })));
    expect(results.map((r) => r.score)).toEqual(attempts.map(() => 100));
  });
});
