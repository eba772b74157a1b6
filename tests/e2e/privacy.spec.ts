import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { emailsTo, linkTo, logInPage, uniqueEmail } from "./support.ts";

// A person's own data and account, as they manage it under Settings → Your data.

async function signUpAndLogIn(page: Page, name: string) {
  const email = uniqueEmail("privacy");
  await page.goto("/signup");
  await page.getByLabel("Ime in priimek").fill(name);
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel("Poklic").selectOption("NURSE");
  await page.getByLabel("Novo geslo").fill("moje varno geslo");
  await page.getByRole("button", { name: "Ustvari račun" }).click();
  await expect(page.getByRole("heading", { name: "Preverite e-pošto" })).toBeVisible();
  const [welcome] = await emailsTo(email);
  await page.goto(linkTo(welcome, "/verify-email"));
  await logInPage(page, email, "moje varno geslo");
  return email;
}

test("a nurse downloads her data, changes her email through a confirmation link, and schedules then cancels deletion", async ({ page }, testInfo) => {
  const email = await signUpAndLogIn(page, "Tina Štrukelj");
  await page.goto("/settings");
  await page.getByRole("link", { name: "Vaši podatki in račun" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vaši podatki");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Prenesi kot JSON" }).click();
  const data = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  expect(data.User).toMatchObject({ email, name: "Tina Štrukelj" });
  expect(data.EmailMessage.map((m: { kind: string }) => m.kind)).toContain("verify-email");

  const newEmail = uniqueEmail("privacy-new");
  await page.getByLabel("Nov e-poštni naslov").fill(newEmail);
  await page.getByRole("main").getByLabel("Vaše geslo").first().fill("moje varno geslo");
  await page.getByRole("button", { name: "Pošlji povezavo za potrditev" }).click();
  await expect(page.getByRole("status").first()).toContainText("Na nov naslov smo poslali povezavo");
  const [confirmation] = await emailsTo(newEmail);
  await page.goto(linkTo(confirmation, "/settings/email"));
  await expect(page.getByRole("status").first()).toHaveText("Vaš e-poštni naslov je spremenjen.");
  await expect(page.getByText(`Vaš račun uporablja naslov ${newEmail.toLowerCase()}.`)).toBeVisible();
  const toOld = await emailsTo(email, 3);
  expect(toOld.map((m) => m.subject)).toContain("Vaš e-poštni naslov v Opori je spremenjen");

  const deletion = page.getByRole("main").locator("form").filter({ has: page.getByRole("button", { name: "Izbriši moj račun" }) });
  await deletion.getByLabel("Vaše geslo").fill("moje varno geslo");
  await deletion.getByRole("button", { name: "Izbriši moj račun" }).click();
  await expect(page.getByText("Za potrditev označite polje.").or(page.locator("input[name=confirm]:invalid"))).toHaveCount(1);
  await deletion.getByLabel(/Razumem/).check();
  await deletion.getByRole("button", { name: "Izbriši moj račun" }).click();
  await expect(page.getByRole("heading", { name: "Vaš račun bo kmalu izbrisan" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("deletion-pending.png"), fullPage: true });
  await page.getByRole("button", { name: "Obdrži moj račun" }).click();
  await expect(page.getByRole("status").first()).toHaveText("Izbris je preklican: vaš račun ostane.");
  await expect(page.getByRole("heading", { name: "Izbris računa" })).toBeVisible();
});
