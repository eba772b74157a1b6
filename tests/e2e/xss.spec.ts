import { type Browser, expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { MARKDOWN_VISIBLE, TEXT_PAYLOADS } from "../support/xss-payloads.ts";
import { completeCourse, logIn } from "./learner-flows.ts";
import { DEMO, query } from "./support.ts";
import { hostileCourse } from "./xss-course.ts";

// Hostile text typed where people type it — an organisation and its departments by the admin,
// referral entries, departments and a CSV invitation list by the organiser, a whole course by a
// trainer, a learner's own name — then every page that shows it, as admin, organiser, trainer,
// learner and an anonymous visitor of the certificate check. No payload may run (no dialog, no
// window.__xss, no blocked script reported by the policy), none may leave an element in the page,
// and each must be readable as the text it is. Last, the policy itself: an inline script put
// into one of our pages does not run.

test.describe.configure({ mode: "serial" });

const stamp = Date.now().toString(36);
const slug = `xss-${stamp}`;
const payload = (name: string) => {
  const found = TEXT_PAYLOADS.find((p) => p.name === name);
  if (!found) throw new Error(`no payload named ${name}`);
  return found.text;
};
const organisationName = `${payload("closing textarea, title and script")} ${stamp}`;
const departments = [payload("image with onerror"), payload("breaking out of a single-quoted attribute")];
const addedDepartment = payload("mutation through math and style");
const referral = { name: payload("svg with onload"), hours: payload("harmless markup"), helpsWith: payload("iframe with srcdoc") };
const invitedName = payload("breaking out of a double-quoted attribute");
const learnerName = payload("script element");
const course = hostileCourse(slug);
const courseTitle = (parse(Buffer.from(course.files["course.yaml"]).toString("utf8")) as { title: { sl: string } }).title.sl;

// Chromium collapses white space as the page shows it; so does getByText.
const shown = (text: string) => text.replace(/\s+/g, " ").trim();

/** A signed-out browser that reports every dialog and every script the policy blocked, on any page it opens. */
async function watchedBrowser(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, locale: "sl-SI" });
  const alarms: string[] = [];
  await context.exposeBinding("__reportViolation", ({ page }, message: string) => {
    alarms.push(`${page?.url()}: ${message}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      // Zod probes once whether it may compile parsers with Function() and falls back when the
      // policy refuses: that refusal is the policy working on our own code, not a payload.
      if (event.blockedURI === "eval") return;
      (window as unknown as { __reportViolation: (m: string) => void }).__reportViolation(`policy blocked ${event.effectiveDirective}: ${event.sample || event.blockedURI}`);
    });
  });
  context.on("page", (page) =>
    page.on("dialog", (dialog) => {
      alarms.push(`${page.url()}: a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    }),
  );
  const page = await context.newPage();
  return { context, page, alarms };
}

/** Elements and attributes a payload would have injected, found in the live DOM. */
function injectedElements() {
  const allowedFrame = /^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//;
  const textAttributes = new Set(["alt", "title", "aria-label", "value", "placeholder", "content"]);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data", "poster", "xlink:href"]);
  const scriptUrl = (value: string) => {
    const url = [...value].filter((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) !== 0x7f).join("").toLowerCase();
    return /^(javascript|vbscript):/.test(url) || (url.startsWith("data:") && !/^data:image\/(png|gif|jpeg|webp|svg\+xml);/.test(url));
  };
  const found: string[] = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    const report = (why: string) => found.push(`${why}: ${element.outerHTML.slice(0, 160)}`);
    if (tag === "script" && !(element as HTMLScriptElement).nonce) report("script without this page's nonce");
    if (["object", "embed", "base", "frame", "frameset", "applet", "math"].includes(tag)) report(`<${tag}>`);
    if (tag === "iframe" && (element.hasAttribute("srcdoc") || !allowedFrame.test((element as HTMLIFrameElement).src))) report("frame");
    if (tag === "style" && document.body.contains(element)) report("style element in the body");
    if (element.classList.contains("xss-probe")) report("element of a payload");
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) report(`event handler ${attribute.name}`);
      if (urlAttributes.has(attribute.name) && scriptUrl(attribute.value)) report(`script URL in ${attribute.name}`);
      if (!textAttributes.has(attribute.name) && /__xss/.test(attribute.value)) report(`payload code in ${attribute.name}`);
    }
  }
  return found;
}

/** The page shows `texts` as text, and nothing a payload carries ran or was injected. */
async function expectInert(page: Page, alarms: string[], texts: string[]) {
  for (const text of texts) await expect(page.getByText(shown(text)).filter({ visible: true }).first(), `"${text}" on ${page.url()}`).toBeVisible();
  const flag = await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
  expect({ page: page.url(), flag, injected: await page.evaluate(injectedElements), alarms }).toEqual({ page: page.url(), flag: undefined, injected: [], alarms: [] });
}

