import { Card } from "~/components/app-shell.tsx";
import { Field, SelectField } from "~/components/form.tsx";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";

/**
 * The organiser's attendance list for a chamber: pick a course and a period, get a CSV. A plain GET
 * form, so the browser downloads the file instead of the router navigating to it.
 */
export function AttendeeListForm({ organisationId, courses }: { organisationId: string; courses: Array<{ slug: string; title: Partial<Record<string, string>> }> }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t("attendees.title")}</h2>
      <p className="mb-4 text-sm text-slate-700">{t("attendees.lead")}</p>
      {courses.length === 0 ? (
        <p>{t("attendees.none")}</p>
      ) : (
        <form method="get" action={`/org/${organisationId}/attendees.csv`} className="flex flex-wrap items-end gap-3">
          <div className="min-w-60 flex-1">
            <SelectField label={t("attendees.course")} name="course" options={courses.map((course) => ({ value: course.slug, label: pick(course.title, locale) }))} />
          </div>
          <div className="min-w-44">
            <Field label={t("cpd.from")} name="from" type="date" />
          </div>
          <div className="min-w-44">
            <Field label={t("cpd.to")} name="to" type="date" />
          </div>
          <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-md border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100">
            {t("attendees.download")}
          </button>
        </form>
      )}
    </Card>
  );
}
