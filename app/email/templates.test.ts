import { describe, expect, it } from "vitest";
import { skeletonOf, TEXT_PAYLOADS, textOf } from "../../tests/support/xss-payloads.ts";
import { emails, type RenderedEmail } from "./templates.ts";

// Names of people, courses and organisations reach every email; their HTML bodies must carry them as
// text, whatever they hold.
const url = "https://opora.example/verify/ABCD-EFGH-JKMN-PQRS";
const templates: Record<string, (text: string) => RenderedEmail> = {
  verifyEmail: (name) => emails.verifyEmail("sl", { name, url }),
  accountExists: (name) => emails.accountExists("en", { name, loginUrl: url, resetUrl: url }),
  resetPassword: (name) => emails.resetPassword("sl", { name, url }),
  passwordChanged: (name) => emails.passwordChanged("sl", { name }),
  certificateIssued: (text) => emails.certificateIssued("sl", { name: text, course: text, expires: "1. 6. 2028", url }),
  certificateExpiring: (text) => emails.certificateExpiring("en", { name: text, course: text, expires: "1 June 2028", url }),
  certificateExpired: (text) => emails.certificateExpired("sl", { name: text, course: text, expires: "1. 6. 2028", url }),
  emailChangeConfirm: (name) => emails.emailChangeConfirm("sl", { name, url }),
  emailChangeRequested: (name) => emails.emailChangeRequested("sl", { name, masked: "a***@example.org" }),
  emailChangeTaken: (name) => emails.emailChangeTaken("sl", { name }),
  emailChanged: (name) => emails.emailChanged("sl", { name, masked: "a***@example.org" }),
  deletionScheduled: (name) => emails.deletionScheduled("sl", { name, date: "15. 6. 2026", url }),
  assignmentAssigned: (text) => emails.assignmentNotice("sl", "assigned", { name: text, course: text, organisation: text, due: "", url }),
  assignmentOverdue: (text) => emails.assignmentNotice("en", "overdue", { name: text, course: text, organisation: text, due: "1 June 2026", url }),
  organiserDigest: (text) => emails.organiserDigest("sl", { name: text, organisation: text, overdue: 1, completed: 2, expiring: 3, url }),
  invitation: (text) => emails.invitation("sl", { organisation: text, inviter: text, url }),
};

describe("email HTML with hostile names", () => {
  for (const [template, render] of Object.entries(templates)) {
    it(`${template}: every payload is text in the HTML and the plain text, and adds no markup`, () => {
      const ordinary = render("Ana Novak");
      for (const payload of TEXT_PAYLOADS) {
        const email = render(payload.text);
        expect(skeletonOf(email.html), payload.name).toEqual(skeletonOf(ordinary.html));
        expect(textOf(email.html), payload.name).toContain(payload.text);
        expect(email.text, payload.name).toContain(payload.text);
      }
    });
  }
});
