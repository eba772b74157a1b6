import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import type { Question } from "../../app/content/schema.ts";
import { answerQuestion } from "./learner-flows.ts";
import { logInPage, query } from "./support.ts";

// The connection drops while a learner works: quiz answers and SCORM progress wait on the device,
// the learner is told so, and everything reaches the server when the connection returns. Each test
// has its own learner and its own copies of the courses, so the order of tests does not matter.

const QUIZ_COURSE = "offline-e2e-quiz";
const SCORM_COURSE = "offline-e2e-scorm";

test.beforeAll(() => {
  execFileSync("npx", ["tsx", "tests/e2e/offline-setup.ts", QUIZ_COURSE, SCORM_COURSE], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "" }, stdio: "inherit" });
});

/** A learner of their own, with the demo learner's password. */
async function newLearner(tag: string) {
  const email = `offline-${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
  await query(
    `INSERT INTO "User" (id, email, name, profession, locale, "passwordHash", "emailVerifiedAt", "isAdmin", "createdAt", "updatedAt")
     SELECT $1, $2, $3, 'NURSE', 'sl', "passwordHash", now(), false, now(), now() FROM "User" WHERE email = 'learner@opora.test'`,
    [`e2e-offline-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, email, `Učenka ${tag}`],
  );
  return email;
}

