import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub, useLoaderData } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { authorableCoursesWithQuizzes, getCourseQuizAnalysis, getOrganisationQuizAnalysis } from "../../app/authoring/item-analysis.server.ts";
import { ItemAnalysisView } from "../../app/authoring/item-analysis-view.tsx";
import type { Question } from "../../app/content/schema.ts";
import type { QuizItem } from "../../app/content/types.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { getQuizAttempt, saveQuizAnswer, startQuizAttempt, submitQuizAttempt } from "../../app/domain/quiz-attempts.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";
import { correctResponse, importFixtureCourse, wrongResponse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";

// The fixture quiz (tests/fixtures/courses/valid-minimal/01-basics/quiz.yaml) draws 5 of its 6
// questions. Its draw is shuffled with the injected random source: HIGH keeps the file's order (the
// last question, emergency-number, is left out); LOW leaves out the first, three-elements.
const HIGH = () => 0.999;
const LOW = () => 0;
const QUIZ = "basics-quiz";
const clock = fixedClock("2027-04-01T09:00:00Z");
type Actor = { id: string; isAdmin: boolean };
const asActor = (user: { id: string }): Actor => ({ id: user.id, isAdmin: false });

let questions: Question[];
async function importCourse(slug: string) {
  const course = await importFixtureCourse(slug);
  questions = (course.modules[0].items.find((i) => i.type === "quiz") as QuizItem).quiz.questions;
  return db.course.findUniqueOrThrow({ where: { slug }, select: { id: true } });
}

/** One attempt: every drawn question answered, correctly unless listed in `wrong`; submitted unless `submit` is false. */
async function takeQuiz(slug: string, actor: Actor, random: () => number, { wrong = [] as string[], submit = true } = {}) {
  const { attemptId } = await startQuizAttempt({ actor, slug, itemKey: QUIZ, clock, random });
  const attempt = await getQuizAttempt({ actor, attemptId, clock });
  for (const drawn of attempt.questions) {
    const question = questions.find((q) => q.id === drawn.id)!;
    await saveQuizAnswer({ actor, attemptId, questionKey: drawn.id, response: wrong.includes(drawn.id) ? wrongResponse(question) : correctResponse(question), clock });
  }
  if (submit) await submitQuizAttempt({ actor, attemptId, clock });
  return attempt.questions.map((q) => q.id);
}

/** The page as the stub's root route renders it: the locale and the analysis come as its loader data. */
function AnalysisPage() {
  const { analysis } = useLoaderData() as { analysis: Parameters<typeof ItemAnalysisView>[0]["analysis"] };
  return createElement(ItemAnalysisView, { analysis, backTo: "/", backLabel: "Back" });
}

const ALL = ["three-elements", "indicators-multi", "consent-irrelevant", "match-forms", "order-steps", "emergency-number"];
const row = (analysis: { questions: Array<{ key: string; shown: number; fullyCorrect: number }> }) => Object.fromEntries(analysis.questions.map((q) => [q.key, [q.shown, q.fullyCorrect]]));

describe("quiz item analysis", () => {
  const slug = "item-analysis-fixture";
  let courseId: string;
  let hospitalA: Awaited<ReturnType<typeof createOrganisationWithMembers>>;
  let hospitalB: Awaited<ReturnType<typeof createOrganisationWithMembers>>;

  beforeAll(async () => {
    courseId = (await importCourse(slug)).id;
    hospitalA = await createOrganisationWithMembers({ boss: ["ORGANISER"], teacher: ["TRAINER"], ana: ["LEARNER"], bojan: ["LEARNER"], cene: ["LEARNER"], dragica: ["LEARNER"], fran: ["LEARNER"] });
    hospitalB = await createOrganisationWithMembers({ bossB: ["ORGANISER"], teacherB: ["TRAINER"], eva: ["LEARNER"] });
    // Hospital A owns the course, so its trainers may change it (and read the analysis of it).
    await db.course.update({ where: { id: courseId }, data: { ownerOrganisationId: hospitalA.organisation.id } });
    const { ana, bojan, cene, dragica, fran } = hospitalA.people;
    for (const person of [ana, bojan, cene, dragica, fran, hospitalB.people.eva]) await enrol({ actor: asActor(person), slug, clock });

    expect(await takeQuiz(slug, asActor(ana), HIGH)).not.toContain("emergency-number");
    await takeQuiz(slug, asActor(bojan), HIGH, { wrong: ["three-elements"] });
    // Cene fails everything first (three-elements not drawn), then passes.
    expect(await takeQuiz(slug, asActor(cene), LOW, { wrong: ALL })).not.toContain("three-elements");
    await takeQuiz(slug, asActor(cene), HIGH);
    // Dragica then leaves hospital A: its organisers no longer see her.
    await takeQuiz(slug, asActor(dragica), HIGH);
    await db.membership.updateMany({ where: { userId: dragica.id, organisationId: hospitalA.organisation.id }, data: { endedAt: clock.now() } });
    // Fran's attempt is still open: not counted anywhere.
    await takeQuiz(slug, asActor(fran), HIGH, { wrong: ALL, submit: false });
    // Eva is of hospital B.
    await takeQuiz(slug, asActor(hospitalB.people.eva), LOW, { wrong: ["indicators-multi"] });
  });

  it("counts an organisation's current members' submitted attempts for its organiser", async () => {
    const analysis = await getOrganisationQuizAnalysis({ actor: asActor(hospitalA.people.boss), organisationId: hospitalA.organisation.id, courseId, itemKey: QUIZ });
    // Ana, Bojan and Cene (twice); not Dragica (left), Fran (not submitted) or Eva (hospital B).
    expect([analysis.attempts, analysis.people]).toEqual([4, 3]);
    expect(analysis.questions.map((q) => q.key)).toEqual(ALL);
    expect(row(analysis)).toEqual({
      "three-elements": [3, 2],
      "indicators-multi": [4, 3],
      "consent-irrelevant": [4, 3],
      "match-forms": [4, 3],
      "order-steps": [4, 3],
      "emergency-number": [1, 0],
    });
    const byKey = Object.fromEntries(analysis.questions.map((q) => [q.key, q]));
    expect(byKey["three-elements"].facility).toBeCloseTo(2 / 3, 10);
    expect(byKey["three-elements"].commonWrongOption).toMatchObject({ id: "border-crossing", text: { en: "Crossing a border" }, chosen: 1, share: 1 / 3 });
    expect(byKey["indicators-multi"].commonWrongOption).toMatchObject({ id: "tourist", chosen: 1, share: 1 / 4 });
    expect(byKey["consent-irrelevant"].commonWrongOption).toBeNull();
    // First attempts: Ana's and Bojan's drew three-elements, Cene's first did not.
    expect(byKey["three-elements"].discrimination).toEqual({ status: "too-few", firstAttempts: 2 });
    expect(byKey["indicators-multi"].discrimination).toEqual({ status: "too-few", firstAttempts: 3 });
    expect(byKey["emergency-number"].discrimination).toEqual({ status: "too-few", firstAttempts: 1 });
    // define-trafficking: three-elements, consent-irrelevant, match-forms; recognise-indicators: the other three.
    expect(analysis.outcomes).toEqual([
      { id: "define-trafficking", text: { sl: "Opredeliti trgovino z ljudmi", en: "Define trafficking" }, questions: 3, shown: 11, fullyCorrect: 8, facility: 8 / 11 },
      { id: "recognise-indicators", text: { sl: "Prepoznati znake", en: "Recognise indicators" }, questions: 3, shown: 9, fullyCorrect: 6, facility: 6 / 9 },
    ]);

    const forB = await getOrganisationQuizAnalysis({ actor: asActor(hospitalB.people.bossB), organisationId: hospitalB.organisation.id, courseId, itemKey: QUIZ });
    expect([forB.attempts, forB.people]).toEqual([1, 1]);
    expect(row(forB)["indicators-multi"]).toEqual([1, 0]);
  });

  it("shows every learner of the course to its trainers and admins", async () => {
    const admin = await createUser({ isAdmin: true });
    // The authoring index links to it for each quiz of the course.
    const authorable = await authorableCoursesWithQuizzes(asActor(hospitalA.people.teacher));
    expect(authorable.map((course) => [course.slug, course.quizzes])).toEqual([[slug, [{ key: QUIZ, title: { sl: "Preverjanje osnov", en: "Basics check" } }]]]);
    for (const actor of [asActor(hospitalA.people.teacher), { id: admin.id, isAdmin: true }]) {
      const analysis = await getCourseQuizAnalysis({ actor, slug, itemKey: QUIZ });
      expect([analysis.attempts, analysis.people]).toEqual([6, 5]);
      expect(row(analysis)).toEqual({
        "three-elements": [4, 3],
        "indicators-multi": [6, 4],
        "consent-irrelevant": [6, 5],
        "match-forms": [6, 5],
        "order-steps": [6, 5],
        "emergency-number": [2, 1],
      });
      expect(analysis.questions[1].commonWrongOption).toMatchObject({ id: "tourist", chosen: 2, share: 2 / 6 });
      expect(analysis.outcomes.map((o) => [o.id, o.shown, o.fullyCorrect])).toEqual([
        ["define-trafficking", 16, 13],
        ["recognise-indicators", 14, 10],
      ]);
    }
  });

  it("refuses other organisations' organisers, guessed ids, learners and other trainers", async () => {
    const orgA = hospitalA.organisation.id;
    const bossA = asActor(hospitalA.people.boss);
    const other = await importCourse("item-analysis-elsewhere");
    await expect(getOrganisationQuizAnalysis({ actor: asActor(hospitalB.people.bossB), organisationId: orgA, courseId, itemKey: QUIZ })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getOrganisationQuizAnalysis({ actor: bossA, organisationId: hospitalB.organisation.id, courseId, itemKey: QUIZ })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A course nobody of hospital A takes, and items that are not quizzes of the course.
    await expect(getOrganisationQuizAnalysis({ actor: bossA, organisationId: orgA, courseId: other.id, itemKey: QUIZ })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getOrganisationQuizAnalysis({ actor: bossA, organisationId: orgA, courseId: "no-such-course", itemKey: QUIZ })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getOrganisationQuizAnalysis({ actor: bossA, organisationId: orgA, courseId, itemKey: "what-is-it" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getCourseQuizAnalysis({ actor: asActor(hospitalA.people.teacher), slug, itemKey: "no-such-quiz" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Learners, organisers who are not trainers, and trainers of another organisation.
    await expect(getOrganisationQuizAnalysis({ actor: asActor(hospitalA.people.ana), organisationId: orgA, courseId, itemKey: QUIZ })).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const person of [hospitalA.people.ana, hospitalA.people.boss, hospitalB.people.teacherB]) {
      await expect(getCourseQuizAnalysis({ actor: asActor(person), slug, itemKey: QUIZ })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("answers the pages with 403 and 404 as other pages do", async () => {
    const signedIn = async (userId: string, path: string) => {
      const cookie = await createSessionCookie(new Request("http://opora.test/"), userId);
      return new Request(`http://opora.test${path}`, { headers: { Cookie: cookie.split(";")[0] } });
    };
    const statusOf = async (work: Promise<unknown>) => ((await work.then(() => null, (thrown) => thrown)) as { init?: { status?: number } } | null)?.init?.status;
    const orgRoute = await import("../../app/routes/org/quiz-analysis.tsx");
    const authorRoute = await import("../../app/routes/author/quiz-analysis.tsx");
    const orgParams = { orgId: hospitalA.organisation.id, courseId, itemKey: QUIZ };
    const orgPath = `/org/${orgParams.orgId}/courses/${courseId}/quizzes/${QUIZ}/analysis`;
    const authorPath = `/author/courses/${slug}/quizzes/${QUIZ}/analysis`;
    const load = (route: { loader: (args: never) => unknown }, userId: string, path: string, params: object) => signedIn(userId, path).then((request) => route.loader({ request, params, context: {} } as never));
    expect(await statusOf(load(orgRoute, hospitalA.people.ana.id, orgPath, orgParams))).toBe(403);
    expect(await statusOf(load(orgRoute, hospitalB.people.bossB.id, orgPath, orgParams))).toBe(404);
    expect(await statusOf(load(authorRoute, hospitalA.people.ana.id, authorPath, { slug, itemKey: QUIZ }))).toBe(403);
    expect(await load(orgRoute, hospitalA.people.boss.id, orgPath, orgParams)).toMatchObject({ attempts: 4, people: 3 });
  });

  it("says on the page how the figures are computed and why discrimination is hidden", async () => {
    const analysis = await getOrganisationQuizAnalysis({ actor: asActor(hospitalA.people.boss), organisationId: hospitalA.organisation.id, courseId, itemKey: QUIZ });
    const Stub = createRoutesStub([{ id: "root", path: "/", Component: AnalysisPage }]);
    const html = renderToString(createElement(Stub, { hydrationData: { loaderData: { root: { locale: "en", analysis } } } }))
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, " ");
    expect(html).toContain("Item analysis: Basics check");
    expect(html).toContain(`the submitted attempts of the current members of ${hospitalA.organisation.name}`);
    expect(html).toContain("r = (M1 − M0) ÷ s × √(p × q)");
    expect(html).toContain("Discrimination is shown only when at least 20 first attempts include the question");
    expect(html).toContain("Hidden: first attempts with this question: 2 (at least 20 needed).");
    expect(html).toContain("Crossing a border (33% of showings)");
    expect(html).toContain("Define trafficking 3 73% (8 of 11)");
  });
});

describe("quiz item analysis with enough first attempts", () => {
  it("shows discrimination computed on each learner's first attempt only", async () => {
    const slug = "item-analysis-discrimination";
    await importCourse(slug);
    const admin = { id: (await createUser({ isAdmin: true })).id, isAdmin: true };
    // Ten learners answer everything correctly; ten answer everything wrong at first, then retake
    // and miss only three-elements. On first attempts each question's correctness goes with the
    // rest of the attempt exactly (r = 1); counting the retakes, three-elements would not.
    const learners = await Promise.all(Array.from({ length: 20 }, (_, index) => db.user.create({ data: { email: `analysis-${index}@example.org`, name: `Learner ${index}`, profession: "NURSE" }, select: { id: true } })));
    for (const [index, learner] of learners.entries()) {
      const actor = asActor(learner);
      await enrol({ actor, slug, clock });
      if (index < 10) {
        await takeQuiz(slug, actor, HIGH);
      } else {
        await takeQuiz(slug, actor, HIGH, { wrong: ALL });
        await takeQuiz(slug, actor, HIGH, { wrong: ["three-elements"] });
      }
    }
    const analysis = await getCourseQuizAnalysis({ actor: admin, slug, itemKey: QUIZ });
    expect([analysis.attempts, analysis.people]).toEqual([30, 20]);
    const byKey = Object.fromEntries(analysis.questions.map((q) => [q.key, q]));
    for (const key of ALL.slice(0, 5)) expect(byKey[key].discrimination, key).toEqual({ status: "shown", value: expect.closeTo(1, 10), firstAttempts: 20 });
    expect(byKey["three-elements"].facility).toBeCloseTo(10 / 30, 10);
    expect(byKey["order-steps"].facility).toBeCloseTo(20 / 30, 10);
    // Never drawn (HIGH leaves it out): no figures rather than NaN.
    expect(byKey["emergency-number"]).toMatchObject({ shown: 0, facility: null, discrimination: { status: "too-few", firstAttempts: 0 } });
  });
});
