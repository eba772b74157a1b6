import { Form, Link, NavLink, useLocation, useRouteLoaderData } from "react-router";
import { useT } from "~/i18n/use-t.ts";
import type { RootData } from "~/root.tsx";

function LanguageSwitch() {
  const root = useRouteLoaderData("root") as RootData;
  const location = useLocation();
  const t = useT();
  const other = root.locale === "sl" ? "en" : "sl";
  return (
    <Form method="post" action="/set-language">
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className="rounded-md px-2 py-1 text-sm underline-offset-2 hover:underline" lang={other}>
        {t(other === "en" ? "nav.switchToEnglish" : "nav.switchToSlovene")}
      </button>
    </Form>
  );
}

const navLink = ({ isActive }: { isActive: boolean }) => `rounded-md px-2 py-1 ${isActive ? "bg-brand-800 font-semibold" : "hover:bg-brand-800"}`;

/** Header, navigation and main landmark; usable at 360 px and by keyboard. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData("root") as RootData;
  const t = useT();
  const organising = root.memberships.filter((m) => m.roles.includes("ORGANISER"));
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("nav.skip")}
      </a>
      <header className="bg-brand-700 text-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to="/" className="text-lg font-bold tracking-tight">
            Opora
          </Link>
          <nav aria-label={t("nav.main")} className="flex flex-1 flex-wrap items-center gap-1 text-sm">
            {root.user ? (
              <>
                <NavLink to="/" end className={navLink}>
                  {t("nav.myLearning")}
                </NavLink>
                <NavLink to="/courses" className={navLink}>
                  {t("nav.catalogue")}
                </NavLink>
                <NavLink to="/me/certificates" className={navLink}>
                  {t("nav.certificates")}
                </NavLink>
                {organising.map((m) => (
                  <NavLink key={m.organisationId} to={`/org/${m.organisationId}`} className={navLink}>
                    {organising.length > 1 ? m.organisationName : t("nav.organisation")}
                  </NavLink>
                ))}
                {root.user.isAdmin || root.memberships.some((m) => m.roles.includes("TRAINER")) ? (
                  <NavLink to="/author" className={navLink}>
                    {t("nav.author")}
                  </NavLink>
                ) : null}
                {root.user.isAdmin ? (
                  <NavLink to="/admin" className={navLink}>
                    {t("nav.admin")}
                  </NavLink>
                ) : null}
              </>
            ) : (
              <NavLink to="/courses" className={navLink}>
                {t("nav.catalogue")}
              </NavLink>
            )}
          </nav>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <LanguageSwitch />
            {root.user ? (
              <>
                <NavLink to="/settings" className={navLink}>
                  {t("nav.settings")}
                </NavLink>
                <Form method="post" action="/logout">
                  <button type="submit" className="rounded-md px-2 py-1 hover:bg-brand-800">
                    {t("nav.logout")}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <NavLink to="/login" className={navLink}>
                  {t("nav.login")}
                </NavLink>
                <NavLink to="/signup" className={navLink}>
                  {t("nav.signup")}
                </NavLink>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        {children}
      </main>
      <footer className="mx-auto flex max-w-5xl flex-wrap items-baseline gap-x-4 gap-y-2 px-4 pb-8 text-sm text-slate-600">
        <p>{t("app.footer")}</p>
        <nav aria-label={t("legal.footerNav")}>
          <ul className="flex flex-wrap gap-x-4 gap-y-2">
            <li>
              <Link to="/privacy" className="text-brand-700 underline">
                {t("legal.privacyTitle")}
              </Link>
            </li>
            <li>
              <Link to="/terms" className="text-brand-700 underline">
                {t("legal.termsTitle")}
              </Link>
            </li>
          </ul>
        </nav>
      </footer>
    </>
  );
}

export function PageHeading({ children, lead }: { children: React.ReactNode; lead?: React.ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{children}</h1>
      {lead ? <p className="mt-2 max-w-prose text-slate-700">{lead}</p> : null}
    </div>
  );
}

export function Card({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return <section className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 ${className}`}>{children}</section>;
}
