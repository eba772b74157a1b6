import { execFileSync } from "node:child_process";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { DEMO, logInPage, query } from "./support.ts";

// SCORM as trainers and learners meet it: an upload (and a refused one), play, leave, resume with the
// same location and 10,000 characters of suspend_data, pass, the module and course complete; and a
// hostile package that can neither reach the signed-in learner nor take the page away.

const COURSE = "scorm-e2e";
const HOSTILE_COURSE = "scorm-e2e-hostile";
const GOLF_COURSE = "scorm-e2e-golf";
let zips: string;

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructured first argument
test.beforeAll(({}, testInfo) => {
  zips = testInfo.outputPath("scorm-zips");
  execFileSync("npx", ["tsx", "tests/e2e/scorm-setup.ts", zips, COURSE, HOSTILE_COURSE, GOLF_COURSE], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "" }, stdio: "inherit" });
});

async function upload(page: Page, course: string, file: string) {
  await page.goto(`/author/courses/${course}/scorm`);
  await page.getByLabel("Modul", { exact: true }).selectOption("basics");
  await page.getByLabel(/^Paket \(\.zip/).setInputFiles(join(zips, file));
  await page.getByRole("button", { name: "Naloži in objavi" }).click();
}

const scoFrameUrl = (page: Page) => page.frames().find((f) => f.url().includes("/scorm-content/p/"))?.url() ?? "";

/** The SCO's document: the player frames the runtime page, which frames the SCO. */
const sco = (page: Page) => page.frameLocator("iframe[title^='Vsebina modula']").frameLocator("iframe");

test.describe.configure({ mode: "serial" });

test("a trainer uploads packages; a broken one is refused with the reason", async ({ page }, testInfo) => {
  await logInPage(page, DEMO.admin);
  await upload(page, COURSE, "hostile-traversal.zip");
  await expect(page.getByRole("alert")).toContainText("Zip vsebuje pot, ki kaže zunaj paketa");
  await upload(page, COURSE, "large-suspend-12.zip");
  await expect(page.getByRole("status")).toContainText("Objavljeno");
  await expect(page.getByRole("status")).toContainText("SCORM 1.2");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("upload.png"), fullPage: true });
  await upload(page, HOSTILE_COURSE, "hostile-js-12.zip");
  await expect(page.getByRole("status")).toContainText("Objavljeno");
  await upload(page, GOLF_COURSE, "golf-like-2004-4th.zip");
  await expect(page.getByRole("status")).toContainText("SCORM 2004");
});

