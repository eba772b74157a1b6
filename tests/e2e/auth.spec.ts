import { expect, test } from "@playwright/test";
import { emailsTo, linkTo, logInPage, uniqueEmail } from "./support.ts";

test("a new nurse signs up, verifies her email through the emailed link, logs in and out", async ({ page }) => {
  const email = uniqueEmail("nurse");
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Ustvarite račun" })).toBeVisible();
  await page.getByLabel("Ime in priimek").fill("Špela Čadež");
  await page.getByLabel("E-pošta").fill(email.toUpperCase());
  await page.getByLabel("Poklic").selectOption("NURSE");
  await page.getByLabel("Novo geslo").fill("moje varno geslo");
  await page.getByRole("button", { name: "Ustvari račun" }).click();
  await expect(page.getByRole("heading", { name: "Preverite e-pošto" })).toBeVisible();

  // Not verified yet: log-in is refused and a new link is sent.
  await page.goto("/login");
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel(/^Geslo$/).fill("moje varno geslo");
  await page.getByRole("button", { name: "Prijava" }).click();
  await expect(page.getByRole("alert")).toContainText("Najprej potrdite");

  const [first] = await emailsTo(email, 2);
  expect(first.subject).toBe("Potrdite e-poštni naslov za Oporo");
  await page.goto(linkTo(first, "/verify-email"));
  await expect(page).toHaveURL(/\/login\?notice=verified/);
  await expect(page.getByRole("status")).toContainText("potrjen");

  await logInPage(page, email, "moje varno geslo");
  await expect(page.getByRole("heading", { name: "Pozdravljeni, Špela Čadež" })).toBeVisible();
  await page.getByRole("button", { name: "Odjava" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Prijava" })).toBeVisible();
});

test("sign-up shows each problem next to its field and keeps nothing", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("E-pošta").fill("not-an-email");
  await page.getByLabel("Novo geslo").fill("short");
  await page.getByRole("button", { name: "Ustvari račun" }).click();
  await expect(page.getByLabel("Ime in priimek")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("To polje je obvezno.")).toBeVisible();
  await expect(page.getByText("Vpišite e-poštni naslov, npr. ime@bolnisnica.si.")).toBeVisible();
  await expect(page.getByText("Geslo naj ima vsaj 10 znakov.")).toBeVisible();
});

test("a forgotten password is reset through the emailed link", async ({ page }) => {
  const email = uniqueEmail("forgetful");
  await page.goto("/signup");
  await page.getByLabel("Ime in priimek").fill("Pozabljivi Zdravnik");
  await page.getByLabel("E-pošta").fill(email);
  await page.getByLabel("Poklic").selectOption("PHYSICIAN");
  await page.getByLabel("Novo geslo").fill("first password 1");
  await page.getByRole("button", { name: "Ustvari račun" }).click();
  await expect(page.getByRole("heading", { name: "Preverite e-pošto" })).toBeVisible();

  await page.goto("/forgot-password");
  await page.getByLabel("E-pošta").fill(email);
  await page.getByRole("button", { name: "Pošlji povezavo" }).click();
  await expect(page.getByRole("status")).toContainText("Če ta naslov pripada računu");
  const messages = await emailsTo(email, 2);
  const reset = messages.find((m) => m.subject.includes("Ponastavitev"))!;
  await page.goto(linkTo(reset, "/reset-password"));
  await page.getByLabel("Novo geslo").fill("second password 2");
  await page.getByRole("button", { name: "Shrani novo geslo" }).click();
  await expect(page).toHaveURL(/notice=reset/);
  await logInPage(page, email, "second password 2");
});

test("log-in does not tell whether an account exists", async ({ page }) => {
  for (const email of ["nobody-here@example.org", "learner@opora.test"]) {
    await page.goto("/login");
    await page.getByLabel("E-pošta").fill(email);
    await page.getByLabel(/^Geslo$/).fill("definitely wrong");
    await page.getByRole("button", { name: "Prijava" }).click();
    await expect(page.getByRole("alert")).toHaveText("E-poštni naslov ali geslo ni pravilno.");
  }
});
