import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import type { CaseFile, Question } from "../../app/content/schema.ts";
import { correctResponse, wrongResponse } from "../support/responses.ts";
import { DEMO_PASSWORD, query } from "./support.ts";

// What a learner does in the browser, shared by the specs that take courses: signing in, answering
// quiz questions through their controls, playing cases by their safe path, taking a whole course.


/** A new verified learner with the demo password (copied from the demo learner), optionally a member of an organisation. */
export async function newLearner(tag: string, organisationId?: string) {
  const email = `${tag}-${Date.now().toString(36)}@example.org`;
  await query(
    `INSERT INTO "User" (id, email, name, profession, locale, "passwordHash", "emailVerifiedAt", "isAdmin", "createdAt", "updatedAt")
     SELECT $1, $2, $3, 'NURSE', 'sl', "passwordHash", now(), false, now(), now() FROM "User" WHERE email = 'learner@opora.test'`,
    [`e2e-${tag}-${Date.now()}`, email, `Učenka ${tag}`],
  );
  if (organisationId) {
    await query(`INSERT INTO "Membership" (id, "userId", "organisationId", roles, "createdAt") SELECT $1, id, $2, ARRAY['LEARNER'], now() FROM "User" WHERE email = $3`, [`e2e-m-${tag}-${Date.now()}`, organisationId, email]);
  }
  return email;
}

/** An item's content in the newest version of a course. */
export async function itemContent<T>(slug: string, key: string): Promise<T> {
  const [row] = await query<{ content: T }>(
    `SELECT i.content FROM "ContentItem" i JOIN "CourseVersion" v ON v.id = i."courseVersionId" JOIN "Course" c ON c.id = v."courseId"
     WHERE c.slug = $1 AND i.key = $2 ORDER BY v.number DESC LIMIT 1`,
    [slug, key],
  );
  return row.content;
}

