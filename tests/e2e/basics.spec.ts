import { expect, test } from "@playwright/test";
import { DEMO, logInPage } from "./support.ts";

test("health check reports the database", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", db: "ok" });
});

test("unknown addresses get a real 404 page in the app shell", async ({ page }) => {
  const response = await page.goto("/this/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Strani ni mogoče najti" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Nazaj na začetno stran" })).toBeVisible();
});

test("the public pages load without a failed request or a console error, icon included", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
  for (const path of ["/", "/login", "/courses", "/verify"]) await page.goto(path, { waitUntil: "networkidle" });
  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(icon).toBe("/favicon.svg");
  const response = await page.request.get(icon!);
  expect([response.status(), response.headers()["content-type"]]).toEqual([200, "image/svg+xml"]);
  expect(problems).toEqual([]);
});

test("every page carries a nonce-based CSP and the other security headers", async ({ request }) => {
  const response = await request.get("/login");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const html = await response.text();
  const nonce = headers["content-security-policy"].match(/'nonce-([^']+)'/)![1];
  expect(html).toContain(`nonce="${nonce}"`);
});

test("a form posted from another site is refused", async ({ request }) => {
  const response = await request.post("/login", { headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }, form: { email: DEMO.learner, password: "opora-demo-2026" }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
});

test("language follows Accept-Language, the switch, and then the account setting", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recognise. Respond safely. Refer.");
  await page.getByRole("button", { name: "Slovenščina" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "sl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Prepoznati. Varno ukrepati. Napotiti.");

  await logInPage(page, DEMO.learner2);
  await page.goto("/settings");
  await page.getByLabel("Jezik").selectOption("en");
  await page.getByRole("button", { name: "Shrani" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("sl");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Shranjeno.");
  await context.close();
});

test("the course page shows every module in both languages", async ({ page }) => {
  await page.goto("/courses/recognising-trafficking");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Prepoznavanje trgovine z ljudmi v zdravstvu");
  const slModules = await page.getByRole("heading", { level: 3 }).allTextContents();
  expect(slModules.length).toBeGreaterThanOrEqual(6);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recognising human trafficking in healthcare");
  const enModules = await page.getByRole("heading", { level: 3 }).allTextContents();
  expect(enModules).toHaveLength(slModules.length);
  expect(enModules).not.toEqual(slModules);
  await expect(page.getByRole("complementary", { name: "If this affects you" })).toBeVisible();
});
