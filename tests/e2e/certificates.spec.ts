import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO, demoIds, logInPage } from "./support.ts";

// The certificate features as their users meet them. learner-b holds the demo certificate of
// organisation B (another spec may revoke it meanwhile, so nothing here depends on its status).

test("a holder downloads the digital credential, and the verification page checks the upload", async ({ page }, testInfo) => {
  await logInPage(page, DEMO.learnerB);
  await page.goto("/me/certificates");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Prenesi digitalno potrdilo (Open Badges)" }).first().click();
  const file = await (await download).path();
  const saved = JSON.parse(readFileSync(file, "utf8")) as { jwt: string; credential: { type: string[] } };
  expect(saved.credential.type).toContain("OpenBadgeCredential");
  expect(saved.jwt.split(".")).toHaveLength(3);

  await page.goto("/verify");
  await page.getByLabel("Datoteka s potrdilom").setInputFiles(file);
  await page.getByRole("button", { name: "Preveri potrdilo" }).click();
  // Signature, issuer and format hold; the status depends on whether another spec revoked it.
  for (const check of ["Podpis", "Izdajatelj", "Oblika Open Badges 3.0"]) {
    await expect(page.getByRole("listitem").filter({ has: page.getByText(check, { exact: true }) })).toContainText("Ustreza");
  }
  await page.screenshot({ path: testInfo.outputPath("credential-check.png"), fullPage: true });

  // A token changed by one character fails the signature check.
  const [header, payload, signature] = saved.jwt.split(".");
  const tampered = `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
  await page.goto("/verify");
  await page.getByLabel("Ali prilepite podpisani žeton (JWT)").fill(tampered);
  await page.getByRole("button", { name: "Preveri potrdilo" }).click();
  await expect(page.getByRole("listitem").filter({ has: page.getByText("Podpis", { exact: true }) })).toContainText("Ne ustreza");
});

test("an organiser prepares a ZIP of the organisation's certificates and downloads it", async ({ page }, testInfo) => {
  const { orgB } = await demoIds();
  await logInPage(page, DEMO.organiserB);
  await page.goto(`/org/${orgB}`);
  await page.getByRole("link", { name: "Prenesi potrdila kot ZIP" }).click();
  await page.getByLabel("Potrdila").selectOption("all");
  await page.getByRole("button", { name: "Pripravi ZIP" }).click();
  await expect(page).toHaveURL(/\/exports\/[a-z0-9]+$/);
  // The page follows the job without a reload.
  await expect(page.getByText("Pripravljeno")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/1 od 1 potrdil/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("export-done.png"), fullPage: true });
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Prenesi ZIP/ }).click();
  const zip = readFileSync(await (await download).path());
  expect(zip.subarray(0, 2).toString()).toBe("PK");
});

test("a learner sets a licence target and sees the transcript against it", async ({ page }, testInfo) => {
  await logInPage(page, DEMO.learnerB);
  await page.goto("/me/certificates");
  await page.getByRole("link", { name: /kreditnih točk/i }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pregled kreditnih točk");
  await page.getByLabel("Pravila za licenco").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Shrani cilj" }).click();
  await expect(page.getByText("Cilj je shranjen.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("transcript.png"), fullPage: true });
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Prenesi CSV (Excel)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain("Prepoznavanje trgovine z ljudmi v zdravstvu");
});
