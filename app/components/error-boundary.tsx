import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { useT } from "~/i18n/use-t.ts";

/** The one error display: a heading and a way back, per status; never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let status = 500;
  let message: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    message = typeof error.data?.message === "string" ? error.data.message : undefined;
  } else if (typeof window === "undefined") {
    console.error(error);
  }
  const title = status === 404 ? t("errors.notFoundTitle") : status === 403 ? t("errors.forbiddenTitle") : status === 429 ? t("errors.tooManyTitle") : t("errors.serverTitle");
  const detail = message?.includes(".") ? t(message) : status === 404 ? t("errors.notFound") : status === 403 ? t("errors.forbidden") : t("errors.server");
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="error-title">
      <p className="text-sm font-medium text-slate-600">{t("errors.status", { status })}</p>
      <h1 id="error-title" className="mt-1 text-2xl font-semibold">
        {title}
      </h1>
      <p className="mt-2 text-slate-700">{detail}</p>
      <Link to="/" className="mt-4 inline-block text-brand-700 underline">
        {t("errors.backHome")}
      </Link>
    </section>
  );
}
