import { data, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { BusyNotice } from "./components/busy-notice.tsx";
import { GeneralErrorBoundary } from "./components/error-boundary.tsx";
import { translator, type Locale } from "./i18n/index.ts";
import { useLocale } from "./i18n/use-t.ts";
import { resolveLocale } from "./i18n/locale.server.ts";
import { currentMemberships } from "./utils/memberships.server.ts";
import { getSessionUser } from "./utils/session.server.ts";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await getSessionUser(request);
  const locale = await resolveLocale(request, user);
  const memberships = user ? await currentMemberships(user.id) : [];
  return data({
    locale,
    cspNonce: context.cspNonce,
    user: user ? { id: user.id, name: user.name, isAdmin: user.isAdmin } : null,
    memberships,
  });
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData("root") as RootData | undefined;
  const locale: Locale = useLocale();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
        <BusyNotice />
        <ScrollRestoration nonce={root?.cspNonce} />
        <Scripts nonce={root?.cspNonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function meta({ data: loaderData }: Route.MetaArgs) {
  const t = translator(loaderData?.locale ?? "sl");
  return [{ title: "Opora" }, { name: "description", content: t("app.tagline") }];
}

export function ErrorBoundary() {
  return (
    <main className="mx-auto max-w-2xl p-6">
      <GeneralErrorBoundary />
    </main>
  );
}
