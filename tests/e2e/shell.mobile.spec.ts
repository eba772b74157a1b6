import { expect, test } from "@playwright/test";
import { DEMO, logInPage } from "./support.ts";

test("on a phone the shell fits the screen and works by keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Preskoči na vsebino" })).toBeFocused();
  await logInPage(page, DEMO.learner);
  await page.goto("/courses/recognising-trafficking");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
});
