import { redirect } from "react-router";
import type { Route } from "./+types/set-language";
import { isLocale } from "~/i18n/index.ts";
import { localeCookie } from "~/i18n/locale.server.ts";
import { db } from "~/utils/db.server.ts";
import { getSessionUser, safeRedirectPath } from "~/utils/session.server.ts";

// Switching language: saved on the account when signed in, in a cookie otherwise.
export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const to = safeRedirectPath(form.get("redirectTo"));
  if (!isLocale(locale)) return redirect(to);
  const user = await getSessionUser(request);
  if (user) await db.user.update({ where: { id: user.id }, data: { locale } });
  return redirect(to, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}

export function loader() {
  return redirect("/");
}
