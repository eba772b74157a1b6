import { type APIRequestContext, type Browser, expect, type Page } from "@playwright/test";
import pg from "pg";

export const DEMO_PASSWORD = "opora-demo-2026";
export const DEMO = {
  admin: "admin@opora.test",
  trainer: "trainer@opora.test",
  organiser: "organiser@opora.test",
  /** an organiser of organisation A's Emergency department only (learner is in Emergency, learner2 in Gynaecology) */
  organiserDept: "organiser-dept@opora.test",
  learner: "learner@opora.test",
  learner2: "learner2@opora.test",
  trainerB: "trainer-b@opora.test",
  organiserB: "organiser-b@opora.test",
  learnerB: "learner-b@opora.test",
} as const;
export type DemoRole = keyof typeof DEMO;

const mailApi = `http://127.0.0.1:${process.env.E2E_MAIL_API_PORT ?? 2526}`;

/** Messages the app delivered over SMTP to this address, waiting until `count` have arrived. */
export async function emailsTo(address: string, count = 1) {
  let messages: Array<{ subject: string; text: string; links: string[] }> = [];
  await expect
    .poll(async () => {
      messages = await (await fetch(`${mailApi}/messages?to=${encodeURIComponent(address.toLowerCase())}`)).json();
      return messages.length;
    }, { message: `email to ${address}` })
    .toBeGreaterThanOrEqual(count);
  return messages;
}

export function linkTo(message: { links: string[] }, pathPrefix: string) {
  const link = message.links.find((l) => new URL(l).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in: ${message.links.join(", ")}`);
  return link;
}

export async function logInPage(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/E-pošta|Email/).fill(email);
  await page.getByLabel(/^(Geslo|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(Prijava|Log in)$/ }).click();
  await expect(page.getByRole("button", { name: /Odjava|Log out/ })).toBeVisible();
}

/** Signs in over HTTP and returns the session cookie header for that role. */
export async function sessionCookie(request: APIRequestContext, email: string) {
  const response = await request.post("/login", { form: { email, password: DEMO_PASSWORD, redirectTo: "/" }, maxRedirects: 0 });
  expect(response.status(), `log in as ${email}`).toBe(302);
  const setCookie = response.headers()["set-cookie"] ?? "";
  const cookie = setCookie.split(";")[0];
  expect(cookie).toMatch(/opora_session=/);
  return cookie;
}

export async function browserAs(browser: Browser, baseURL: string, cookie: string | null) {
  const context = await browser.newContext({ baseURL, locale: "sl-SI" });
  if (cookie) {
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url: baseURL }]);
  }
  return context;
}

/** Read-only look-ups of ids the tests need (organisation and person ids). */
export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function demoIds() {
  const [a] = await query<{ id: string }>(`SELECT id FROM "Organisation" WHERE slug = 'splosna-bolnisnica-demo'`);
  const [b] = await query<{ id: string }>(`SELECT id FROM "Organisation" WHERE slug = 'zdravstveni-dom-demo'`);
  const [learner] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.learner]);
  const [learnerB] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.learnerB]);
  const [learner2] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.learner2]);
  return { orgA: a.id, orgB: b.id, learnerA: learner.id, learnerB: learnerB.id, learner2A: learner2.id };
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
}
