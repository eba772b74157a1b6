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
  const chosen = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}
