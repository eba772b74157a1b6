import { useId } from "react";
import { Link } from "react-router";
import type { CredentialCheckReport } from "~/certificates/open-badges-verify.server.ts";
import { Form, FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { formatDate } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";

// The verification page's form for an uploaded Open Badges credential, and its result: each check
// with a word (not only a colour) for its outcome. Works without JavaScript (a plain multipart post).

export function CredentialUploadForm({ error }: { error?: string }) {
  const t = useT();
  const id = useId();
  return (
    <Form method="post" encType="multipart/form-data" className="space-y-4">
      <FormErrorMessage error={error} />
      <div>
        <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
          {t("credentialCheck.file")}
        </label>
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {t("credentialCheck.fileHint")}
        </p>
        <input id={`${id}-file`} type="file" name="file" accept=".json,.jwt,.txt,application/json" aria-describedby={`${id}-hint`} className="mt-1 block w-full text-base" />
      </div>
      <div>
        <label htmlFor={`${id}-jwt`} className="block text-sm font-medium text-slate-800">
          {t("credentialCheck.paste")}
        </label>
        <textarea id={`${id}-jwt`} name="jwt" rows={4} spellCheck={false} autoComplete="off" className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm" />
      </div>
      <SubmitButton>{t("credentialCheck.submit")}</SubmitButton>
    </Form>
  );
}

const VERDICT_STYLES: Record<CredentialCheckReport["verdict"], string> = {
  valid: "border-emerald-300 bg-emerald-50 text-emerald-900",
  notCurrent: "border-amber-300 bg-amber-50 text-amber-900",
  untrusted: "border-red-300 bg-red-50 text-red-800",
};
const OUTCOME_STYLES = { pass: "bg-emerald-100 text-emerald-900", fail: "bg-red-100 text-red-900", skipped: "bg-slate-200 text-slate-900" };
const CHECKS = ["signature", "issuer", "schema", "status"] as const;

export function CredentialCheckResult({ report }: { report: CredentialCheckReport }) {
  const t = useT();
  const locale = useLocale();
  const { summary } = report;
  return (
    <div className="space-y-4">
      <p role="status" className={`rounded-md border p-3 font-semibold ${VERDICT_STYLES[report.verdict]}`}>
        {t(`credentialCheck.verdict.${report.verdict}`)}
      </p>
      <ul className="space-y-3">
        {CHECKS.map((name) => {
          const check = report.checks[name];
          return (
            <li key={name} className="flex items-start gap-3">
              <span className={`inline-block w-28 shrink-0 rounded-full px-2 py-1 text-center text-sm font-semibold ${OUTCOME_STYLES[check.outcome]}`}>{t(`credentialCheck.outcome.${check.outcome}`)}</span>
              <div className="min-w-0">
                <p className="font-medium">{t(`credentialCheck.${name}`)}</p>
                <p className="break-words text-sm text-slate-700">{t(check.message, check.vars)}</p>
              </div>
            </li>
          );
        })}
      </ul>
      {summary ? (
        <>
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[12rem_1fr]">
            <dt className="font-medium text-slate-600">{t("check.holder")}</dt>
            <dd className="font-semibold">{summary.holder}</dd>
            <dt className="font-medium text-slate-600">{t("check.course")}</dt>
            <dd>{summary.name}</dd>
            <dt className="font-medium text-slate-600">{t("certificate.issuer")}</dt>
            <dd>{summary.issuer}</dd>
            <dt className="font-medium text-slate-600">{t("certificate.issued")}</dt>
            <dd>{summary.validFrom ? formatDate(summary.validFrom, locale) : "—"}</dd>
            <dt className="font-medium text-slate-600">{t("certificate.validUntil")}</dt>
            <dd>{summary.validUntil ? formatDate(summary.validUntil, locale) : "—"}</dd>
          </dl>
          <Link to={`/verify/${summary.code}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
            {t("credentialCheck.openPage")}
          </Link>
        </>
      ) : null}
    </div>
  );
}
