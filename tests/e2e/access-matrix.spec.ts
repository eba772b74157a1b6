import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import routes from "../../app/routes.ts";
import { browserAs, DEMO, demoIds, query, sessionCookie } from "./support.ts";

// Who may reach every route, checked over HTTP for each kind of user, plus axe on every page a
// user may see. A route added to app/routes.ts without an entry here fails the first test.

type Viewer = "anonymous" | "learner" | "learner2" | "trainer" | "organiser" | "organiserDept" | "trainerB" | "organiserB" | "admin";
type Outcome = 200 | 400 | 403 | 404 | "login" | "home" | "redirect";
const VIEWERS: Viewer[] = ["anonymous", "learner", "learner2", "trainer", "organiser", "organiserDept", "trainerB", "organiserB", "admin"];
const EMAIL: Record<Exclude<Viewer, "anonymous">, string> = {
  learner: DEMO.learner,
  learner2: DEMO.learner2,
  trainer: DEMO.trainer,
  organiser: DEMO.organiser,
  organiserDept: DEMO.organiserDept,
  trainerB: DEMO.trainerB,
  organiserB: DEMO.organiserB,
  admin: DEMO.admin,
};

type Ids = Awaited<ReturnType<typeof demoIds>> & { attemptId: string; certificate: string; exportId: string; courseId: string };
type Entry = { url: (ids: Ids) => string; expect: Record<Viewer, Outcome>; page?: boolean };

const every = (outcome: Outcome, overrides: Partial<Record<Viewer, Outcome>> = {}) => Object.fromEntries(VIEWERS.map((v) => [v, overrides[v] ?? outcome])) as Record<Viewer, Outcome>;
const signedIn = (outcome: Outcome, overrides: Partial<Record<Viewer, Outcome>> = {}) => every(outcome, { anonymous: "login", ...overrides });
// Organisation A pages: its organisers and admins; its learners and trainers are refused; people of
// organisation B cannot tell that it exists. The department organiser (Emergency only, where the
// demo learner is) sees the same pages with their department's people.
const organisationA = signedIn(403, { organiser: 200, organiserDept: 200, admin: 200, trainerB: 404, organiserB: 404 });
// Organisation-wide settings (referrals, the audit log) are refused to the department organiser.
const wholeOrganisationA = { ...organisationA, organiserDept: 403 as const };
// Organiser A's certificate ZIP holds every department: the department organiser cannot tell it exists.
const wholeOrganisationExport = { ...organisationA, organiserDept: 404 as const };
// Learning pages: only the enrolled learner (the demo learner, enrolled below); nobody else can tell
// the enrolment or attempt exists.
const enrolledOnly = (outcome: Outcome) => signedIn(404, { learner: outcome });
const COURSE = "/learn/recognising-trafficking";

