import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { logIn, newLearner } from "./learner-flows.ts";
import { DEMO, demoIds, emailsTo, linkTo, logInPage, sessionCookie, uniqueEmail } from "./support.ts";

test("organiser A cannot reach organiser B's organisation or people", async ({ page, request }) => {
  const ids = await demoIds();
  await logInPage(page, DEMO.organiser);
  await page.goto(`/org/${ids.orgA}`);
  await expect(page.getByRole("heading", { name: "Splošna bolnišnica Demo" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Luka Učenec" })).toBeVisible();

  for (const path of [`/org/${ids.orgB}`, `/org/${ids.orgB}/people/${ids.learnerB}`, `/org/${ids.orgA}/people/${ids.learnerB}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Strani ni mogoče najti" })).toBeVisible();
    await expect(page.getByText("Bojan Učenec")).toHaveCount(0);
  }

  // Nor can they change anything there over HTTP.
  const cookie = await sessionCookie(request, DEMO.organiser);
  const response = await request.post(`/org/${ids.orgB}/people/${ids.learnerB}`, { headers: { Cookie: cookie }, form: { intent: "update", roles: "ORGANISER" }, maxRedirects: 0 });
  expect(response.status()).toBe(404);
});

test("an organiser invites a new colleague, who joins through the emailed link", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("invitee");
  await logInPage(page, DEMO.organiser);
  const ids = await demoIds();
  await page.goto(`/org/${ids.orgA}`);
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel("Oddelek", { exact: true }).selectOption({ label: "Paediatrics" });
  await page.getByRole("button", { name: "Pošlji povabilo" }).click();
  await expect(page.getByRole("status")).toHaveText("Povabilo je poslano.");
  await expect(page.getByText(email)).toBeVisible();

  const [invitation] = await emailsTo(email);
  expect(invitation.subject).toBe("Povabilo v organizacijo Splošna bolnišnica Demo na Opori");
  const invitee = await browser.newContext({ baseURL, locale: "sl-SI" });
  const invitePage = await invitee.newPage();
  await invitePage.goto(linkTo(invitation, "/invite/"));
  await invitePage.getByLabel("Ime in priimek").fill("Nova Sestra");
  await invitePage.getByLabel("Poklic").selectOption("NURSE");
  await invitePage.getByLabel("Novo geslo").fill("pediatrija 2026");
  await invitePage.getByRole("button", { name: "Ustvari račun in se pridruži" }).click();
  await expect(invitePage.getByRole("heading", { name: "Pozdravljeni, Nova Sestra" })).toBeVisible();
  await invitee.close();

  await page.reload();
  await expect(page.getByRole("link", { name: "Nova Sestra" })).toBeVisible();
});

test("an admin creates an organisation with departments", async ({ page }) => {
  await logInPage(page, DEMO.admin);
  await page.goto("/admin");
  const name = `Bolnišnica ${Date.now().toString(36)}`;
  await page.getByLabel("Organizacija").fill(name);
  await page.getByLabel("Oddelki").fill("Urgenca\nPediatrija");
  await page.getByRole("button", { name: "Ustvari organizacijo" }).click();
  await expect(page.getByRole("status")).toHaveText("Organizacija je ustvarjena.");
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Pediatrija" })).toBeVisible();
});

test("an organiser revokes a certificate their organisation issued, and verification shows it at once", async ({ page }) => {
  const ids = await demoIds();
  await logInPage(page, DEMO.organiserB);
  await page.goto(`/org/${ids.orgB}/people/${ids.learnerB}`);
  await expect(page.getByRole("heading", { name: "Potrdila, ki jih je izdala vaša organizacija" })).toBeVisible();
  const code = (await page.locator(".font-mono").first().textContent())!.trim();
  await page.getByRole("button", { name: "Prekliči potrdilo" }).click();
  await expect(page.getByText("Navedite razlog z vsaj 5 znaki.")).toBeVisible();
  await page.getByLabel(/Razlog za preklic/).fill("Potrdilo izdano pomotoma");
  await page.getByRole("button", { name: "Prekliči potrdilo" }).click();
  await expect(page.getByRole("status")).toHaveText("Potrdilo je preklicano. Stran za preverjanje to prikaže takoj.");
  await page.goto(`/verify/${code}`);
  await expect(page.getByRole("status")).toContainText("Preklicano");
  await expect(page.getByText("Potrdilo izdano pomotoma")).toBeVisible();
});

test("an organiser downloads the people list as CSV that Slovene Excel opens, with the filters shown", async ({ page, browser, baseURL }) => {
  const ids = await demoIds();
  // A colleague of the organisation enrols, so that the organisation has a course to report on.
  const email = await newLearner("csv", ids.orgA);
  const learner = await (await browser.newContext({ baseURL, locale: "sl-SI" })).newPage();
  await logIn(learner, email);
  await learner.goto("/courses/recognising-trafficking");
  await learner.getByRole("button", { name: "Vpis v tečaj" }).click();
  await expect(learner.getByRole("link", { name: "Začni" })).toBeVisible();

  await logInPage(page, DEMO.organiser);
  await page.goto(`/org/${ids.orgA}/people`);
  // Other tests enrol the organisation's people in other courses too: the list is about one of them.
  await page.getByLabel("Tečaj").selectOption({ label: "Prepoznavanje trgovine z ljudmi v zdravstvu" });
  await page.getByRole("button", { name: "Prikaži" }).click();
  await expect(page).toHaveURL(/course=/);
  const download = async () => {
    const file = page.waitForEvent("download");
    await page.getByRole("link", { name: "Prenesi kot CSV (Excel)" }).click();
    const bytes = readFileSync(await (await file).path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs for UTF-8
    const lines = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines.pop()).toBe(""); // every line, the last too, ends with CRLF
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
    return lines.map((line) => line.split(";"));
  };

  const [header, ...everyone] = await download();
  expect(header).toEqual(["Ime in priimek", "E-pošta", "Poklic", "Oddelek", "Številka licence", "Tečaj", "Stanje", "Vpis", "Začetek", "Zaključek", "Rok", "Končni rezultat (%)", "Koda potrdila", "Veljavno do"]);
  const shown = Number((await page.getByRole("status").filter({ hasText: "oseb" }).textContent())?.match(/^(\d+) oseb/)?.[1]);
  expect(everyone).toHaveLength(shown);
  expect(everyone.every((row) => row.length === header.length)).toBe(true);
  // The new colleague's row says what the list says, in words, with the day they enrolled.
  const row = everyone.find((cells) => cells[1] === email)!;
  expect(row.slice(2, 8)).toEqual(["Medicinska sestra / zdravstvenik", "", "", "Prepoznavanje trgovine z ljudmi v zdravstvu", "Ni začeto", expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
  await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("Ni začeto");

  // Filtered, the download holds what the list shows.
  await page.getByLabel("Iskanje po imenu ali e-pošti").fill("Učen");
  await page.getByRole("button", { name: "Prikaži" }).click();
  await expect(page).toHaveURL(/q=U%C4%8Den/);
  const [, ...found] = await download();
  expect(found.map((cells) => cells[0]).sort()).toEqual((await page.getByRole("table").getByRole("rowheader").getByRole("link").allTextContents()).sort());
  expect(found.length).toBeGreaterThan(0);
  expect(found.length).toBeLessThan(everyone.length);
});
