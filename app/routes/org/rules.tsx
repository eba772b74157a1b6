import { data, Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormErrorMessage, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { archiveTrainingRule, assignCourse, createTrainingRule, getAssignmentOptions, listTrainingRules, TrainingRuleSchema } from "~/organisers/training-rules.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";
import { parseForm, withoutEmptyFields } from "~/utils/forms.ts";
import { PROFESSIONS } from "~/utils/roles.ts";
import type { Route } from "./+types/rules";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(async () => {
    // A department organiser assigns courses to their departments here; the rules are the whole organisation's.
    const options = await getAssignmentOptions({ actor: user, organisationId: params.orgId });
    if (options.scopeDepartments) return { ...options, rules: null };
    return { ...(await listTrainingRules({ actor: user, organisationId: params.orgId })), scopeDepartments: null };
  });
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = withoutEmptyFields(await request.formData());
  const intent = String(form.get("intent") ?? "");
  if (intent === "archive") {
    const result = await orFormError(() => archiveTrainingRule({ actor: user, organisationId: params.orgId, ruleId: String(form.get("ruleId") ?? "") }));
    return result.ok ? { intent, message: "rules.archived", fieldErrors: {}, formError: undefined } : result.response;
  }
  if (intent === "assign") {
    const result = await orFormError(() => assignCourse({ actor: user, organisationId: params.orgId, input: { courseId: String(form.get("courseId") ?? ""), departmentId: (form.get("departmentId") as string | null) ?? undefined, dueOn: String(form.get("dueOn") ?? "") } }));
    return result.ok ? { intent, message: "rules.assignedNow", count: result.value.assigned, fieldErrors: {}, formError: undefined } : result.response;
  }
  const parsed = parseForm(TrainingRuleSchema, form);
  if (!parsed.success) return data({ intent: "create", fieldErrors: parsed.fieldErrors, formError: undefined, message: undefined }, { status: 400 });
  const result = await orFormError(() => createTrainingRule({ actor: user, organisationId: params.orgId, input: parsed.data }));
  return result.ok ? { intent: "create", message: "rules.created", count: result.value.assigned, fieldErrors: {}, formError: undefined } : result.response;
}

export default function TrainingRules({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { organisation, courses, rules } = loaderData;
  const departments = new Map(organisation.departments.map((d) => [d.id, d.name]));
  const courseTitle = new Map(courses.map((c) => [c.id, pick(c.title, locale)]));
  const resultFor = (intent: string) => (result && "intent" in result && result.intent === intent ? result : undefined);
  const createResult = resultFor("create");
  const assignResult = resultFor("assign");
  const courseOptions = courses.map((c) => ({ value: c.id, label: pick(c.title, locale) }));
  const departmentOptions = [{ value: "", label: t("rules.everyDepartment") }, ...organisation.departments.map((d) => ({ value: d.id, label: d.name }))];
  const assignDepartmentOptions = loaderData.scopeDepartments ? [{ value: "", label: t("scope.assignEveryone") }, ...departmentOptions.slice(1)] : departmentOptions;
  return (
    <div className="space-y-6">
      <PageHeading lead={t("rules.lead")}>{t("rules.title")}</PageHeading>
      <p>
        <Link to={`/org/${params.orgId}/dashboard`} className="underline">
          {t("dashboard.link")}
        </Link>
      </p>
      <OrganiserScopeLine departments={loaderData.scopeDepartments} />
      <FormNotice message={resultFor("archive")?.message} />
      {rules ? (
        <>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t("rules.current")}</h2>
            {rules.length ? (
              <ul className="divide-y divide-slate-100">
                {rules.map((rule) => (
                  <li key={rule.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                    <div>
                      <p className="font-medium">{courseTitle.get(rule.courseId) ?? rule.courseId}</p>
                      <p className="text-sm text-slate-700">
                        {[rule.departmentId ? departments.get(rule.departmentId) : t("rules.everyDepartment"), rule.profession ? t(`profession.${rule.profession}`) : t("dashboard.allProfessions")].join(" · ")}
                        {" · "}
                        {t("rules.dueWithin", { days: rule.dueWithinDays })}
                        {" · "}
                        {rule.recurEveryMonths ? t("rules.recurEvery", { months: rule.recurEveryMonths }) : t("rules.recurOnExpiry")}
                        {" · "}
                        {t("rules.assignedCount", { count: rule.assigned })}
                      </p>
                    </div>
                    <Form method="post">
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="ruleId" value={rule.id} />
                      <SubmitButton variant="secondary">{t("rules.archive")}</SubmitButton>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t("rules.none")}</p>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t("rules.new")}</h2>
            <Form method="post" className="grid gap-4 sm:grid-cols-2">
              <div className="sm:col-span-2">
                <FormNotice text={createResult?.message ? t("rules.createdCount", { count: "count" in createResult ? (createResult.count ?? 0) : 0 }) : undefined} />
                <FormErrorMessage error={createResult?.formError} />
              </div>
              <input type="hidden" name="intent" value="create" />
              <SelectField label={t("dashboard.course")} name="courseId" options={courseOptions} errors={createResult?.fieldErrors} />
              <SelectField label={t("field.department")} name="departmentId" options={departmentOptions} errors={createResult?.fieldErrors} />
              <SelectField label={t("field.profession")} name="profession" options={[{ value: "", label: t("dashboard.allProfessions") }, ...PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))]} errors={createResult?.fieldErrors} />
              <Field label={t("rules.dueWithinDays")} name="dueWithinDays" type="number" min={1} max={730} defaultValue="30" required errors={createResult?.fieldErrors} />
              <Field label={t("rules.recurEveryMonths")} hint={t("rules.recurHint")} name="recurEveryMonths" type="number" min={1} max={120} errors={createResult?.fieldErrors} />
              <div className="sm:col-span-2">
                <SubmitButton>{t("rules.create")}</SubmitButton>
              </div>
            </Form>
          </Card>
        </>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("rules.assignTitle")}</h2>
        <p className="mb-3 text-slate-700">{t("rules.assignLead")}</p>
        <Form method="post" className="grid gap-4 sm:grid-cols-3 sm:items-end">
          <div className="sm:col-span-3">
            <FormNotice text={assignResult?.message ? t("rules.assignedNowCount", { count: "count" in assignResult ? (assignResult.count ?? 0) : 0 }) : undefined} />
            <FormErrorMessage error={assignResult?.formError} />
          </div>
          <input type="hidden" name="intent" value="assign" />
          <SelectField label={t("dashboard.course")} name="courseId" options={courseOptions} errors={assignResult?.fieldErrors} />
          <SelectField label={t("field.department")} name="departmentId" options={assignDepartmentOptions} errors={assignResult?.fieldErrors} />
          <Field label={t("rules.dueOn")} name="dueOn" type="date" required errors={assignResult?.fieldErrors} />
          <div className="sm:col-span-3">
            <SubmitButton>{t("rules.assign")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
