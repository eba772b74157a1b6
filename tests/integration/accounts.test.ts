import { describe, expect, it } from "vitest";
import { logIn } from "../../app/domain/log-in.server.ts";
import { changePassword, requestPasswordReset, resetPassword } from "../../app/domain/reset-password.server.ts";
import { signUp } from "../../app/domain/sign-up.server.ts";
import { verifyEmail } from "../../app/domain/verify-email.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie, getSessionUser } from "../../app/utils/session.server.ts";
import { createUser, TEST_PASSWORD } from "../support/factories.ts";
import { inbox, lastEmail, linkIn } from "../support/smtp.ts";

const password = "a long enough password";

function requestWithCookie(setCookie: string) {
  return new Request("http://opora.test/", { headers: { Cookie: setCookie.split(";")[0] } });
}

describe("sign-up and email verification", () => {
  it("sends a verification link over SMTP that verifies the account once", async () => {
    await signUp({ name: "Nina Novak", email: " Nina.Novak@Example.ORG ", profession: "NURSE", password, locale: "sl" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "nina.novak@example.org" } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const mail = lastEmail("nina.novak@example.org");
    expect(mail.subject).toBe("Potrdite e-poštni naslov za Oporo");
    const link = linkIn(mail, "/verify-email");
    await verifyEmail({ token: link.searchParams.get("token")! });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
    await expect(verifyEmail({ token: link.searchParams.get("token")! })).rejects.toMatchObject({ messageKey: "verify.invalidLink" });
  });

  it("does not reveal an existing account: same outcome, and the owner is told instead", async () => {
    const existing = await createUser({ email: "taken@example.org" });
    await expect(signUp({ name: "Someone Else", email: "TAKEN@example.org", profession: "PHYSICIAN", password, locale: "en" })).resolves.toBeUndefined();
    expect(await db.user.count({ where: { email: "taken@example.org" } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: existing.id } })).name).toBe("Test Person");
    expect(lastEmail("taken@example.org").subject).toMatch(/že imate|already have/);
  });

  it("treats NFC and NFD spellings of one address as the same account", async () => {
    await signUp({ name: "Žiga", email: "z\u030Ciga@example.org", profession: "NURSE", password, locale: "sl" });
    await signUp({ name: "Žiga", email: "\u017Eiga@example.org", profession: "NURSE", password, locale: "sl" });
    expect(await db.user.count({ where: { email: "\u017Eiga@example.org" } })).toBe(1);
  });

  it("refuses expired verification links", async () => {
    const clock = fixedClock("2026-01-01T10:00:00Z");
    await signUp({ name: "Late", email: "late@example.org", profession: "NURSE", password, locale: "en", clock });
    const token = linkIn(lastEmail("late@example.org"), "/verify-email").searchParams.get("token")!;
    clock.advance(49 * 3600_000);
    await expect(verifyEmail({ token, clock })).rejects.toMatchObject({ code: "INVALID" });
  });
});

describe("log-in", () => {
  it("answers alike for an unknown email and a wrong password", async () => {
    await createUser({ email: "known@example.org" });
    // Both at once, settled together: neither refusal goes unobserved while the other is awaited.
    const [unknown, wrong] = await Promise.allSettled([
      logIn({ email: "nobody@example.org", password: "whatever-123", clientIp: "10.0.0.1" }),
      logIn({ email: "known@example.org", password: "whatever-123", clientIp: "10.0.0.1" }),
    ]);
    expect(unknown).toMatchObject({ status: "rejected", reason: { code: "INVALID", messageKey: "login.invalid" } });
    expect(wrong).toMatchObject({ status: "rejected", reason: { code: "INVALID", messageKey: "login.invalid" } });
  });

  it("refuses an unverified account and re-sends the verification link", async () => {
    await createUser({ email: "unverified@example.org", verified: false });
    await expect(logIn({ email: "unverified@example.org", password: TEST_PASSWORD, clientIp: "10.0.0.1" })).rejects.toMatchObject({ messageKey: "login.unverified" });
    expect(inbox("unverified@example.org")).toHaveLength(1);
  });

  it("throttles an account+client after 5 failures, lets other clients in, and lifts after 15 minutes", async () => {
    const clock = fixedClock("2026-03-01T08:00:00Z");
    const user = await createUser({ email: "target@example.org" });
    for (let i = 0; i < 5; i++) {
      await expect(logIn({ email: "target@example.org", password: "wrong-password", clientIp: "203.0.113.5", clock })).rejects.toMatchObject({ code: "INVALID" });
    }
    await expect(logIn({ email: "target@example.org", password: TEST_PASSWORD, clientIp: "203.0.113.5", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // A colleague behind another address (or the same hospital NAT for another account) is not blocked.
    await expect(logIn({ email: "target@example.org", password: TEST_PASSWORD, clientIp: "198.51.100.7", clock })).resolves.toEqual({ userId: user.id });
    clock.advance(16 * 60_000);
    await expect(logIn({ email: "target@example.org", password: TEST_PASSWORD, clientIp: "203.0.113.5", clock })).resolves.toEqual({ userId: user.id });
  });

  it("rotates the session at log-in: the cookie from before no longer works", async () => {
    const user = await createUser();
    const first = await createSessionCookie(new Request("http://opora.test/"), user.id);
    const second = await createSessionCookie(requestWithCookie(first), user.id);
    expect(await getSessionUser(requestWithCookie(first))).toBeNull();
    expect((await getSessionUser(requestWithCookie(second)))?.id).toBe(user.id);
    const [session] = await db.session.findMany({ where: { userId: user.id } });
    expect(second).toContain("HttpOnly");
    expect(second).toContain("SameSite=Lax");
    expect(second).not.toContain(session.id); // the table stores a hash, never the cookie value
  });
});

describe("password reset and change", () => {
  it("resets through the emailed link, verifies the email and ends every session", async () => {
    const user = await createUser({ email: "forgetful@example.org", verified: false });
    const cookie = await createSessionCookie(new Request("http://opora.test/"), user.id);
    await requestPasswordReset({ email: "Forgetful@example.org" });
    const token = linkIn(lastEmail("forgetful@example.org"), "/reset-password").searchParams.get("token")!;
    await resetPassword({ token, password: "a brand new password" });
    expect(await getSessionUser(requestWithCookie(cookie))).toBeNull();
    await expect(logIn({ email: "forgetful@example.org", password: "a brand new password", clientIp: "10.0.0.2" })).resolves.toEqual({ userId: user.id });
    await expect(resetPassword({ token, password: "yet another password" })).rejects.toMatchObject({ messageKey: "reset.invalidLink" });
    expect(lastEmail("forgetful@example.org").subject).toMatch(/spremenjeno|changed/);
  });

  it("answers alike for unknown emails and sends nothing", async () => {
    await expect(requestPasswordReset({ email: "ghost@example.org" })).resolves.toBeUndefined();
    expect(inbox("ghost@example.org")).toHaveLength(0);
  });

  it("requires the current password to change it", async () => {
    const user = await createUser();
    await expect(changePassword({ userId: user.id, currentPassword: "not it at all", password: "new password 123" })).rejects.toMatchObject({ field: "currentPassword" });
    await changePassword({ userId: user.id, currentPassword: TEST_PASSWORD, password: "new password 123" });
    await expect(logIn({ email: user.email, password: "new password 123", clientIp: "10.0.0.3" })).resolves.toEqual({ userId: user.id });
  });
});
