import { expect, test } from "@playwright/test";
import { DEMO, demoIds, emailsTo, linkTo, logInPage, uniqueEmail } from "./support.ts";

// An organiser imports a list saved by Excel on a Slovene Windows (Windows-1250, ";"), checks the
// preview, imports, and the new colleague receives the invitation; the same file again does nothing.

// Windows-1250 bytes of the Slovene letters used below; everything else is ASCII.
const WINDOWS_1250: Record<string, number> = { Č: 0xc8, č: 0xe8, Š: 0x8a, š: 0x9a, Ž: 0x8e, ž: 0x9e };
const windows1250 = (text: string) =>
  Buffer.from(
    [...text].map((char) => {
      const code = WINDOWS_1250[char] ?? char.charCodeAt(0);
      if (code > 0xff) throw new Error(`no Windows-1250 byte for ${char} in this test`);
      return code;
    }),
  );

test("an organiser invites people from a Windows-1250 CSV file", async ({ page }) => {
  const email = uniqueEmail("csv-import");
  const ids = await demoIds();
  const file = {
    name: "seznam.csv",
    mimeType: "text/csv",
    buffer: windows1250(["Ime in priimek;E-pošta;Poklic;Oddelek", `Čačič Šuštar Žužek;${email};medicinska sestra;paediatrics`, `Luka Učenec;${DEMO.learner};medicinska sestra;Emergency`, "Brez Naslova;;;Emergency", ""].join("\r\n")),
  };
  await logInPage(page, DEMO.organiser);
  await page.goto(`/org/${ids.orgA}`);
  await page.getByRole("link", { name: "Povabi s seznama CSV" }).click();
  await expect(page.getByRole("heading", { name: "Povabila s seznama CSV" })).toBeVisible();

  await page.getByLabel("Datoteka CSV").setInputFiles(file);
  await page.getByRole("button", { name: "Preveri datoteko" }).click();
  await expect(page.getByRole("status")).toContainText("Novih povabil: 1. Obstoječih računov za dodajanje: 0. Preskočenih (že v organizaciji ali že povabljeni): 1. Vrstic z napakami: 1.");
  await expect(page.getByText("Datoteka je prebrana v kodiranju Windows-1250; stolpci so ločeni s podpičjem.")).toBeVisible();
  const newRow = page.getByRole("row").filter({ hasText: "Čačič Šuštar Žužek" });
  await expect(newRow).toContainText("Paediatrics");
  await expect(newRow).toContainText("Prejme povabilo");
  await expect(page.getByRole("row").filter({ hasText: DEMO.learner })).toContainText("Že v organizaciji – preskočeno");
  await expect(page.getByRole("row").filter({ hasText: "Brez Naslova" })).toContainText("Ni uvoženo: manjka e-poštni naslov");

  await page.getByRole("button", { name: "Pošlji povabila (1)" }).click();
  await expect(page.getByRole("status")).toContainText("Povabljenih: 1. Dodanih obstoječih računov: 0. Preskočenih: 1. Vrstic z napakami: 1.");
  await expect(page.getByRole("row").filter({ hasText: "Čačič Šuštar Žužek" })).toContainText("Povabilo poslano");

  const [invitation] = await emailsTo(email);
  expect(invitation.subject).toBe("Povabilo v organizacijo Splošna bolnišnica Demo na Opori");
  expect(linkTo(invitation, "/invite/")).toContain("/invite/");

  // The same file again: the invitation is pending, so nobody is invited twice.
  await page.getByLabel("Datoteka CSV").setInputFiles(file);
  await page.getByRole("button", { name: "Preveri datoteko" }).click();
  await expect(page.getByRole("status")).toContainText("Novih povabil: 0.");
  await expect(page.getByRole("row").filter({ hasText: "Čačič Šuštar Žužek" })).toContainText("Povabilo je že poslano – preskočeno");
  await expect(page.getByText("V tej datoteki ni nikogar, ki bi ga bilo treba povabiti.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Pošlji povabila/ })).toHaveCount(0);
});