const MATRIX: Record<string, Entry> = {
  healthz: { url: () => "/healthz", expect: every(200), page: false },
  "set-language": { url: () => "/set-language", expect: every("home"), page: false },
  "course-assets/:versionId/*": { url: () => "/course-assets/no-such-version/images/x.png", expect: every(404), page: false },
  "": { url: () => "/", expect: every(200) },
  login: { url: () => "/login", expect: every("home", { anonymous: 200 }) },
  logout: { url: () => "/logout", expect: every("home"), page: false },
  signup: { url: () => "/signup", expect: every("home", { anonymous: 200 }) },
  "verify-email": { url: () => "/verify-email?token=not-a-real-token", expect: every(200) },
  "forgot-password": { url: () => "/forgot-password", expect: every(200) },
  "reset-password": { url: () => "/reset-password?token=not-a-real-token", expect: every(200) },
  "invite/:token": { url: () => "/invite/not-a-real-token", expect: every(200) },
  settings: { url: () => "/settings", expect: signedIn(200) },
  "settings/privacy": { url: () => "/settings/privacy", expect: signedIn(200) },
  "me/reminders": { url: () => "/me/reminders", expect: signedIn(200) },
  "settings/privacy/data.json": { url: () => "/settings/privacy/data.json", expect: signedIn(200), page: false },
  "settings/privacy/data.html": { url: () => "/settings/privacy/data.html", expect: signedIn(200), page: false },
  // An invalid link shows its error page to anyone.
  "settings/email": { url: () => "/settings/email?token=not-a-real-token", expect: every(200) },
  courses: { url: () => "/courses", expect: every(200) },
  "courses/:slug": { url: () => "/courses/recognising-trafficking", expect: every(200) },
  "learn/:slug": { url: () => COURSE, expect: enrolledOnly(200) },
  "learn/:slug/lesson/:itemKey": { url: () => `${COURSE}/lesson/what-is-trafficking`, expect: enrolledOnly(200) },
  "learn/:slug/quiz/:itemKey": { url: () => `${COURSE}/quiz/understanding-quiz`, expect: enrolledOnly(200) },
  "learn/:slug/attempt/:attemptId": { url: (ids) => `${COURSE}/attempt/${ids.attemptId}`, expect: enrolledOnly(200) },
  // An attempt not yet submitted has no result: its owner is sent back to it.
  // The quiz outbox's endpoint takes posts only: a GET is refused for everyone.
  "learn/:slug/attempt/:attemptId/answer": { url: (ids) => `${COURSE}/attempt/${ids.attemptId}/answer`, expect: every(400), page: false },
  "learn/:slug/attempt/:attemptId/result": { url: (ids) => `${COURSE}/attempt/${ids.attemptId}/result`, expect: enrolledOnly("redirect") },
  // Module 2 is locked until module 1 is complete.
  "learn/:slug/contacts": { url: () => `${COURSE}/contacts`, expect: enrolledOnly(200) },
  "learn/:slug/case/:itemKey": { url: () => `${COURSE}/case/er-minder`, expect: enrolledOnly(403) },
  // The bundled course has no SCORM module (tests/e2e/scorm.spec.ts plays one).
  "learn/:slug/scorm/:itemKey": { url: () => `${COURSE}/scorm/no-such-package`, expect: signedIn(404) },
  author: { url: () => "/author", expect: signedIn(403, { trainer: 200, trainerB: 200, admin: 200 }) },
  // The bundled course is platform-wide: only admins change it.
  // The bundled course is platform-wide: only admins edit it; the demo trainer's organisation owns none.
  "author/courses/:slug": { url: () => "/author/courses/recognising-trafficking", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/settings": { url: () => "/author/courses/recognising-trafficking/settings", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/modules/:folder": { url: () => "/author/courses/recognising-trafficking/modules/02-indicators", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/export.zip": { url: () => "/author/courses/recognising-trafficking/export.zip?from=published", expect: signedIn(403, { admin: 200 }), page: false },
  "author/courses/:slug/modules/:folder/cases/:file": { url: () => "/author/courses/recognising-trafficking/modules/02-indicators/cases/emergency-room.case.yaml", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/modules/:folder/quizzes/:file": { url: () => "/author/courses/recognising-trafficking/modules/02-indicators/quizzes/quiz.yaml", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/modules/:folder/lessons/:stem": { url: () => "/author/courses/recognising-trafficking/modules/01-understanding/lessons/01-what-is-trafficking", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/translations": { url: () => "/author/courses/recognising-trafficking/translations", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/draft-files/*": { url: () => "/author/courses/recognising-trafficking/draft-files/01-understanding/images/none.png", expect: signedIn(403, { admin: 404 }), page: false },
  // Only posts render a preview (and check who may); a GET is refused for everyone.
  "author/courses/:slug/markdown-preview": { url: () => "/author/courses/recognising-trafficking/markdown-preview", expect: every(400), page: false },
  "author/courses/:slug/preview": { url: () => "/author/courses/recognising-trafficking/preview", expect: signedIn(403, { admin: 200 }) },
  "author/courses/:slug/scorm": { url: () => "/author/courses/recognising-trafficking/scorm", expect: signedIn(403, { admin: 200 }) },
  // Item analysis: whoever may change the course sees every learner's attempts (here only admins).
  "author/courses/:slug/quizzes/:itemKey/analysis": { url: () => "/author/courses/recognising-trafficking/quizzes/understanding-quiz/analysis", expect: signedIn(403, { admin: 200 }) },
  // Answered on the content origin only; the app's origin never serves them.
  "scorm-content/run/:token": { url: () => "/scorm-content/run/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", expect: every(404), page: false },
  "scorm-content/run/:token/commit": { url: () => "/scorm-content/run/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/commit", expect: every(404), page: false },
  "scorm-content/p/:packageId/*": { url: () => "/scorm-content/p/cabcdefghijklmnopqrstuvwx/index.html", expect: every(404), page: false },
  "me/certificates": { url: () => "/me/certificates", expect: signedIn(200) },
  "me/transcript": { url: () => "/me/transcript", expect: signedIn(200) },
  "me/transcript.pdf": { url: () => "/me/transcript.pdf", expect: signedIn(200), page: false },
  "me/transcript.csv": { url: () => "/me/transcript.csv", expect: signedIn(200), page: false },
  verify: { url: () => "/verify", expect: every(200) },
  // The demo certificate belongs to learner-b of organisation B (not a viewer here): public to check,
  // its PDF only for organisation B's organisers and admins.
  "verify/:code": { url: (ids) => `/verify/${ids.certificate}`, expect: every(200) },
  "api/certificates/:code": { url: (ids) => `/api/certificates/${ids.certificate}`, expect: every(200), page: false },
  "certificates/:code/pdf": { url: (ids) => `/certificates/${ids.certificate}/pdf`, expect: signedIn(404, { organiserB: 200, admin: 200 }), page: false },
  // Its Open Badges credential: the same people as the PDF; the status, issuer profile and keys are public.
  "certificates/:code/credential": { url: (ids) => `/certificates/${ids.certificate}/credential`, expect: signedIn(404, { organiserB: 200, admin: 200 }), page: false },
  "api/certificates/:code/status": { url: (ids) => `/api/certificates/${ids.certificate}/status`, expect: every(200), page: false },
  "credentials/issuer": { url: () => "/credentials/issuer", expect: every(200), page: false },
  ".well-known/jwks.json": { url: () => "/.well-known/jwks.json", expect: every(200), page: false },
  admin: { url: () => "/admin", expect: signedIn(403, { admin: 200 }) },
  "org/:orgId": { url: (ids) => `/org/${ids.orgA}`, expect: organisationA },
  "org/:orgId/people/:userId": { url: (ids) => `/org/${ids.orgA}/people/${ids.learnerA}`, expect: organisationA },
  "org/:orgId/dashboard": { url: (ids) => `/org/${ids.orgA}/dashboard`, expect: organisationA },
  "org/:orgId/rules": { url: (ids) => `/org/${ids.orgA}/rules`, expect: organisationA },
  "org/:orgId/referrals": { url: (ids) => `/org/${ids.orgA}/referrals`, expect: wholeOrganisationA },
  // The demo learner of organisation A is enrolled (see beforeAll), so the course has a report there.
  "org/:orgId/courses/:courseId": { url: (ids) => `/org/${ids.orgA}/courses/${ids.courseId}`, expect: organisationA },
  // The same analysis over organisation A's current members, linked from the course report.
  "org/:orgId/courses/:courseId/quizzes/:itemKey/analysis": { url: (ids) => `/org/${ids.orgA}/courses/${ids.courseId}/quizzes/understanding-quiz/analysis`, expect: organisationA },
  "org/:orgId/people": { url: (ids) => `/org/${ids.orgA}/people`, expect: organisationA },
  "org/:orgId/export.csv": { url: (ids) => `/org/${ids.orgA}/export.csv`, expect: organisationA, page: false },
  "org/:orgId/export.xlsx": { url: (ids) => `/org/${ids.orgA}/export.xlsx`, expect: organisationA, page: false },
  "org/:orgId/exports": { url: (ids) => `/org/${ids.orgA}/exports`, expect: organisationA },
  "org/:orgId/exports/:exportId": { url: (ids) => `/org/${ids.orgA}/exports/${ids.exportId}`, expect: wholeOrganisationExport },
  "org/:orgId/exports/:exportId/download": { url: (ids) => `/org/${ids.orgA}/exports/${ids.exportId}/download`, expect: wholeOrganisationExport, page: false },
  "org/:orgId/attendees.csv": { url: (ids) => `/org/${ids.orgA}/attendees.csv?course=recognising-trafficking`, expect: organisationA, page: false },
  // The audit log: all of it for admins, an organisation's own events for its organisers; each
  // person sees what concerns them. The privacy notice and terms are public.
  "admin/audit": { url: () => "/admin/audit", expect: signedIn(403, { admin: 200 }) },
  "admin/audit.csv": { url: () => "/admin/audit.csv", expect: signedIn(403, { admin: 200 }), page: false },
  "org/:orgId/audit": { url: (ids) => `/org/${ids.orgA}/audit`, expect: wholeOrganisationA },
  "org/:orgId/invite-import": { url: (ids) => `/org/${ids.orgA}/invite-import`, expect: organisationA },
  "org/:orgId/audit.csv": { url: (ids) => `/org/${ids.orgA}/audit.csv`, expect: wholeOrganisationA, page: false },
  "me/access": { url: () => "/me/access", expect: signedIn(200) },
  privacy: { url: () => "/privacy", expect: every(200) },
  terms: { url: () => "/terms", expect: every(200) },
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

// Each viewer's tests are independent reads: spread over both workers, the file takes half as long.
test.describe.configure({ mode: "parallel" });

let attemptId = "";
let exportId = "";
test.beforeAll(async ({ request }) => {
  // Organiser A prepares a certificate ZIP; the app's job worker builds it.
  const organiser = await sessionCookie(request, DEMO.organiser);
  const { orgA } = await demoIds();
  const requested = await request.post(`/org/${orgA}/exports`, { headers: { Cookie: organiser }, form: { state: "all" }, maxRedirects: 0 });
  exportId = (requested.headers().location ?? "").split("/exports/")[1] ?? "";
  expect(exportId).not.toBe("");
  await expect.poll(async () => (await query<{ status: string }>(`SELECT status FROM "CertificateExport" WHERE id = $1`, [exportId]))[0]?.status, { timeout: 30_000 }).toBe("DONE");

  // The demo learner enrols and opens the first quiz (both idempotent, so every worker may do it).
  const cookie = await sessionCookie(request, DEMO.learner);
  await request.post("/courses/recognising-trafficking", { headers: { Cookie: cookie }, form: {}, maxRedirects: 0 });
  const started = await request.post(`${COURSE}/quiz/understanding-quiz`, { headers: { Cookie: cookie }, form: {}, maxRedirects: 0 });
  attemptId = (started.headers().location ?? "").split("/attempt/")[1] ?? "";
  expect(attemptId).not.toBe("");
});

test("every route in app/routes.ts has an entry in the access matrix", () => {
  const patterns = [...new Set(routePatterns(routes as never))].sort();
  expect(patterns).toEqual(Object.keys(MATRIX).sort());
});

// The same organisation's organiser on another department's people: the demo department organiser
// (Emergency) asks for learner2's page (Gynaecology) by its id and learns nothing, as for a person of
// another organisation; the organisation's own organiser opens it.
test("a department organiser cannot open a person of another department of the same organisation", async ({ request }) => {
  const { orgA, learnerA, learner2A, learnerB } = await demoIds();
  const get = async (email: string, url: string) => (await request.get(url, { headers: { Cookie: await sessionCookie(request, email) }, maxRedirects: 0 })).status();
  const departmentOrganiser = await sessionCookie(request, DEMO.organiserDept);
  const as = async (url: string) => (await request.get(url, { headers: { Cookie: departmentOrganiser }, maxRedirects: 0 })).status();
  expect(await as(`/org/${orgA}/people/${learnerA}`)).toBe(200);
  expect(await as(`/org/${orgA}/people/${learner2A}`)).toBe(404);
  expect(await as(`/org/${orgA}/people/${learnerB}`)).toBe(404);
  // Acting on them by posting to the page is refused the same way.
  const posted = await request.post(`/org/${orgA}/people/${learner2A}`, { headers: { Cookie: departmentOrganiser }, form: { intent: "end-membership" }, maxRedirects: 0 });
  expect(posted.status()).toBe(404);
  expect(await get(DEMO.organiser, `/org/${orgA}/people/${learner2A}`)).toBe(200);
});

async function idsFor(): Promise<Ids> {
  const [certificate] = await query<{ code: string }>(`SELECT c.code FROM "Certificate" c JOIN "User" u ON u.id = c."userId" WHERE u.email = 'learner-b@opora.test'`);
  const [course] = await query<{ id: string }>(`SELECT id FROM "Course" WHERE slug = 'recognising-trafficking'`);
  return { ...(await demoIds()), attemptId, exportId, certificate: certificate.code, courseId: course.id };
}

for (const viewer of VIEWERS) {
  test(`access matrix as ${viewer}`, async ({ request }) => {
    const ids = await idsFor();
    const cookie = viewer === "anonymous" ? null : await sessionCookie(request, EMAIL[viewer]);
    const failures: string[] = [];
    for (const [pattern, entry] of Object.entries(MATRIX)) {
      const url = entry.url(ids);
      const response = await request.get(url, { headers: cookie ? { Cookie: cookie } : {}, maxRedirects: 0 });
      const location = response.headers().location ?? "";
      const actual: Outcome | number = response.status() === 302 ? (location.startsWith("/login") ? "login" : location === "/" ? "home" : "redirect") : response.status();
      if (actual !== entry.expect[viewer]) failures.push(`${pattern} (${url}): expected ${entry.expect[viewer]}, got ${actual} ${location}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test(`accessibility of every page ${viewer} can see`, async ({ request, browser, baseURL }) => {
    const ids = await idsFor();
    const cookie = viewer === "anonymous" ? null : await sessionCookie(request, EMAIL[viewer]);
    // Every page this viewer sees, once: refusals (403, 404) share one template, so one of each is checked.
    const pages: string[] = [];
    const refusalsSeen = new Set<Outcome>();
    for (const entry of Object.values(MATRIX)) {
      const outcome = entry.expect[viewer];
      if (entry.page === false || (outcome !== 200 && outcome !== 403 && outcome !== 404)) continue;
      if (outcome !== 200) {
        if (refusalsSeen.has(outcome)) continue;
        refusalsSeen.add(outcome);
      }
      pages.push(entry.url(ids));
    }
    expect(pages.length).toBeGreaterThan(3);
    // axe takes a few seconds a page on a shared machine (about 3 s each for the admin's in CI), so
    // the budget grows with the pages this viewer sees.
    test.setTimeout(60_000 + pages.length * 8_000);

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