async function member(role: "ORGANISER" | "TRAINER" | "LEARNER", organisationId: string) {
  const email = `xss-${role.toLowerCase()}-${stamp}@example.org`;
  await query(
    `INSERT INTO "User" (id, email, name, profession, locale, "passwordHash", "emailVerifiedAt", "isAdmin", "createdAt", "updatedAt")
     SELECT $1, $2, $3, 'NURSE', 'sl', "passwordHash", now(), false, now(), now() FROM "User" WHERE email = $4`,
    [`xss-${role}-${stamp}`, email, `Oseba ${role}`, DEMO.learner],
  );
  await query(`INSERT INTO "Membership" (id, "userId", "organisationId", roles, "createdAt") VALUES ($1, $2, $3, ARRAY[$4], now())`, [`xss-m-${role}-${stamp}`, `xss-${role}-${stamp}`, organisationId, role]);
  return email;
}

const people = { organisationId: "", organiser: "", trainer: "", learner: "", learnerId: `xss-LEARNER-${stamp}` };

test("an organisation, its departments, referral entries and invited names show as text to the admin and the organiser", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await watchedBrowser(browser, baseURL);
  await logIn(admin.page, DEMO.admin);
  await admin.page.goto("/admin");
  await admin.page.getByLabel("Organizacija", { exact: true }).fill(organisationName);
  await admin.page.locator("#departments").fill(departments.join("\n"));
  await admin.page.getByRole("button", { name: "Ustvari organizacijo" }).click();
  await expect(admin.page.getByText("Organizacija je ustvarjena.")).toBeVisible();
  await expectInert(admin.page, admin.alarms, [organisationName]);
  await admin.context.close();

  const [organisation] = await query<{ id: string }>(`SELECT id FROM "Organisation" WHERE name = $1`, [organisationName]);
  people.organisationId = organisation.id;
  people.organiser = await member("ORGANISER", organisation.id);
  people.trainer = await member("TRAINER", organisation.id);
  people.learner = await member("LEARNER", organisation.id);

  const organiser = await watchedBrowser(browser, baseURL);
  const page = organiser.page;
  await logIn(page, people.organiser);
  await page.goto(`/org/${organisation.id}`);
  await page.getByLabel("Nov oddelek").fill(addedDepartment);
  await page.getByRole("button", { name: "Dodaj oddelek" }).click();
  await expectInert(page, organiser.alarms, [organisationName, ...departments, addedDepartment]);

  await page.goto(`/org/${organisation.id}/referrals`);
  await page.getByLabel("Naziv").fill(referral.name);
  await page.getByLabel("Kdaj so dosegljivi (neobvezno)").fill(referral.hours);
  await page.getByLabel("Pri čem pomagajo").fill(referral.helpsWith);
  await page.getByRole("button", { name: "Dodaj", exact: true }).click();
  await expectInert(page, organiser.alarms, [organisationName, referral.name, referral.hours, referral.helpsWith]);

  // A CSV list whose name column holds a payload (quoted, as a spreadsheet writes it).
  await page.goto(`/org/${organisation.id}/invite-import`);
  const csv = ["Ime in priimek,E-pošta,Poklic,Oddelek", `"${invitedName.replaceAll('"', '""')}",xss-invited-${stamp}@example.org,medicinska sestra,`, ""].join("\r\n");
  await page.getByLabel("Datoteka CSV").setInputFiles({ name: "seznam.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Preveri datoteko" }).click();
  await expect(page.getByRole("row").filter({ hasText: invitedName })).toContainText("Prejme povabilo");
  await expectInert(page, organiser.alarms, [invitedName]);
  await page.getByRole("button", { name: "Pošlji povabila (1)" }).click();
  await expect(page.getByRole("row").filter({ hasText: invitedName })).toContainText("Povabilo poslano");
  await expectInert(page, organiser.alarms, [invitedName]);
  await organiser.context.close();
});

