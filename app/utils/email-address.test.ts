import { expect, it } from "vitest";
import { normaliseEmail } from "./email-address.ts";

it("lower-cases, trims and NFC-normalises addresses", () => {
  expect(normaliseEmail("  Ana.Novak@KBC.si ")).toBe("ana.novak@kbc.si");
  expect(normaliseEmail("Z\u030Ciga@x.si")).toBe("\u017Eiga@x.si");
  expect(normaliseEmail("Z\u030Ciga@x.si")).toBe(normaliseEmail("\u017Diga@X.si"));
});
