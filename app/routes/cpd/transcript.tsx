import { data, Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { CertificateStateBadge } from "~/components/certificate-details.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { ProgressBar } from "~/components/progress-bar.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { CpdTargetSchema } from "~/cpd/forms.ts";
import { describePeriod, formatCredits, periodSearch } from "~/cpd/labels.ts";
import { periodQueryFrom } from "~/cpd/period.ts";
import { setCpdTarget } from "~/cpd/set-cpd-target.server.ts";
import { getTranscript } from "~/cpd/transcript.server.ts";
import { formatCalendarDay, pick, translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage, orFormError } from "~/utils/errors.server.ts";
import { parseForm } from "~/utils/forms.ts";
import type { Route } from "./+types/transcript";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const query = periodQueryFrom(new URL(request.url).searchParams);
  try {
    return { ...(await getTranscript({ actor: user, query })), periodError: null, requested: query };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "INVALID") {
      return orErrorPage(async () => {
        throw error;
      });
    }
    // A bad date in the address: say so at the period fields and show the default period meanwhile.
    const transcript = await orErrorPage(() => getTranscript({ actor: user }));
    return data({ ...transcript, periodError: { field: error.field ?? "from", message: error.messageKey }, requested: query }, { status: 400 });
  }
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(CpdTargetSchema, await request.formData());
  if (!parsed.success) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  const { schemeId, periodStartsOn, targetCredits } = parsed.data;
  const result = await orFormError(() => setCpdTarget({ actor: user, schemeId, periodStartsOn: periodStartsOn || null, targetCredits }));
  if (!result.ok) return result.response;
  return { fieldErrors: {}, formError: undefined, message: "cpd.targetSaved" };
}

