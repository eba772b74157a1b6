import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { destroySession } from "~/utils/session.server.ts";

export async function action({ request }: Route.ActionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await destroySession(request) } });
}

// Logging out is a POST (a link or image must not sign anyone out).
export function loader() {
  return redirect("/");
}