test("a learner plays, leaves, resumes where they were with all their data, passes and completes the course", async ({ page }, testInfo) => {
  await logInPage(page, DEMO.learner);
  await page.goto(`/courses/${COURSE}`);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await expect(page).toHaveURL(/\/learn\//);
  await page.goto(`/learn/${COURSE}/scorm/basics-package`);
  await expect(sco(page).locator("#entry")).toHaveText("ab-initio");
  await sco(page).getByRole("button", { name: "Save progress" }).click();
  await expect(sco(page).locator("#saved-length")).toHaveText("10000");
  await expect(page.getByRole("status").filter({ hasText: "Vaš napredek je shranjen." })).toBeVisible();
  const savedChecksum = await sco(page).locator("#saved-checksum").textContent();

  // Leave, come back: the same attempt resumes at page-7 with the same 10,000 characters.
  await page.goto(`/learn/${COURSE}`);
  await page.goto(`/learn/${COURSE}/scorm/basics-package`);
  await expect(sco(page).locator("#entry")).toHaveText("resume");
  await expect(sco(page).locator("#location")).toHaveText("page-7");
  await expect(sco(page).locator("#resume-length")).toHaveText("10000");
  await expect(sco(page).locator("#resume-checksum")).toHaveText(savedChecksum ?? "");
  await expect(sco(page).locator("#resume-match")).toHaveText("yes");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]).exclude("iframe").analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await sco(page).getByRole("button", { name: "Pass" }).click();
  await expect(page.getByText("Ta modul ste zaključili.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("player-done.png"), fullPage: true });
  const [attempt] = await query<{ scoreRaw: number; success: string; location: string; suspend: number }>(
    `SELECT a."scoreRaw", a.success, a.location, length(a.cmi->'cmi'->>'suspend_data') AS suspend FROM "ScormAttempt" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a."itemKey" = 'basics-package'`,
    [DEMO.learner],
  );
  expect(attempt).toMatchObject({ scoreRaw: 85, success: "passed", location: "page-7", suspend: 10_000 });
  // The package was the course's only module for a first completion: the course is complete.
  await page.getByRole("link", { name: "Nazaj na tečaj" }).first().click();
  await expect(page.getByText(/potrdilo/i).first()).toBeVisible();
});

test("a hostile package cannot act as the learner or leave the player, and its score still counts", async ({ page, baseURL }) => {
  await logInPage(page, DEMO.learner2);
  await page.goto(`/courses/${HOSTILE_COURSE}`);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await expect(page).toHaveURL(/\/learn\//);
  const player = `/learn/${HOSTILE_COURSE}/scorm/basics-package`;
  await page.goto(player);
  const frame = sco(page);
  await expect(frame.locator("#report[data-done='true']")).toBeAttached({ timeout: 20_000 });
  for (const check of ["top-cookie", "top-document"]) await expect(frame.locator(`#report li[data-check='${check}']`)).toHaveAttribute("data-outcome", "blocked");
  // Its own cookie jar is another site's: empty of Opora's session.
  await expect(frame.locator("#report li[data-check='own-cookie']")).not.toContainText("opora_session");
  // Whatever the package tried, the learner is still on the player, signed in, and the score counted.
  await expect(page).toHaveURL(new RegExp(`${player}$`));
  await expect(page.getByText("Ta modul ste zaključili.")).toBeVisible();

  // The app's own origin never serves package files, however the path is written.
  const fileUrl = new URL(scoFrameUrl(page));
  for (const path of [fileUrl.pathname, fileUrl.pathname.replace("/scorm-content/", "/SCORM-CONTENT/"), fileUrl.pathname.replace("/scorm-content/", "/%73corm-content/")]) {
    expect((await page.request.get(`${baseURL}${path}`)).status(), path).toBe(404);
  }
  expect((await page.request.get(fileUrl.href)).status()).toBe(200);

  // Requests from the package's frame to Opora: an authenticated read fails (no CORS, no cookie),
  // and a state-changing POST (log out) is refused, so the learner stays signed in.
  const scoFrame = page.frames().find((f) => f.url().includes("/scorm-content/p/"));
  expect(scoFrame, "the SCO frame").toBeTruthy();
  const read = await scoFrame!.evaluate(async (origin) => {
    try {
      const response = await fetch(`${origin}/settings/privacy/data.json`, { credentials: "include" });
      return `read ${response.status}: ${(await response.text()).slice(0, 40)}`;
    } catch (error) {
      return `blocked: ${(error as Error).name}`;
    }
  }, baseURL);
  expect(read).toMatch(/^blocked/);
  await scoFrame!.evaluate(async (origin) => {
    await fetch(`${origin}/logout`, { method: "POST", mode: "no-cors", credentials: "include" }).catch(() => null);
  }, baseURL);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/settings$/);
  const [attempt] = await query<{ scoreRaw: number; success: string }>(`SELECT a."scoreRaw", a.success FROM "ScormAttempt" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`, [DEMO.learner2]);
  expect(attempt).toMatchObject({ scoreRaw: 90, success: "passed" });
});

test("a three-part SCORM 2004 package: the contents, the package's own Next, and saving while offline", async ({ page }, testInfo) => {
  await logInPage(page, DEMO.learner);
  await page.goto(`/courses/${GOLF_COURSE}`);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await expect(page).toHaveURL(/\/learn\//);
  await page.goto(`/learn/${GOLF_COURSE}/scorm/basics-package`);
  const contents = page.getByRole("navigation", { name: "Deli tega modula" });
  await expect(contents.getByRole("listitem").getByRole("link")).toHaveText(["Introduction", "Practice", "Quiz"]);
  await expect(contents.getByRole("link", { name: "Introduction" })).toHaveAttribute("aria-current", "page");
  // The package may offer its own Next (there is a part after this one), not Previous.
  await expect(sco(page).locator("#nav-valid")).toHaveText("continue true, previous false");

  // The first part is completed and passed, then the package asks for the next part itself.
  await sco(page).getByRole("button", { name: "Complete" }).click();
  await sco(page).getByRole("button", { name: "Pass" }).click();
  await sco(page).getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/\?sco=item-practice$/);
  await expect(contents.getByRole("link", { name: "Practice" })).toHaveAttribute("aria-current", "page");
  await expect(contents.getByRole("listitem").filter({ hasText: "Introduction" })).toContainText("Opravljeno");

  // Offline: the learner is told their progress waits on this device; back online, it is saved.
  await expect(sco(page).locator("#entry")).toHaveText("ab-initio");
  await page.context().setOffline(true);
  await sco(page).getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Povezave ni." })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("offline.png"), fullPage: true });
  await page.context().setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: "Vaš napredek je shranjen." })).toBeVisible({ timeout: 40_000 });
  await page.reload();
  await expect(sco(page).locator("#entry")).toHaveText("resume");
  await expect(sco(page).locator("#location")).toHaveText("practice-page-3");
});
