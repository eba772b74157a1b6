import { expect, test } from "@playwright/test";
import { completeCourse, expectNoAxeViolations, logIn, newLearner } from "./learner-flows.ts";
import { query } from "./support.ts";

// A learner takes the whole bundled course in the browser: every lesson, every module quiz (the
// first one failed once, then passed), every branching case by its safe path and the final
// assessment, on a desktop and on a phone; closes the browser half way and resumes where they were.

const SLUG = "recognising-trafficking";

for (const viewport of [{ name: "desktop", width: 1280, height: 800 }, { name: "phone", width: 360, height: 740 }]) {
  test(`a learner completes the whole course on a ${viewport.name}`, async ({ browser, baseURL }) => {
    test.setTimeout(300_000);
    const email = await newLearner(viewport.name);
    const context = await browser.newContext({ baseURL, locale: "sl-SI", viewport, hasTouch: viewport.name === "phone" });
    let page = await context.newPage();
    await logIn(page, email);
    await page.goto(`/courses/${SLUG}`);
    await page.getByRole("button", { name: "Vpis v tečaj" }).click();
    await expect(page.getByText("Opravljeno 0 %")).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Začni" }).click();
    await page.waitForURL(/\/lesson\//);
    page = await completeCourse(page, email, { slug: SLUG, resumeAfter: 4, failFirstQuiz: true });

    await page.goto(`/learn/${SLUG}`);
    await expect(page.getByText("Tečaj ste zaključili. Čestitamo.")).toBeVisible();
    await page.goto("/");
    await expect(page.getByText("Zaključeno", { exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
    const [enrolment] = await query<{ completedAt: Date | null; failed: number }>(
      `SELECT e."completedAt", (SELECT count(*)::int FROM "QuizAttempt" a WHERE a."enrolmentId" = e.id AND a.passed = false) AS failed
       FROM "Enrolment" e JOIN "User" u ON u.id = e."userId" WHERE u.email = $1`,
      [email],
    );
    expect(enrolment.completedAt).not.toBeNull();
    expect(enrolment.failed).toBe(1);

    // The certificate was issued with the completion: listed, downloadable and publicly verifiable.
    await page.goto("/me/certificates");
    await expect(page.getByText("Veljavno", { exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Prenesi PDF" }).click();
    expect((await download).suggestedFilename()).toMatch(/^opora-certificate-[0-9A-Z]{16}\.pdf$/);
    await page.getByRole("link", { name: "Javna stran za preverjanje" }).click();
    await expect(page.getByRole("status")).toContainText("je veljavno");
    await expect(page.getByText(`Učenka ${viewport.name}`)).toBeVisible();
    await expectNoAxeViolations(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
}

test("a locked module says why, and another learner's attempt is not found", async ({ page }) => {
  const email = await newLearner("locked");
  await logIn(page, email);
  await page.goto(`/courses/${SLUG}`);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await page.waitForURL(`**/learn/${SLUG}`);
  const response = await page.goto(`/learn/${SLUG}/lesson/why-health-workers`);
  expect(response?.status()).toBe(403);
  await expect(page.getByText("Ta modul se odpre, ko zaključite prejšnjega.")).toBeVisible();
  const [other] = await query<{ id: string }>(`SELECT id FROM "QuizAttempt" LIMIT 1`);
  if (other) expect((await page.goto(`/learn/${SLUG}/attempt/${other.id}`))?.status()).toBe(404);
});
