import { isRouteErrorResponse, Link, useLocation, useRouteError } from "react-router";
import { useT } from "~/i18n/use-t.ts";

/** The one error display: a heading and a way back, per status; never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const t = useT();
  let status = 500;
  let message: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    message = typeof error.data?.message === "string" ? error.data.message : undefined;
  } else if (typeof window === "undefined") {
    console.error(error);
  }
  const title = status === 404 ? t("errors.notFoundTitle") : status === 403 ? t("errors.forbiddenTitle") : status === 429 ? t("errors.tooManyTitle") : status === 503 ? t("errors.unavailableTitle") : t("errors.serverTitle");
  const detail = message?.includes(".") ? t(message) : status === 404 ? t("errors.notFound") : status === 403 ? t("errors.forbidden") : t("errors.server");
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="error-title">
      <p className="text-sm font-medium text-slate-600">{t("errors.status", { status })}</p>
      <h1 id="error-title" className="mt-1 text-2xl font-semibold">
        {title}
      </h1>
      <p className="mt-2 text-slate-700">{detail}</p>
      {status === 503 ? (
        // A full reload of this address: the page's data could not be read, so there is nothing to revalidate.
        <a href={`${location.pathname}${location.search}`} className="mt-4 inline-block text-brand-700 underline">
          {t("errors.tryAgain")}
        </a>
      ) : (
        <Link to="/" className="mt-4 inline-block text-brand-700 underline">
          {t("errors.backHome")}
        </Link>
      )}
    </section>
  );
}
