import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import routes from "../../app/routes.ts";
import { browserAs, DEMO, demoIds, sessionCookie } from "./support.ts";

// Who may reach every route, checked over HTTP for each kind of user, plus axe on every page a
// user may see. A route added to app/routes.ts without an entry here fails the first test.

type Viewer = "anonymous" | "learner" | "learner2" | "trainer" | "organiser" | "trainerB" | "organiserB" | "admin";
type Outcome = 200 | 403 | 404 | "login" | "home";
const VIEWERS: Viewer[] = ["anonymous", "learner", "learner2", "trainer", "organiser", "trainerB", "organiserB", "admin"];
const EMAIL: Record<Exclude<Viewer, "anonymous">, string> = {
  learner: DEMO.learner,
  learner2: DEMO.learner2,
  trainer: DEMO.trainer,
  organiser: DEMO.organiser,
  trainerB: DEMO.trainerB,
  organiserB: DEMO.organiserB,
  admin: DEMO.admin,
};

type Ids = Awaited<ReturnType<typeof demoIds>>;
type Entry = { url: (ids: Ids) => string; expect: Record<Viewer, Outcome>; page?: boolean };

const every = (outcome: Outcome, overrides: Partial<Record<Viewer, Outcome>> = {}) => Object.fromEntries(VIEWERS.map((v) => [v, overrides[v] ?? outcome])) as Record<Viewer, Outcome>;
const signedIn = (outcome: Outcome, overrides: Partial<Record<Viewer, Outcome>> = {}) => every(outcome, { anonymous: "login", ...overrides });
// Organisation A pages: its organisers and admins; its learners and trainers are refused; people of
// organisation B cannot tell that it exists.
const organisationA = signedIn(403, { organiser: 200, admin: 200, trainerB: 404, organiserB: 404 });

const MATRIX: Record<string, Entry> = {
  healthz: { url: () => "/healthz", expect: every(200), page: false },
  "set-language": { url: () => "/set-language", expect: every("home"), page: false },
  "": { url: () => "/", expect: every(200) },
  login: { url: () => "/login", expect: every("home", { anonymous: 200 }) },
  logout: { url: () => "/logout", expect: every("home"), page: false },
  signup: { url: () => "/signup", expect: every("home", { anonymous: 200 }) },
  "verify-email": { url: () => "/verify-email?token=not-a-real-token", expect: every(200) },
  "forgot-password": { url: () => "/forgot-password", expect: every(200) },
  "reset-password": { url: () => "/reset-password?token=not-a-real-token", expect: every(200) },
  "invite/:token": { url: () => "/invite/not-a-real-token", expect: every(200) },
  settings: { url: () => "/settings", expect: signedIn(200) },
  courses: { url: () => "/courses", expect: every(200) },
  "courses/:slug": { url: () => "/courses/recognising-trafficking", expect: every(200) },
  admin: { url: () => "/admin", expect: signedIn(403, { admin: 200 }) },
  "org/:orgId": { url: (ids) => `/org/${ids.orgA}`, expect: organisationA },
  "org/:orgId/people/:userId": { url: (ids) => `/org/${ids.orgA}/people/${ids.learnerA}`, expect: organisationA },
  // The demo mailbox exists only without SMTP; the end-to-end suite sends real email.
  "dev/mail": { url: () => "/dev/mail", expect: every(404) },
  "*": { url: () => "/no-such-page", expect: every(404) },
};

/** Every URL pattern in app/routes.ts (index routes take their parent's path). */
function routePatterns(entries: Array<{ path?: string; index?: boolean; children?: unknown[] }>, parent = ""): string[] {
  return entries.flatMap((entry) => {
    const path = [parent, entry.path ?? ""].filter(Boolean).join("/");
    const own = entry.path !== undefined || entry.index ? [path] : [];
    return [...own, ...routePatterns((entry.children ?? []) as typeof entries, path)];
  });
}

test("every route in app/routes.ts has an entry in the access matrix", () => {
  const patterns = [...new Set(routePatterns(routes as never))].sort();
  expect(patterns).toEqual(Object.keys(MATRIX).sort());
});

for (const viewer of VIEWERS) {
  test(`access matrix and accessibility as ${viewer}`, async ({ request, browser, baseURL }) => {
    const ids = await demoIds();
    const cookie = viewer === "anonymous" ? null : await sessionCookie(request, EMAIL[viewer]);
    const failures: string[] = [];
    const pages: string[] = [];
    for (const [pattern, entry] of Object.entries(MATRIX)) {
      const url = entry.url(ids);
      const response = await request.get(url, { headers: cookie ? { Cookie: cookie } : {}, maxRedirects: 0 });
      const location = response.headers().location ?? "";
      const actual: Outcome | number = response.status() === 302 ? (location.startsWith("/login") ? "login" : location === "/" ? "home" : response.status()) : response.status();
      if (actual !== entry.expect[viewer]) failures.push(`${pattern} (${url}): expected ${entry.expect[viewer]}, got ${actual} ${location}`);
      if (entry.page !== false && (actual === 200 || actual === 403 || actual === 404)) pages.push(url);
    }
    expect(failures, failures.join("\n")).toEqual([]);

    const context = await browserAs(browser, baseURL!, cookie);
    const page = await context.newPage();
    const violations: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      for (const violation of results.violations) violations.push(`${url}: ${violation.id} (${violation.nodes.length}) ${violation.nodes[0]?.target.join(" ")}`);
    }
    await context.close();
    expect(violations, violations.join("\n")).toEqual([]);
  });
}
