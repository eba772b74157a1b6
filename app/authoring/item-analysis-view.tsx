import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { type Locale, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import type { Discrimination } from "./item-analysis.ts";
import type { getCourseQuizAnalysis, getOrganisationQuizAnalysis } from "./item-analysis.server.ts";

// A quiz's item analysis as trainers (/author/…) and organisers (/org/…) read it: how it is
// computed, in plain words, then results per learning outcome and per question. Every figure is
// text in a table; nothing is told by colour alone.

type Analysis = Awaited<ReturnType<typeof getCourseQuizAnalysis>> | Awaited<ReturnType<typeof getOrganisationQuizAnalysis>>;

const numberLocale = (locale: Locale) => (locale === "sl" ? "sl-SI" : "en-GB");
const formatPercent = (share: number, locale: Locale) => new Intl.NumberFormat(numberLocale(locale), { style: "percent", maximumFractionDigits: 0 }).format(share);
const formatCorrelation = (value: number, locale: Locale) => new Intl.NumberFormat(numberLocale(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);

function DiscriminationCell({ value, minimum }: { value: Discrimination; minimum: number }) {
  const t = useT();
  const locale = useLocale();
  switch (value.status) {
    case "shown":
      return <span className="tabular-nums">{formatCorrelation(value.value, locale)}</span>;
    case "too-few":
      return <span className="text-slate-700">{t("analysis.tooFew", { count: value.firstAttempts, minimum })}</span>;
    case "all-alike":
      return <span className="text-slate-700">{t("analysis.allAlike")}</span>;
    case "rest-alike":
      return <span className="text-slate-700">{t("analysis.restAlike")}</span>;
  }
}

export function ItemAnalysisView({ analysis, backTo, backLabel }: { analysis: Analysis; backTo: string; backLabel: string }) {
  const t = useT();
  const locale = useLocale();
  const th = "py-2 pr-4 align-top";
  const facility = (share: number | null, correct: number, shown: number) => (share === null ? t("analysis.notShown") : t("analysis.ofShown", { percent: formatPercent(share, locale), correct, shown }));
  const lead = analysis.scope === "organisation" ? t("analysis.leadOrganisation", { course: pick(analysis.courseTitle, locale), organisation: analysis.organisationName }) : t("analysis.leadCourse", { course: pick(analysis.courseTitle, locale) });
  return (
    <div className="space-y-6">
      <PageHeading lead={lead}>{t("analysis.title", { quiz: pick(analysis.quizTitle, locale) })}</PageHeading>
      <p>
        <Link to={backTo} className="underline">
          {backLabel}
        </Link>
      </p>
      <dl className="grid grid-cols-2 gap-4 sm:max-w-md">
        <div>
          <dt className="text-sm text-slate-700">{t("analysis.attempts")}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{analysis.attempts}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-700">{t("analysis.people")}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{analysis.people}</dd>
        </div>
      </dl>
      {analysis.attempts === 0 ? <p>{t("analysis.none")}</p> : null}

      <Card>
        <h2 className="text-lg font-semibold">{t("analysis.howToRead")}</h2>
        <div className="mt-2 max-w-prose space-y-2 text-sm text-slate-800">
          <p>{t("analysis.facilityExplained")}</p>
          <p>{t("analysis.discriminationExplained")}</p>
          <p>{t("analysis.minimumExplained", { minimum: analysis.minimumFirstAttempts })}</p>
          <p>{t("analysis.wrongExplained")}</p>
          <p>{t("analysis.outcomesExplained")}</p>
        </div>
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t("analysis.outcomes")}</h2>
        <TableRegion label={t("analysis.outcomes")}>
          <table className="mt-3 w-full text-left text-sm">
            <caption className="sr-only">{t("analysis.outcomes")}</caption>
            <thead>
              <tr className="border-b">
                <th scope="col" className={th}>{t("analysis.outcome")}</th>
                <th scope="col" className={`${th} text-right`}>{t("analysis.questionCount")}</th>
                <th scope="col" className="py-2 text-right">{t("analysis.facility")}</th>
              </tr>
            </thead>
            <tbody>
              {analysis.outcomes.map((outcome) => (
                <tr key={outcome.id} className="border-b last:border-0">
                  <th scope="row" className={`${th} font-normal`}>{outcome.text ? pick(outcome.text, locale) : outcome.id}</th>
                  <td className={`${th} text-right tabular-nums`}>{outcome.questions}</td>
                  <td className="py-2 text-right tabular-nums">{facility(outcome.facility, outcome.fullyCorrect, outcome.shown)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t("analysis.questions")}</h2>
        <TableRegion label={t("analysis.questions")}>
          <table className="mt-3 w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">{t("analysis.questions")}</caption>
            <thead>
              <tr className="border-b">
                <th scope="col" className={th}>{t("analysis.question")}</th>
                <th scope="col" className={`${th} text-right`}>{t("analysis.shown")}</th>
                <th scope="col" className={`${th} text-right`}>{t("analysis.facility")}</th>
                <th scope="col" className={th}>{t("analysis.discrimination")}</th>
                <th scope="col" className="py-2 align-top">{t("analysis.commonWrong")}</th>
              </tr>
            </thead>
            <tbody>
              {analysis.questions.map((question) => {
                const outcome = analysis.outcomes.find((o) => o.id === question.outcomeId);
                return (
                  <tr key={question.key} className="border-b last:border-0">
                    <th scope="row" className={`${th} font-normal`}>
                      <span className="block">{pick(question.prompt, locale)}</span>
                      <span className="block text-xs text-slate-700">
                        {t(`analysis.kind.${question.kind}`)} · {outcome?.text ? pick(outcome.text, locale) : question.outcomeId}
                        {question.current ? null : ` · ${t("analysis.retired")}`}
                      </span>
                    </th>
                    <td className={`${th} text-right tabular-nums`}>{question.shown}</td>
                    <td className={`${th} text-right tabular-nums`}>{facility(question.facility, question.fullyCorrect, question.shown)}</td>
                    <td className={th}>
                      <DiscriminationCell value={question.discrimination} minimum={analysis.minimumFirstAttempts} />
                    </td>
                    <td className="py-2 align-top">
                      {question.commonWrongOption
                        ? t("analysis.wrongShare", { option: pick(question.commonWrongOption.text, locale), percent: formatPercent(question.commonWrongOption.share, locale) })
                        : t(question.kind === "single" || question.kind === "multiple" ? "analysis.noWrong" : "analysis.noOptions")}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      </Card>
    </div>
  );
}
