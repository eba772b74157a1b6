import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "react-router";
import { DEFAULT_LOCALE, isLocale, translator, type Locale } from "./index.ts";

type RootData = { locale: Locale };

/**
 * The current locale, from the root loader; when the root loader itself failed (the database was
 * unreachable), from the route error, which carries the request's locale (database-unavailable.server.ts).
 */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const error = useRouteError();
  if (data?.locale) return data.locale;
  const fromError: unknown = isRouteErrorResponse(error) ? error.data?.locale : undefined;
  return isLocale(fromError) ? fromError : DEFAULT_LOCALE;
}

export function useT() {
  return translator(useLocale());
}