test("a course whose every text is hostile shows as text in the editor, the preview and the learner's pages", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const trainer = await watchedBrowser(browser, baseURL);
  let page = trainer.page;
  await logIn(page, people.trainer);
  await page.goto("/author");
  await page.getByLabel(/^Zip tečaja/).setInputFiles({ name: `${slug}.zip`, mimeType: "application/zip", buffer: course.zip });
  await page.getByRole("button", { name: "Uvozi v osnutek" }).click();
  await expect(page).toHaveURL(new RegExp(`/author/courses/${slug}`));
  await expectInert(page, trainer.alarms, [courseTitle]);
  await page.getByRole("button", { name: "Objavi" }).click();
  await expect(page.getByText("Objavljeno kot različica 1.", { exact: false })).toBeVisible();
  await expectInert(page, trainer.alarms, [courseTitle]);

  await page.goto(`/author/courses/${slug}/preview`);
  await expectInert(page, trainer.alarms, MARKDOWN_VISIBLE);
  await page.goto(`/author/courses/${slug}/settings`);
  await expectInert(page, trainer.alarms, []);
  // The lesson editor: the body in its text box, and the live preview rendered on the server.
  await page.goto(`/author/courses/${slug}/modules/01-basics/lessons/01-what-is-it`);
  await expect(page.locator('[name="body.sl"]')).toHaveValue(/povezava-js/);
  await expectInert(page, trainer.alarms, ["povezava-js", "pred-html", "<script>window.__xss=1</script>"]);
  await page.goto(`/author/courses/${slug}/modules/01-basics/cases/waiting-room.case.yaml`);
  await expectInert(page, trainer.alarms, []);
  await page.goto(`/author/courses/${slug}/modules/01-basics/quizzes/quiz.yaml`);
  await expectInert(page, trainer.alarms, []);
  await trainer.context.close();

  // The learner types a payload as their own name, then takes the course.
  const learner = await watchedBrowser(browser, baseURL);
  page = learner.page;
  await logIn(page, people.learner);
  await page.goto("/settings");
  await page.getByLabel("Ime in priimek").fill(learnerName);
  await page.getByRole("button", { name: "Shrani", exact: true }).first().click();
  await expect(page.getByText("Shranjeno.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Ime in priimek")).toHaveValue(learnerName);
  await expectInert(page, learner.alarms, []);

  await page.goto(`/courses/${slug}`);
  await expectInert(page, learner.alarms, [courseTitle, ...MARKDOWN_VISIBLE]);
  await page.getByRole("button", { name: "Vpis v tečaj" }).click();
  await page.getByRole("link", { name: "Začni" }).click();
  await page.waitForURL(/\/lesson\//);
  await expectInert(page, learner.alarms, MARKDOWN_VISIBLE);
  page = await completeCourse(page, people.learner, { slug });
  expect(learner.alarms).toEqual([]);

  await page.goto(`/learn/${slug}`);
  await expectInert(page, learner.alarms, [courseTitle]);
  await page.goto(`/learn/${slug}/case/waiting-room`);
  await expectInert(page, learner.alarms, MARKDOWN_VISIBLE);
  const [attempt] = await query<{ id: string }>(`SELECT id FROM "QuizAttempt" WHERE "userId" = $1 AND "submittedAt" IS NOT NULL ORDER BY number DESC LIMIT 1`, [people.learnerId]);
  await page.goto(`/learn/${slug}/attempt/${attempt.id}/result`);
  await expectInert(page, learner.alarms, MARKDOWN_VISIBLE);
  await page.goto(`/learn/${slug}/contacts`);
  await expectInert(page, learner.alarms, [organisationName, referral.name, referral.hours, referral.helpsWith]);
  await page.goto("/me/certificates");
  await expectInert(page, learner.alarms, [learnerName, courseTitle]);
  await page.goto("/");
  await expectInert(page, learner.alarms, [courseTitle]);
  await learner.context.close();
});

test("the organiser sees the learner's name as text", async ({ browser, baseURL }) => {
  const organiser = await watchedBrowser(browser, baseURL);
  await logIn(organiser.page, people.organiser);
  await organiser.page.goto(`/org/${people.organisationId}/people`);
  await expectInert(organiser.page, organiser.alarms, [learnerName]);
  await organiser.page.goto(`/org/${people.organisationId}/people/${people.learnerId}`);
  await expectInert(organiser.page, organiser.alarms, [learnerName, courseTitle]);
  await organiser.page.goto(`/org/${people.organisationId}/dashboard`);
  await expectInert(organiser.page, organiser.alarms, [organisationName]);
  await organiser.context.close();
});

test("anyone checking the certificate sees the holder's name and the course as text", async ({ browser, baseURL }) => {
  const [certificate] = await query<{ code: string }>(`SELECT code FROM "Certificate" WHERE "userId" = $1`, [people.learnerId]);
  const visitor = await watchedBrowser(browser, baseURL);
  await visitor.page.goto(`/verify/${certificate.code}`);
  await expectInert(visitor.page, visitor.alarms, [learnerName, courseTitle]);
  await visitor.context.close();
});

test("the policy allows only this response's scripts: an inline script and an inline handler put into a page do not run", async ({ page, request }) => {
  const response = await request.get("/verify");
  const policy = response.headers()["content-security-policy"] ?? "";
  const scripts = policy.split(";").map((directive) => directive.trim()).filter((directive) => /^script-src(-elem|-attr)?\s/.test(directive));
  expect(scripts).toEqual([expect.stringMatching(/^script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/)]);
  for (const directive of scripts) expect(directive).not.toMatch(/'unsafe-(inline|eval|hashes)'/);

  // The page as the server sent it, with what a stored payload would add to it.
  await page.route("**/verify", async (route) => {
    const original = await route.fetch();
    const body = (await original.text()).replace("</body>", `<script>window.__xss="inline script"</script><img src="/favicon.ico" onload="window.__xss='inline handler'" onerror="window.__xss='inline handler'"></body>`);
    await route.fulfill({ response: original, body });
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(event.effectiveDirective));
  });
  await page.goto("/verify");
  await expect.poll(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations).then((v) => [...new Set(v)].sort())).toEqual(["script-src-attr", "script-src-elem"]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  // The page's own scripts, which carry the nonce, did run: the app took over the page.
  await expect.poll(() => page.evaluate(() => "__reactRouterRouteModules" in window)).toBe(true);
});
