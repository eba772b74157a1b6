import { useState } from "react";
import { Form, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, LocalisedFields, SaveMessage } from "~/components/authoring.tsx";
import { Field, SubmitButton } from "~/components/form.tsx";
import { type CourseSettingsInput, getCourseSettings, saveCourseSettings } from "~/authoring/course-settings.server.ts";
import { editorAction, formInt, formText } from "~/authoring/editor-action.server.ts";
import { LOCALES } from "~/content/schema.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/settings";

// Course settings (course.yaml): what learners read about the course and the rules it runs by.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(async () => {
    const { view, revision, data } = await getCourseSettings({ actor: user, slug: params.slug });
    return { settings: view.settings, problems: view.problems, revision, data: data as SettingsData };
  });
}

type Texts = Record<string, string>;
type SettingsData = {
  title?: Texts;
  summary?: Texts;
  description?: Texts;
  contentNote?: Texts;
  support?: Texts;
  estimatedMinutes?: number;
  validityMonths?: number;
  passMark?: number;
  sequential?: boolean;
  selfEnrol?: boolean;
  cpd?: { credits?: number; category?: Texts; basis?: Texts; categoryId?: string };
  outcomes?: Array<{ id: string; text: Texts }>;
};

const texts = (form: FormData, name: string) => Object.fromEntries(LOCALES.map((locale) => [locale, formText(form, `${name}.${locale}`)]));

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const outcomeCount = Math.min(formInt(form, "outcomeCount") || 0, 100);
  const input: CourseSettingsInput = {
    revision: formInt(form, "revision"),
    locales: form.getAll("locales").map(String),
    title: texts(form, "title"),
    summary: texts(form, "summary"),
    description: texts(form, "description"),
    contentNote: texts(form, "contentNote"),
    support: texts(form, "support"),
    estimatedMinutes: formInt(form, "estimatedMinutes"),
    validityMonths: formInt(form, "validityMonths"),
    passMark: formInt(form, "passMark"),
    sequential: form.get("sequential") === "on",
    selfEnrol: form.get("selfEnrol") === "on",
    cpd: { credits: Number(formText(form, "cpd.credits").replace(",", ".") || Number.NaN), category: texts(form, "cpd.category"), basis: texts(form, "cpd.basis"), categoryId: formText(form, "cpd.categoryId", 64) },
    outcomes: Array.from({ length: outcomeCount }, (_, i) => ({ id: formText(form, `outcome.${i}.id`, 64), text: texts(form, `outcome.${i}.text`) })).filter((_, i) => form.get(`outcome.${i}.remove`) !== "on"),
  };
  return editorAction(async () => {
    await saveCourseSettings({ actor: user, slug: params.slug, input });
    return { saved: true };
  });
}

