import { createCookie, redirect } from "react-router";
import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "./db.server.ts";
import { sqlRow } from "./sql.server.ts";
import { isSecureDeployment } from "./env.server.ts";
import { systemClock, type Clock } from "./clock.server.ts";
import { hashSecret, newSecret } from "./tokens.server.ts";

export { safeRedirectPath } from "./redirect.ts";

const SESSION_DAYS = 30;

// The cookie holds only a random id; the Session table holds its hash, so a database leak does not
// hand out live sessions.
const sessionCookie = createCookie(isSecureDeployment ? "__Host-opora_session" : "opora_session", {
  httpOnly: true,
  sameSite: "lax",
  secure: isSecureDeployment,
  path: "/",
  maxAge: SESSION_DAYS * 24 * 60 * 60,
});

export async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  locale: string;
  isAdmin: boolean;
  profession: string;
};

const sessionsByRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user, looked up once per request however many loaders ask. */
export function getSessionUser(request: Request, clock: Clock = systemClock): Promise<SessionUser | null> {
  if (clock !== systemClock) return lookUpSessionUser(request, clock);
  let user = sessionsByRequest.get(request);
  if (!user) {
    user = lookUpSessionUser(request, clock);
    sessionsByRequest.set(request, user);
  }
  return user;
}

/** After an action changed the user (name, language), loaders in the same request must read afresh. */
export function forgetSessionUser(request: Request) {
  sessionsByRequest.delete(request);
}

async function lookUpSessionUser(request: Request, clock: Clock): Promise<SessionUser | null> {
  const secret = await readSessionId(request);
  if (!secret) return null;
  // Every request asks this: one statement in plain SQL (sql.server.ts).
  return (
    (await sqlRow<SessionUser>(
      db.pool,
      Prisma.sql`SELECT u.id, u.email, u.name, u.locale, u."isAdmin", u.profession::text AS profession
        FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ${hashSecret(secret)} AND s."expiresAt" > ${clock.now()}`,
    )) ?? null
  );
}

/**
 * Starts a session for a user who just proved who they are. Any session the browser already had is
 * ended, so a session id planted before log-in is worthless afterwards.
 */
export async function createSessionCookie(request: Request, userId: string, clock: Clock = systemClock) {
  const previous = await readSessionId(request);
  const { secret, hash } = newSecret();
  await db.$transaction([
    ...(previous ? [db.session.deleteMany({ where: { id: hashSecret(previous) } })] : []),
    db.session.create({ data: { id: hash, userId, expiresAt: new Date(clock.now().getTime() + SESSION_DAYS * 864e5) } }),
  ]);
  return sessionCookie.serialize(secret);
}

export async function destroySession(request: Request) {
  const secret = await readSessionId(request);
  if (secret) await db.session.deleteMany({ where: { id: hashSecret(secret) } });
  return sessionCookie.serialize("", { maxAge: 0 });
}

export function redirectToLogin(request: Request) {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
}
