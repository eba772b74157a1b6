import { expect, type Page, test } from "@playwright/test";
import { completeCourse, expectNoAxeViolations, logIn, newLearner } from "./learner-flows.ts";
import { DEMO, query } from "./support.ts";

// A trainer builds a small course in both languages in the browser — a lesson, a quiz with three
// kinds of question and a branching case — publishes it, and a learner of the same hospital
// completes it. axe checks every editor page on the way.

const fill = async (page: Page, values: Record<string, string>) => {
  for (const [name, value] of Object.entries(values)) await page.locator(`[name="${name}"]`).fill(value);
};

async function saved(page: Page, button: RegExp | string) {
  await page.getByRole("button", { name: button }).first().click();
  await expect(page.getByRole("status").filter({ hasText: /Shranjeno/ }).first()).toBeVisible();
}

async function addItem(page: Page, slug: string, kind: "quiz" | "case", sl: string, en: string) {
  await page.goto(`/author/courses/${slug}`);
  await page.getByText(/Dodaj lekcijo, preverjanje ali primer/).first().click();
  const form = page.locator("form").filter({ has: page.locator('input[name="intent"][value="add-item"]') }).first();
  await form.getByLabel("Vrsta").selectOption(kind);
  await form.getByLabel("Naslov v slovenščini").fill(sl);
  await form.getByLabel("Naslov v angleščini").fill(en);
  await form.getByRole("button", { name: "Dodaj" }).click();
  await expect(page.getByRole("link", { name: sl })).toBeVisible();
  await page.getByRole("link", { name: sl }).click();
}

