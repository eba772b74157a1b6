import { describe, expect, it } from "vitest";
import { skeletonOf, TEXT_PAYLOADS, textOf } from "../../tests/support/xss-payloads.ts";
import { renderPersonalDataHtml } from "./data-summary.server.ts";
import type { PersonalDataExport } from "./personal-data.server.ts";

// The downloadable HTML summary of a person's data holds what they and others typed (their name,
// course titles on certificates, organisation names): all of it as text.
function personalData(text: string) {
  return {
    generatedAt: "2026-06-01T10:00:00.000Z",
    about: {},
    User: { id: "u1", email: "ana@example.org", name: text, licenceNumber: text },
    Certificate: [{ code: "ABCD-EFGH-JKMN-PQRS", holderName: text, courseTitle: { sl: text }, issuerName: text }],
    Membership: [{ organisation: text, department: text, roles: ["LEARNER"] }],
  } as unknown as PersonalDataExport;
}

describe("the personal data summary with hostile text", () => {
  it("shows every payload as text and adds no markup", () => {
    const ordinary = renderPersonalDataHtml(personalData("Ana Novak"), "sl");
    for (const payload of TEXT_PAYLOADS) {
      const html = renderPersonalDataHtml(personalData(payload.text), "sl");
      expect(skeletonOf(html), payload.name).toEqual(skeletonOf(ordinary));
      expect(textOf(html), payload.name).toContain(payload.text);
    }
  });
});