export default function CourseSettings({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { data, settings, revision } = loaderData;
  const locales = settings.locales;
  const [extraOutcomes, setExtraOutcomes] = useState(1);
  const outcomes = [...(data.outcomes ?? []), ...Array.from({ length: extraOutcomes }, () => ({ id: "", text: {} as Texts }))];
  const error = result && "error" in result ? result.error : null;
  const fieldErrors = error?.field ? { [error.field]: [error.key] } : undefined;
  return (
    <div className="space-y-6">
      <EditorNav slug={params.slug} current="settings" title={pick(settings.title, locale) || params.slug} />
      <PageHeading lead={t("editor.settings.lead")}>{t("editor.settings.title")}</PageHeading>
      <SaveMessage result={result} />
      <DraftProblems problems={loaderData.problems} files={["course.yaml"]} />
      {/* The key makes the form show the saved values after a save, and keeps typed ones after an error. */}
      <Form method="post" className="space-y-6" key={revision}>
        <input type="hidden" name="revision" value={revision} />
        <input type="hidden" name="outcomeCount" value={outcomes.length} />
        <Card className="space-y-4">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t("editor.settings.locales")}</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {LOCALES.map((l) => (
                <label key={l} className="flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="locales" value={l} defaultChecked={locales.includes(l)} className="h-5 w-5" />
                  {t(`editor.locale.${l}` as never)}
                </label>
              ))}
            </div>
          </fieldset>
          <LocalisedFields label={t("editor.settings.courseTitle")} name="title" value={data.title} locales={locales} required />
          <LocalisedFields label={t("editor.settings.summary")} name="summary" value={data.summary} locales={locales} multiline />
          <LocalisedFields label={t("editor.settings.description")} hint={t("editor.settings.markdownHint")} name="description" value={data.description} locales={locales} multiline rows={8} />
        </Card>
        <Card className="grid gap-4 sm:grid-cols-3">
          <Field label={t("editor.settings.estimatedMinutes")} name="estimatedMinutes" type="number" min={1} max={10000} required defaultValue={data.estimatedMinutes ?? 30} errors={fieldErrors} />
          <Field label={t("editor.settings.validityMonths")} name="validityMonths" type="number" min={1} max={240} required defaultValue={data.validityMonths ?? 24} errors={fieldErrors} />
          <Field label={t("editor.settings.passMark")} name="passMark" type="number" min={0} max={100} required defaultValue={data.passMark ?? 80} errors={fieldErrors} />
          <label className="flex min-h-11 items-center gap-2">
            <input type="checkbox" name="sequential" defaultChecked={data.sequential ?? true} className="h-5 w-5" />
            {t("editor.settings.sequential")}
          </label>
          <label className="flex min-h-11 items-center gap-2">
            <input type="checkbox" name="selfEnrol" defaultChecked={data.selfEnrol ?? false} className="h-5 w-5" />
            {t("editor.settings.selfEnrol")}
          </label>
        </Card>
        <Card className="space-y-4">
          <h2 className="text-lg font-semibold">{t("editor.settings.cpd")}</h2>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("editor.settings.cpdCredits")} name="cpd.credits" inputMode="decimal" required defaultValue={String(data.cpd?.credits ?? 0)} errors={fieldErrors} />
            <Field label={t("editor.settings.cpdCategoryId")} hint={t("editor.settings.cpdCategoryIdHint")} name="cpd.categoryId" defaultValue={data.cpd?.categoryId ?? ""} maxLength={64} />
          </div>
          <LocalisedFields label={t("editor.settings.cpdCategory")} name="cpd.category" value={data.cpd?.category} locales={locales} />
          <LocalisedFields label={t("editor.settings.cpdBasis")} name="cpd.basis" value={data.cpd?.basis} locales={locales} multiline />
        </Card>
        <Card className="space-y-4">
          <LocalisedFields label={t("editor.settings.contentNote")} hint={t("editor.settings.contentNoteHint")} name="contentNote" value={data.contentNote} locales={locales} multiline />
          <LocalisedFields label={t("editor.settings.support")} hint={t("editor.settings.supportHint")} name="support" value={data.support} locales={locales} multiline />
        </Card>
        <Card className="space-y-4">
          <h2 className="text-lg font-semibold">{t("editor.settings.outcomes")}</h2>
          <p className="text-sm text-slate-700">{t("editor.settings.outcomesLead")}</p>
          <ol className="space-y-4">
            {outcomes.map((outcome, i) => (
              <li key={outcome.id || `new-${i}`} className="space-y-2 rounded-md border border-slate-200 p-3">
                <input type="hidden" name={`outcome.${i}.id`} value={outcome.id} />
                <LocalisedFields label={outcome.id ? t("editor.settings.outcomeN", { n: i + 1, id: outcome.id }) : t("editor.settings.newOutcome")} name={`outcome.${i}.text`} value={outcome.text} locales={locales} multiline rows={2} />
                {outcome.id ? (
                  <label className="flex min-h-11 items-center gap-2 text-sm">
                    <input type="checkbox" name={`outcome.${i}.remove`} className="h-5 w-5" />
                    {t("editor.settings.removeOutcome")}
                  </label>
                ) : null}
              </li>
            ))}
          </ol>
          <button type="button" className="min-h-11 rounded-md border border-slate-300 px-3 text-sm" onClick={() => setExtraOutcomes((n) => n + 1)}>
            {t("editor.settings.addOutcome")}
          </button>
        </Card>
        <SubmitButton>{t("editor.save")}</SubmitButton>
      </Form>
    </div>
  );
}