export default function Transcript({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { holder, period, licencePeriod, isDefaultPeriod, entries, summary, periodError, requested } = loaderData;
  const search = periodSearch(period);
  const periodErrors = periodError ? { [periodError.field]: [periodError.message] } : undefined;
  const downloadLink = "inline-flex min-h-11 items-center rounded-md px-4 py-2 font-medium";
  return (
    <div className="space-y-6">
      <PageHeading lead={t("cpd.lead")}>{t("cpd.title")}</PageHeading>
      <Card>
        <dl className="mb-4 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium text-slate-600">{t("field.name")}</dt>
          <dd className="font-semibold">{holder.name}</dd>
          <dt className="font-medium text-slate-600">{t("field.profession")}</dt>
          <dd>{t(`profession.${holder.profession}`)}</dd>
          <dt className="font-medium text-slate-600">{t("cpd.licence")}</dt>
          <dd>
            {holder.licenceNumber ?? (
              <Link to="/settings" className="text-brand-700 underline">
                {t("cpd.noLicence")}
              </Link>
            )}
          </dd>
          <dt className="font-medium text-slate-600">{t("cpd.period")}</dt>
          <dd>{describePeriod(period, t, locale)}</dd>
        </dl>
        <h2 className="mb-2 text-lg font-semibold">{t("cpd.totals")}</h2>
        {summary.target === null ? (
          <>
            <p className="text-xl font-semibold">{t("cpd.collected", { total: formatCredits(summary.total, locale) })}</p>
            <p className="mt-1 text-sm text-slate-700">{t("cpd.noTargetSet")}</p>
          </>
        ) : (
          <div className="space-y-2">
            <p className="text-xl font-semibold">{t("cpd.collectedOfTarget", { total: formatCredits(summary.total, locale), target: formatCredits(summary.target, locale) })}</p>
            <ProgressBar percent={summary.percent ?? 0} label={t("cpd.progressLabel")} />
            <p className="text-sm">{summary.met ? t("cpd.targetMet") : t("cpd.targetRemaining", { remaining: formatCredits(summary.remaining ?? 0, locale) })}</p>
          </div>
        )}
        {summary.categories.length ? (
          <ul className="mt-3 space-y-1 text-sm">
            {summary.categories.map((category) => (
              <li key={category.id}>
                <span className="font-medium">{pick(category.name, locale)}</span>: {formatCredits(category.credits, locale)} ({t("cpd.categoryMin", { min: formatCredits(category.minCredits, locale) })}) –{" "}
                <span className={category.met ? "text-emerald-800" : "text-amber-900"}>{category.met ? t("cpd.categoryMet") : t("cpd.categoryMissing", { missing: formatCredits(category.missing, locale) })}</span>
              </li>
            ))}
            {summary.otherCredits > 0 ? (
              <li>
                <span className="font-medium">{t("cpd.otherCategories")}</span>: {formatCredits(summary.otherCredits, locale)}
              </li>
            ) : null}
          </ul>
        ) : null}
        <div className="mt-4 flex flex-wrap gap-3">
          <a href={`/me/transcript.pdf${search}`} className={`${downloadLink} bg-brand-700 text-white hover:bg-brand-800`} download>
            {t("cpd.downloadPdf")}
          </a>
          <a href={`/me/transcript.csv${search}`} className={`${downloadLink} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100`} download>
            {t("cpd.downloadCsv")}
          </a>
        </div>
      </Card>

      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("cpd.period")}</h2>
        <p className="mb-3 text-sm text-slate-700">{t("cpd.periodHint")}</p>
        <Form method="get" className="flex flex-wrap items-end gap-3" noValidate key={`${period.from}:${period.to}`}>
          <div className="min-w-44">
            <Field label={t("cpd.from")} name="from" type="date" defaultValue={periodError ? (requested.from ?? "") : (period.from ?? "")} errors={periodErrors} />
          </div>
          <div className="min-w-44">
            <Field label={t("cpd.to")} name="to" type="date" defaultValue={periodError ? (requested.to ?? "") : (period.to ?? "")} errors={periodErrors} />
          </div>
          <SubmitButton variant="secondary">{t("cpd.show")}</SubmitButton>
        </Form>
        <p className="mt-3 flex flex-wrap gap-4 text-sm">
          {licencePeriod && !isDefaultPeriod ? (
            <Link to="/me/transcript" className="text-brand-700 underline">
              {t("cpd.currentPeriod")}
            </Link>
          ) : null}
          {period.from || period.to ? (
            <Link to="/me/transcript?from=&to=" className="text-brand-700 underline">
              {t("cpd.allTime")}
            </Link>
          ) : null}
        </p>
      </Card>

      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("cpd.certificates")}</h2>
        {entries.length === 0 ? (
          <p>{t("cpd.empty")}</p>
        ) : (
          <TableRegion label={t("cpd.certificates")}>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b">
                  <th scope="col" className="py-2 pr-4">{t("cpd.course")}</th>
                  <th scope="col" className="py-2 pr-4">{t("certificate.issued")}</th>
                  <th scope="col" className="py-2 pr-4">{t("certificate.validUntil")}</th>
                  <th scope="col" className="py-2 pr-4 text-right">{t("cpd.credits")}</th>
                  <th scope="col" className="py-2 pr-4">{t("cpd.category")}</th>
                  <th scope="col" className="py-2">{t("cpd.state")}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.code} className={`border-b last:border-0 ${entry.counted ? "" : "text-slate-600"}`}>
                    <td className="py-2 pr-4">
                      <Link to={`/verify/${entry.code}`} className="text-brand-700 underline">
                        {pick(entry.courseTitle, locale)}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">{formatCalendarDay(entry.issuedOn, locale)}</td>
                    <td className="py-2 pr-4">{formatCalendarDay(entry.expiresOn, locale)}</td>
                    <td className={`py-2 pr-4 text-right ${entry.counted ? "" : "line-through"}`}>{formatCredits(entry.credits, locale)}</td>
                    <td className="py-2 pr-4">{pick(entry.category, locale)}</td>
                    <td className="py-2">
                      <CertificateStateBadge state={entry.state} />
                      {entry.counted ? null : <span className="ml-2">({t("cpd.notCounted")})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        <p className="mt-3 text-sm text-slate-700">{t("cpd.revokedNotCounted")}</p>
      </Card>

      <TargetForm transcript={loaderData} />
    </div>
  );
}

function TargetForm({ transcript }: { transcript: Route.ComponentProps["loaderData"] }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const { schemes, settings, scheme, holder } = transcript;
  // Schemes for the learner's profession first; every scheme stays available.
  const ordered = [...schemes].sort((a, b) => Number(b.professions.includes(holder.profession)) - Number(a.professions.includes(holder.profession)));
  const options = [
    { value: "", label: t("cpd.noScheme") },
    ...ordered.map((each) => ({
      value: each.id,
      label: each.totalCredits && each.periodYears ? `${pick(each.name, locale)} (${t("cpd.schemeSummary", { credits: formatCredits(each.totalCredits, locale), years: each.periodYears })})` : pick(each.name, locale),
    })),
  ];
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t("cpd.target")}</h2>
      <p className="mb-4 text-sm text-slate-700">{t("cpd.targetLead")}</p>
      <Form method="post" className="space-y-4" noValidate>
        <FormNotice message={result?.message} />
        <FormErrorMessage error={result?.formError} />
        <input type="hidden" name="intent" value="target" />
        <SelectField label={t("cpd.scheme")} name="schemeId" defaultValue={settings.schemeId} errors={result?.fieldErrors} options={options} />
        <Field label={t("cpd.periodStartsOn")} name="periodStartsOn" type="date" defaultValue={settings.periodStartsOn} hint={t("cpd.periodStartsOnHint")} errors={result?.fieldErrors} />
        <Field label={t("cpd.targetCredits")} name="targetCredits" inputMode="decimal" defaultValue={settings.targetCredits === null ? "" : String(settings.targetCredits)} hint={t("cpd.targetCreditsHint")} errors={result?.fieldErrors} />
        <SubmitButton>{t("cpd.saveTarget")}</SubmitButton>
      </Form>
      {scheme?.source ? (
        <div className="mt-4 text-sm text-slate-700">
          {scheme.source.note ? <p>{pick(scheme.source.note, locale)}</p> : null}
          <p className="mt-1">
            {scheme.source.url ? (
              <a href={scheme.source.url} className="text-brand-700 underline" rel="noreferrer" target="_blank">
                {t("cpd.schemeSource", { source: scheme.source.title })}
              </a>
            ) : (
              t("cpd.schemeSource", { source: scheme.source.title })
            )}
          </p>
        </div>
      ) : null}
    </Card>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("cpd.title")} · Opora` }];
}
