import { useRouteLoaderData } from "react-router";
import { DEFAULT_LOCALE, translator, type Locale } from "./index.ts";

type RootData = { locale: Locale };

/** The current locale and its translator, from the root loader. */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return data?.locale ?? DEFAULT_LOCALE;
}

export function useT() {
  return translator(useLocale());
}