test("a trainer builds and publishes a two-language course; a learner completes it", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const slug = `e2e-course-${Date.now().toString(36)}`;
  const trainer = await browser.newContext({ baseURL, locale: "sl-SI" });
  const page = await trainer.newPage();
  await logIn(page, DEMO.trainer);

  // Create the course for the trainer's hospital.
  await page.goto("/author");
  await expectNoAxeViolations(page);
  await page.getByLabel("Naslov v slovenščini").first().fill("Prepoznavanje izkoriščanja v ambulanti");
  await page.getByLabel("Naslov v angleščini").first().fill("Recognising exploitation in the clinic");
  await page.getByLabel("Spletno ime").fill(slug);
  await page.getByRole("button", { name: "Ustvari tečaj" }).click();
  await expect(page).toHaveURL(new RegExp(`/author/courses/${slug}$`));
  await expect(page.getByRole("heading", { name: /Težave, ki jih je treba odpraviti/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // Settings: what learners read, self-enrolment, and the outcome's text.
  await page.getByRole("navigation", { name: /Urejanje/ }).getByRole("link", { name: "Nastavitve" }).click();
  await fill(page, {
    "summary.sl": "Kratek tečaj o znakih izkoriščanja.",
    "summary.en": "A short course on signs of exploitation.",
    "contentNote.sl": "Tečaj govori o izkoriščanju in nasilju.",
    "contentNote.en": "The course deals with exploitation and violence.",
    "support.sl": "Če vas to osebno zadeva, se obrnite na Društvo Ključ.",
    "support.en": "If this affects you, contact the Ključ Society.",
    "cpd.category.sl": "Etika",
    "cpd.category.en": "Ethics",
    "cpd.basis.sl": "Ena ura učenja.",
    "cpd.basis.en": "One hour of learning.",
    "outcome.0.text.sl": "Prepozna znake izkoriščanja.",
    "outcome.0.text.en": "Recognises signs of exploitation.",
  });
  await page.getByLabel("Udeleženci se lahko vpišejo sami").check();
  await expectNoAxeViolations(page);
  await saved(page, "Shrani");

  // The lesson, side by side.
  await page.goto(`/author/courses/${slug}/modules/01-introduction/lessons/01-first-lesson`);
  await fill(page, {
    "sources.sl.0.title": "UNODC – Human Trafficking Indicators",
    "sources.en.0.title": "UNODC – Human Trafficking Indicators",
    "body.sl": "## Znaki\n\nOseba morda nima svojih dokumentov.",
    "body.en": "## Signs\n\nThe person may not hold their own documents.",
  });
  await expectNoAxeViolations(page);
  await saved(page, "Shrani vse jezike");
  await expect(page.getByText("sources must not be empty")).toHaveCount(0);

  // A case with one safe path.
  await addItem(page, slug, "case", "Pacientka v čakalnici", "A patient in the waiting room");
  await page.locator("summary").filter({ hasText: /Povzetek/ }).first().click();
  await fill(page, {
    "summary.sl": "Pacientko spremlja moški, ki odgovarja namesto nje.",
    "summary.en": "A man accompanies the patient and answers for her.",
    "nodes.0.text.sl": "Moški vztraja, da ostane v sobi.",
    "nodes.0.text.en": "The man insists on staying in the room.",
    "nodes.0.choices.0.text.sl": "Pacientko povabim na preiskavo na samem.",
    "nodes.0.choices.0.text.en": "I invite the patient for an examination alone.",
    "nodes.0.choices.0.consequence.sl": "Pacientka pove, da ji je vzel potni list.",
    "nodes.0.choices.0.consequence.en": "The patient says he took her passport.",
    "nodes.1.text.sl": "Pogovor na samem je bil varen prvi korak.",
    "nodes.1.text.en": "Talking alone was a safe first step.",
  });
  await expectNoAxeViolations(page);
  await saved(page, "Shrani primer");

  // A quiz with true/false, single and multiple choice questions; all three drawn.
  await addItem(page, slug, "quiz", "Preverjanje znanja", "Knowledge check");
  await page.locator('[name="draw"]').fill("3");
  await expectNoAxeViolations(page);
  await saved(page, "Shrani nastavitve");
  await page.locator("a[href*='question=']").first().click();
  await fill(page, {
    "prompt.sl": "Privolitev žrtve izključuje trgovino z ljudmi.",
    "prompt.en": "The victim's consent rules out trafficking.",
    "explanation.sl": "Privolitev ni pomembna, če so bila uporabljena sredstva prisile.",
    "explanation.en": "Consent is irrelevant where means of coercion were used.",
  });
  await page.getByRole("radio", { name: "Ne drži", exact: true }).check();
  await expectNoAxeViolations(page);
  await saved(page, "Shrani vprašanje");
  for (const kind of ["single", "multiple"] as const) {
    await page.goto(page.url().replace(/\?.*$/, ""));
    await page.getByLabel("Vrsta vprašanja").selectOption(kind);
    await page.getByRole("button", { name: "Dodaj vprašanje" }).last().click();
    await expect(page).toHaveURL(/question=/);
    const texts = kind === "single" ? ["Nima svojih dokumentov", "Ima zdravstveno kartico", "Pride sama"] : ["Odgovarja nekdo drug", "Ne ve, kje živi", "Pride ob dogovorjeni uri"];
    const english = kind === "single" ? ["Does not hold their documents", "Has a health card", "Comes alone"] : ["Someone else answers", "Does not know where they live", "Arrives on time"];
    await fill(page, {
      "prompt.sl": kind === "single" ? "Kateri znak je najbolj zaskrbljujoč?" : "Kateri znaki so zaskrbljujoči?",
      "prompt.en": kind === "single" ? "Which sign is most worrying?" : "Which signs are worrying?",
      "explanation.sl": "Nadzor nad dokumenti in govorjenjem je pogost znak.",
      "explanation.en": "Control over documents and speech is a common sign.",
      ...Object.fromEntries(texts.flatMap((text, i) => [[`options.${i}.text.sl`, text], [`options.${i}.text.en`, english[i] as string]])),
    });
    if (kind === "single") await page.locator('input[name="correct"]').first().check();
    else for (const i of [0, 1]) await page.locator(`input[name="options.${i}.correct"]`).check();
    await saved(page, "Shrani vprašanje");
  }

  // Nothing left to fix: publish, and see it in the changes list and the preview.
  await page.goto(`/author/courses/${slug}`);
  await expect(page.getByText("Ni težav: ta del je pripravljen za objavo.")).toBeVisible();
  await page.getByRole("button", { name: "Objavi" }).click();
  await expect(page.getByText("Objavljeno kot različica 1.", { exact: false })).toBeVisible();
  await page.getByRole("link", { name: "Predogled za udeležence" }).first().click();
  await expect(page.getByRole("heading", { name: "Pacientka v čakalnici" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`/author/courses/${slug}/translations`);
  await expectNoAxeViolations(page);
  await trainer.close();

  // A learner of the same hospital enrols and completes the course.
  const [{ organisationId }] = await query<{ organisationId: string }>(`SELECT "ownerOrganisationId" AS "organisationId" FROM "Course" WHERE slug = $1`, [slug]);
  const email = await newLearner("authoring", organisationId);
  const learner = await browser.newContext({ baseURL, locale: "sl-SI" });
  let learnerPage = await learner.newPage();
  await logIn(learnerPage, email);
  await learnerPage.goto(`/courses/${slug}`);
  await learnerPage.getByRole("button", { name: "Vpis v tečaj" }).click();
  await learnerPage.getByRole("link", { name: "Začni" }).click();
  await learnerPage.waitForURL(/\/lesson\//);
  await expect(learnerPage.getByText("Oseba morda nima svojih dokumentov.")).toBeVisible();
  learnerPage = await completeCourse(learnerPage, email, { slug });
  await learnerPage.goto(`/learn/${slug}`);
  await expect(learnerPage.getByText("Tečaj ste zaključili. Čestitamo.")).toBeVisible();
  await learner.close();
});