export async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel(/^Geslo$/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Prijava" }).click();
  await expect(page.getByRole("heading", { name: /Pozdravljeni/ })).toBeVisible();
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${page.url()}: ${v.id} ${v.nodes[0]?.target.join(" ")}`)).toEqual([]);
}

/** Fills the question on screen through its form controls, as a learner would. */
export async function answerQuestion(page: Page, question: Question, correct: boolean) {
  const response = correct ? correctResponse(question) : wrongResponse(question);
  if ("optionId" in response) await page.locator(`input[name="optionId"][value="${response.optionId}"]`).check();
  else if ("optionIds" in response) for (const id of response.optionIds) await page.locator(`input[name="optionIds"][value="${id}"]`).check();
  else if ("value" in response) await page.getByRole("radio", { name: response.value ? "Drži" : "Ne drži", exact: true }).check();
  else if ("pairs" in response) for (const [left, right] of Object.entries(response.pairs)) await page.locator(`select[name="match:${left}"]`).selectOption(right);
  else if ("order" in response) for (const [index, id] of response.order.entries()) await page.locator(`select[name="position:${id}"]`).selectOption(String(index + 1));
  else await page.getByLabel("Vaš odgovor").fill(response.text);
}

export async function takeQuiz(page: Page, slug: string, quizKey: string, correct: boolean, checkAxe: boolean) {
  const quiz = await itemContent<{ questions: Question[] }>(slug, quizKey);
  await page.getByRole("button", { name: /Začni preverjanje|Nadaljuj poskus/ }).click();
  await expect(page).toHaveURL(/\/attempt\//);
  for (let guard = 0; guard < 40; guard++) {
    if (await page.getByRole("heading", { name: "Preglejte odgovore" }).isVisible()) break;
    const key = await page.locator('input[name="questionKey"]').inputValue();
    await answerQuestion(page, quiz.questions.find((q) => q.id === key)!, correct);
    if (checkAxe && guard === 0) await expectNoAxeViolations(page);
    const last = (await page.getByText(/^Vprašanje \d+ od \d+$/).textContent())?.match(/(\d+) od (\d+)/);
    await page.getByRole("button", { name: /Shrani in (naprej|preglej)/ }).click();
    // Wait for the next question (or the review) to be on screen, not just for the URL to change.
    if (last && last[1] === last[2]) await expect(page.getByRole("heading", { name: "Preglejte odgovore" })).toBeVisible();
    else await expect(page.locator('input[name="questionKey"]')).not.toHaveValue(key);
  }
  await expect(page.getByRole("heading", { name: "Preglejte odgovore" })).toBeVisible();
  await expect(page.getByText("Brez odgovora")).toHaveCount(0);
  await page.getByRole("button", { name: "Oddaj v ocenjevanje" }).click();
  await expect(page.getByRole("heading", { name: "Rezultat" })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
}

/** The choices from the start to a safe debrief (breadth-first over the case graph). */
export function safePath(content: Omit<CaseFile, "id" | "title">) {
  const queue: Array<{ node: string; path: string[] }> = [{ node: content.start, path: [] }];
  const seen = new Set<string>();
  while (queue.length) {
    const { node, path } = queue.shift()!;
    const current = content.nodes.find((n) => n.id === node)!;
    if (current.debrief && current.outcome === "safe") return path;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const choice of current.choices) queue.push({ node: choice.next, path: [...path, choice.id] });
  }
  throw new Error("no safe path");
}

export async function playCase(page: Page, slug: string, caseKey: string, checkAxe: boolean) {
  const content = await itemContent<Omit<CaseFile, "id" | "title">>(slug, caseKey);
  for (const choiceId of safePath(content)) {
    const node = content.nodes.find((n) => n.choices.some((c) => c.id === choiceId))!;
    const text = node.choices.find((c) => c.id === choiceId)!.text.sl!;
    await page.getByRole("button", { name: text.trim() }).click();
    await expect(page.getByRole("heading", { name: "Kaj se je zgodilo" })).toBeVisible();
  }
  await expect(page.getByRole("status")).toHaveText("Primer je opravljen.");
  if (checkAxe) await expectNoAxeViolations(page);
}

/**
 * Takes a course from its first item to the end as a learner would: reads every lesson, takes every
 * quiz (failing the first once when asked), plays every case by its safe path. `resumeAfter` closes
 * the browser after that many lessons and checks "continue" lands on the next item.
 */
export async function completeCourse(page: Page, email: string, { slug, resumeAfter = 0, failFirstQuiz = false }: { slug: string; resumeAfter?: number; failFirstQuiz?: boolean }) {
  let lessonsRead = 0;
  let failedOnce = !failFirstQuiz;
  const axeChecked = new Set<string>();
  for (let step = 0; step < 120; step++) {
    const url = new URL(page.url());
    const [, , , kind, key] = url.pathname.split("/");
    const checkAxe = !axeChecked.has(kind);
    axeChecked.add(kind);
    if (kind === "lesson") {
      await expect(page.getByRole("complementary", { name: "Če se vas to osebno dotika" })).toBeVisible();
      if (checkAxe) await expectNoAxeViolations(page);
      await page.getByRole("button", { name: /Prebrano, naprej/ }).click();
      await page.waitForURL((next) => next.pathname !== url.pathname);
      lessonsRead++;
      if (lessonsRead === resumeAfter) {
        // Close the browser and come back: "continue" must land exactly on the next item.
        const expected = new URL(page.url()).pathname;
        const context = page.context();
        const browser = context.browser()!;
        await context.close();
        const fresh = await browser.newContext({ baseURL: url.origin, locale: "sl-SI", viewport: page.viewportSize() ?? undefined });
        page = await fresh.newPage();
        await logIn(page, email);
        await page.getByRole("link", { name: "Nadaljuj" }).click();
        await expect(page).toHaveURL(new RegExp(`${expected}$`));
      }
    } else if (kind === "quiz") {
      const failNow = !failedOnce;
      if (failNow) {
        await takeQuiz(page, slug, key, false, checkAxe);
        await expect(page.getByRole("status")).toContainText("praga za uspeh niste dosegli");
        failedOnce = true;
        await page.getByRole("link", { name: "Poskusi znova" }).click();
      }
      await takeQuiz(page, slug, key, true, failNow ? false : checkAxe);
      await expect(page.getByRole("status")).toHaveText("Preverjanje ste uspešno opravili.");
      const next = page.getByRole("link", { name: /Nadaljuj/ });
      if (!(await next.count())) break;
      await next.click();
      await page.waitForURL((u) => !u.pathname.includes("/attempt/"));
    } else if (kind === "case") {
      await playCase(page, slug, key, checkAxe);
      await page.getByRole("link", { name: /Nadaljuj/ }).click();
      await page.waitForURL((u) => u.pathname !== url.pathname);
    } else {
      throw new Error(`unexpected page ${url.pathname}`);
    }
  }
  return page;
}