async function enrol(page: Page, slug: string) {
  await page.goto(`/courses/${slug}`);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await expect(page).toHaveURL(/\/learn\//);
}

async function quizQuestions() {
  const [row] = await query<{ content: { questions: Question[] } }>(
    `SELECT i.content FROM "ContentItem" i JOIN "CourseVersion" v ON v.id = i."courseVersionId" JOIN "Course" c ON c.id = v."courseId"
     WHERE c.slug = $1 AND i.key = 'basics-quiz' ORDER BY v.number DESC LIMIT 1`,
    [QUIZ_COURSE],
  );
  return row.content.questions;
}

/** Gives the full-marks answer to the question on screen through its form controls. */
async function answerCorrectly(page: Page, questions: Question[]) {
  const key = await page.locator('input[name="questionKey"]').inputValue();
  await answerQuestion(page, questions.find((q) => q.id === key)!, true);
  return key;
}

async function startQuiz(page: Page) {
  await page.goto(`/learn/${QUIZ_COURSE}/quiz/basics-quiz`);
  await page.getByRole("button", { name: /Začni preverjanje|Nadaljuj poskus/ }).click();
  await expect(page).toHaveURL(/\/attempt\/[^/?]+(\?.*)?$/);
  return page.url().split("/attempt/")[1].split("?")[0];
}

const savedAnswers = (attemptId: string) => query<{ questionKey: string; answeredAt: Date }>(`SELECT "questionKey", "answeredAt" FROM "QuizAnswer" WHERE "attemptId" = $1`, [attemptId]);

test("quiz answers given offline wait on the device, the learner is told, and submitting waits until they are saved", async ({ page, context }, testInfo) => {
  const questions = await quizQuestions();
  await logInPage(page, await newLearner("quiz"));
  await enrol(page, QUIZ_COURSE);
  const attemptId = await startQuiz(page);
  const status = page.locator("[data-saving]");
  // The page is interactive once its outbox runs.
  await expect(status).not.toHaveAttribute("data-saving", "off");

  // Online: the answer is saved in the background and the next question is there at once.
  const first = await answerCorrectly(page, questions);
  await page.getByRole("button", { name: "Shrani in naprej" }).click();
  await expect(page.getByText("Vprašanje 2 od 5")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Vsi vaši odgovori so shranjeni." })).toBeVisible();

  // Offline: the learner goes on answering and is told the answers wait on this device.
  await context.setOffline(true);
  const offline: string[] = [];
  for (let number = 2; number <= 5; number++) {
    offline.push(await answerCorrectly(page, questions));
    await page.getByRole("button", { name: number === 5 ? "Shrani in preglej" : "Shrani in naprej" }).click();
    if (number < 5) await expect(page.getByText(`Vprašanje ${number + 1} od 5`)).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Preglejte odgovore" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Še ni shranjeno — ni povezave.");
  await expect(page.getByText("Odgovorjeno, še ni shranjeno")).toHaveCount(4);
  await expect(page.getByText("Brez odgovora")).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id} ${v.nodes[0]?.target.join(" ")}`)).toEqual([]);
  expect((await savedAnswers(attemptId)).map((a) => a.questionKey)).toEqual([first]);

  // Submitting while answers wait: nothing is sent yet, the learner is told it will be.
  await page.getByRole("button", { name: "Oddaj v ocenjevanje" }).click();
  await expect(page.getByRole("status")).toContainText("Preverjanje bo oddano, takoj ko bodo shranjeni vsi odgovori.");
  await page.screenshot({ path: testInfo.outputPath("quiz-offline.png"), fullPage: true });
  const [open] = await query<{ submittedAt: Date | null }>(`SELECT "submittedAt" FROM "QuizAttempt" WHERE id = $1`, [attemptId]);
  expect(open.submittedAt).toBeNull();

  // Back online: the answers are saved, then the attempt is submitted and graded with all of them.
  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Rezultat" })).toBeVisible({ timeout: 40_000 });
  await expect(page.getByText("Vaš rezultat: 100 %")).toBeVisible();
  const answers = await savedAnswers(attemptId);
  expect(answers.map((a) => a.questionKey).sort()).toEqual([first, ...offline].sort());
  const [graded] = await query<{ submittedAt: Date; score: number }>(`SELECT "submittedAt", score FROM "QuizAttempt" WHERE id = $1`, [attemptId]);
  expect(graded.score).toBe(100);
  expect(answers.every((a) => a.answeredAt <= graded.submittedAt)).toBe(true);
});

test("answers left on the device when the tab was closed offline are saved when the quiz is opened again", async ({ page, context }) => {
  const questions = await quizQuestions();
  await logInPage(page, await newLearner("reopen"));
  await enrol(page, QUIZ_COURSE);
  const attemptId = await startQuiz(page);
  await expect(page.locator("[data-saving]")).not.toHaveAttribute("data-saving", "off");
  await context.setOffline(true);
  const key = await answerCorrectly(page, questions);
  await page.getByRole("button", { name: "Shrani in naprej" }).click();
  await expect(page.getByRole("status")).toContainText("Še ni shranjeno");
  await page.close();
  await context.setOffline(false);

  const again = await context.newPage();
  await again.goto(`/learn/${QUIZ_COURSE}/attempt/${attemptId}?review`);
  await expect(again.getByRole("status").filter({ hasText: "Vsi vaši odgovori so shranjeni." })).toBeVisible();
  expect((await savedAnswers(attemptId)).map((a) => a.questionKey)).toEqual([key]);
});

test("without JavaScript the quiz is answered and submitted by plain forms", async ({ browser, baseURL }) => {
  const questions = await quizQuestions();
  const email = await newLearner("nojs");
  const context = await (browser as Browser).newContext({ baseURL, locale: "sl-SI", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel(/^Geslo$/).fill("opora-demo-2026");
  await page.getByRole("button", { name: "Prijava" }).click();
  await enrol(page, QUIZ_COURSE);
  const attemptId = await startQuiz(page);
  for (let number = 1; number <= 5; number++) {
    await expect(page.getByText(`Vprašanje ${number} od 5`)).toBeVisible();
    await answerCorrectly(page, questions);
    await page.getByRole("button", { name: number === 5 ? "Shrani in preglej" : "Shrani in naprej" }).click();
  }
  await expect(page.getByRole("heading", { name: "Preglejte odgovore" })).toBeVisible();
  expect(await savedAnswers(attemptId)).toHaveLength(5);
  await page.getByRole("button", { name: "Oddaj v ocenjevanje" }).click();
  await expect(page.getByRole("heading", { name: "Rezultat" })).toBeVisible();
  await expect(page.getByText("Vaš rezultat: 100 %")).toBeVisible();
  await context.close();
});

/** The SCO's document: the player frames the runtime page, which frames the SCO. */
const sco = (page: Page) => page.frameLocator("iframe[title^='Vsebina modula']").frameLocator("iframe");

const SCORM_PLAYER = `/learn/${SCORM_COURSE}/scorm/basics-package`;

async function openScorm(page: Page, tag: string) {
  const email = await newLearner(tag);
  await logInPage(page, email);
  await enrol(page, SCORM_COURSE);
  await page.goto(SCORM_PLAYER);
  await expect(sco(page).locator("#entry")).toHaveText("ab-initio");
  return email;
}

/** The learner's attempts at the package's first part, as stored. */
const storedScorm = (email: string) =>
  query<{ location: string | null; suspend: string | null }>(
    `SELECT a.location, a.cmi->'cmi'->>'suspend_data' AS suspend FROM "ScormAttempt" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 ORDER BY a.number`,
    [email],
  );

/** Whether this browser lets the runtime's frame (another site) keep a copy in localStorage. */
async function runtimeCanStore(page: Page) {
  const runtime = page.frames().find((frame) => frame.url().includes("/scorm-content/run/"));
  return runtime!.evaluate(() => {
    try {
      return typeof window.localStorage.length === "number";
    } catch {
      return false;
    }
  });
}

test("SCORM progress made offline waits while the learner is told so, and is saved and resumed once the connection returns", async ({ page, context }, testInfo) => {
  const email = await openScorm(page, "scorm");
  // Private windows (and Playwright's contexts) block third-party storage: the learner is then told
  // to keep the page open, since no copy can wait on the device.
  const offlineMessage = (await runtimeCanStore(page)) ? "Povezave ni. Napredek ostane na tej napravi" : "Povezave ni. Pustite to stran odprto";

  await context.setOffline(true);
  await sco(page).getByRole("button", { name: "Complete" }).click();
  await sco(page).getByRole("button", { name: "Score 0.8" }).click();
  await sco(page).getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByRole("status").filter({ hasText: offlineMessage })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("scorm-offline.png"), fullPage: true });
  expect(await storedScorm(email)).toEqual([{ location: null, suspend: null }]);

  await context.setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: "Vaš napredek je shranjen." })).toBeVisible({ timeout: 40_000 });
  expect(await storedScorm(email)).toEqual([{ location: "intro-page-3", suspend: "intro state: step=3;answers=b" }]);
  const [standing] = await query<{ completion: string; scoreScaled: number }>(`SELECT a.completion, a."scoreScaled" FROM "ScormAttempt" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`, [email]);
  expect(standing).toEqual({ completion: "completed", scoreScaled: 0.8 });

  // Completed and scored, the first part no longer opens by itself: the learner picks it.
  await page.goto(`${SCORM_PLAYER}?sco=item-intro`);
  await expect(sco(page).locator("#entry")).toHaveText("resume");
  await expect(sco(page).locator("#location")).toHaveText("intro-page-3");
  await expect(sco(page).locator("#suspend-data")).toHaveText("intro state: step=3;answers=b");
});
