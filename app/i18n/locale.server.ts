import { createCookie } from "react-router";
import { isSecureDeployment } from "~/utils/env.server.ts";
import { DEFAULT_LOCALE, isLocale, negotiateLocale, type Locale } from "./index.ts";

export const localeCookie = createCookie("opora_lang", {
  httpOnly: true,
  sameSite: "lax",
  secure: isSecureDeployment,
  path: "/",
  maxAge: 365 * 24 * 60 * 60,
});

/** The user's setting, else the language they picked while signed out, else Accept-Language, else Slovene. */
export async function resolveLocale(request: Request, user: { locale: string } | null): Promise<Locale> {
  if (user && isLocale(user.locale)) return user.locale;
  return visitorLocale(request.headers.get("Cookie"), request.headers.get("Accept-Language"));
}

/** Without a signed-in user: the language picked while signed out, else Accept-Language, else Slovene. */
export async function visitorLocale(cookieHeader: string | null, acceptLanguage: string | null): Promise<Locale> {
  const chosen = await localeCookie.parse(cookieHeader);
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}
