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

  it("counts attempts sent all at once: a burst of 30 wrong passwords gets no more than the 5 checks a client has", async () => {
    const clock = fixedClock("2026-03-02T08:00:00Z");
    const user = await createUser({ email: "burst@example.org" });
    const attempt = (password: string) => logIn({ email: "burst@example.org", password, clientIp: "203.0.113.9", clock });
    const burst = await Promise.allSettled(Array.from({ length: 30 }, () => attempt("wrong-password")));
    const codes = burst.map((outcome) => (outcome.status === "rejected" ? (outcome.reason as { code: string }).code : "signed in"));
    expect(codes.filter((code) => code !== "INVALID" && code !== "TOO_MANY_REQUESTS")).toEqual([]);
    // Attempts refused in the burst are not counted; the ones checked are, so 5 checks in all, burst included.
    let checked = codes.filter((code) => code === "INVALID").length;
    expect(checked).toBeLessThanOrEqual(5);
    for (let i = 0; i < 10; i++) {
      const outcome = await attempt("wrong-password").catch((error: { code: string }) => error.code);
      expect(["INVALID", "TOO_MANY_REQUESTS"]).toContain(outcome);
      if (outcome === "INVALID") checked++;
    }
    expect(checked).toBe(5);
    await expect(attempt(TEST_PASSWORD)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    clock.advance(15 * 60_000 + 1);
    await expect(attempt(TEST_PASSWORD)).resolves.toEqual({ userId: user.id });
  });

  it("throttles an account after 20 failures from any clients, and lifts after 15 minutes", async () => {
    const clock = fixedClock("2026-03-03T08:00:00Z");
    const user = await createUser({ email: "spread@example.org" });
    for (let i = 0; i < 20; i++) {
      await expect(logIn({ email: "spread@example.org", password: "wrong-password", clientIp: `198.51.100.${i}`, clock })).rejects.toMatchObject({ code: "INVALID" });
    }
    // A client that never failed is refused too, even with the right password; another account is not.
    await expect(logIn({ email: "spread@example.org", password: TEST_PASSWORD, clientIp: "192.0.2.200", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", messageKey: "login.throttled" });
    const neighbour = await createUser({ email: "neighbour@example.org" });
    await expect(logIn({ email: "neighbour@example.org", password: TEST_PASSWORD, clientIp: "198.51.100.1", clock })).resolves.toEqual({ userId: neighbour.id });
    clock.advance(14 * 60_000);
    await expect(logIn({ email: "spread@example.org", password: TEST_PASSWORD, clientIp: "192.0.2.200", clock })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    clock.advance(60_000 + 1);
    await expect(logIn({ email: "spread@example.org", password: TEST_PASSWORD, clientIp: "192.0.2.200", clock })).resolves.toEqual({ userId: user.id });
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

  it("sends at most 5 links an hour per address, bursts included, and sends again once the hour has passed", async () => {
    const clock = fixedClock("2026-03-04T08:00:00Z");
    const user = await createUser({ email: "flooded@example.org" });
    // Requests sent all at once are counted before any link goes out.
    await Promise.all(Array.from({ length: 12 }, () => requestPasswordReset({ email: "Flooded@example.org", clock })));
    expect(inbox("flooded@example.org").length).toBeLessThanOrEqual(5);
    for (let i = 0; i < 8; i++) await expect(requestPasswordReset({ email: "flooded@example.org", clock })).resolves.toBeUndefined();
    expect(inbox("flooded@example.org")).toHaveLength(5);
    expect(await db.token.count({ where: { kind: "RESET_PASSWORD", userId: user.id } })).toBe(5);
    clock.advance(60 * 60_000 - 1);
    await requestPasswordReset({ email: "flooded@example.org", clock });
    expect(inbox("flooded@example.org")).toHaveLength(5);
    clock.advance(1);
    await requestPasswordReset({ email: "flooded@example.org", clock });
    expect(inbox("flooded@example.org")).toHaveLength(6);
    // The newest link works.
    const token = linkIn(lastEmail("flooded@example.org"), "/reset-password").searchParams.get("token")!;
    await expect(resetPassword({ token, password: "after the flood", clock })).resolves.toEqual({ userId: user.id });
  });

  it("counts requests for an address without an account alike, so the limit tells nothing either", async () => {
    const clock = fixedClock("2026-03-05T08:00:00Z");
    for (let i = 0; i < 6; i++) await expect(requestPasswordReset({ email: "nobody-here@example.org", clock })).resolves.toBeUndefined();
    expect(await db.throttleEvent.count({ where: { key: "reset:nobody-here@example.org" } })).toBe(5);
  });

  it("requires the current password to change it", async () => {
    const user = await createUser();
    await expect(changePassword({ userId: user.id, currentPassword: "not it at all", password: "new password 123" })).rejects.toMatchObject({ field: "currentPassword" });
    await changePassword({ userId: user.id, currentPassword: TEST_PASSWORD, password: "new password 123" });
    await expect(logIn({ email: user.email, password: "new password 123", clientIp: "10.0.0.3" })).resolves.toEqual({ userId: user.id });
  });
});
