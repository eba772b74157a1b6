import { useId } from "react";
import { data, Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { OrganiserScopeLine } from "~/components/organiser-scope-line.tsx";
import { Form, FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { TableRegion } from "~/components/table-region.tsx";
import { encodeImportFile, getInvitationImportPage, type InvitationImportCounts, type InvitationImportRow, importInvitations, previewInvitationImport, readInvitationImportForm } from "~/domain/invitation-import.server.ts";
import { importFileProblemMessage, importRowProblemText } from "~/domain/invitation-import-messages.ts";
import { type Locale, translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";
import type { Route } from "./+types/invite-import";

// Organisers invite people from a CSV file in two steps: check (every row with what will happen to
// it, nothing written) and import. The confirm form carries the checked file back, so the import
// reads exactly what was shown and the server keeps nothing in between.

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => getInvitationImportPage({ actor: user, organisationId: params.orgId }));
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const step = await orFormError(async () => {
    const form = await readInvitationImportForm(request);
    if (form.intent === "preview") {
      const result = await previewInvitationImport({ actor: user, organisationId: params.orgId, file: form.file });
      const content = result.ok && result.counts.invite + result.counts.addExisting > 0 ? encodeImportFile(form.file) : undefined;
      return { phase: "preview" as const, result, content };
    }
    const result = await importInvitations({ actor: user, organisationId: params.orgId, file: form.file, locale: await resolveLocale(request, user) });
    return { phase: "done" as const, result, content: undefined };
  });
  if (!step.ok) return step.response;
  return data(step.value, { status: step.value.result.ok ? 200 : 400 });
}

export default function InvitationImport({ loaderData: organisation, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const step = actionData && "phase" in actionData ? actionData : undefined;
  const failure = actionData && "formError" in actionData ? actionData : undefined;
  const problem = step && !step.result.ok ? step.result.problem : undefined;
  const fileError = problem ? importFileProblemMessage(t, locale, problem) : failure?.fieldErrors.file?.map((key) => t(key)).join(" ");
  const departments = organisation.departments.map((department) => department.name).join(", ");
  return (
    <div className="space-y-6">
      <PageHeading lead={t("invitationImport.lead")}>{t("invitationImport.title")}</PageHeading>
      <OrganiserScopeLine departments={organisation.scopeDepartments} />
      <p>
        <Link to={`/org/${organisation.id}`} className="underline">
          {organisation.name}
        </Link>
      </p>
      <Card>
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <FormErrorMessage error={failure?.formError} />
          <input type="hidden" name="intent" value="preview" />
          <div>
            <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
              {t("invitationImport.file")}
            </label>
            <div id={`${id}-hint`} className="space-y-1 text-sm text-slate-700">
              <p>{t("invitationImport.fileHint")}</p>
              <p>
                {t("invitationImport.exampleLabel")} <code className="break-all rounded bg-slate-100 px-1">{t("invitationImport.exampleHeader")}</code>
              </p>
              <p>{departments ? t("invitationImport.departments", { departments }) : t("invitationImport.noDepartments")}</p>
            </div>
            <input
              id={`${id}-file`}
              type="file"
              name="file"
              accept=".csv,text/csv,text/plain"
              required
              aria-invalid={fileError ? true : undefined}
              aria-describedby={[`${id}-hint`, fileError ? `${id}-error` : null].filter(Boolean).join(" ")}
              className="mt-2 block w-full text-base"
            />
            {fileError ? (
              <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
                {fileError}
              </p>
            ) : null}
          </div>
          <SubmitButton>{t("invitationImport.check")}</SubmitButton>
        </Form>
      </Card>
      {step?.result.ok ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t(step.phase === "preview" ? "invitationImport.previewTitle" : "invitationImport.doneTitle")}</h2>
          <div className="space-y-3">
            <p role="status" className="rounded-md border border-slate-300 bg-slate-50 p-3">
              {t(step.phase === "preview" ? "invitationImport.previewSummary" : "invitationImport.doneSummary", formatCounts(step.result.counts, locale))}
            </p>
            {step.phase === "preview" ? (
              <>
                <p className="text-sm text-slate-700">
                  {t("invitationImport.readAs", { encoding: step.result.encoding === "utf-8" ? "UTF-8" : "Windows-1250", delimiter: t(step.result.delimiter === ";" ? "invitationImport.delimiter.semicolon" : "invitationImport.delimiter.comma") })}
                </p>
                {step.content ? (
                  <Form method="post" encType="multipart/form-data" className="space-y-2">
                    <input type="hidden" name="intent" value="import" />
                    <input type="hidden" name="content" value={step.content} />
                    <p className="text-sm text-slate-700">{t("invitationImport.confirmHint")}</p>
                    <SubmitButton>{t("invitationImport.confirm", { count: formatNumber(step.result.counts.invite + step.result.counts.addExisting, locale) })}</SubmitButton>
                  </Form>
                ) : (
                  <p>{t("invitationImport.nothingToDo")}</p>
                )}
              </>
            ) : (
              <p>
                <Link to={`/org/${organisation.id}`} className="font-medium underline">
                  {t("invitationImport.backToOrganisation", { organisation: organisation.name })}
                </Link>
              </p>
            )}
            <ImportRowsTable rows={step.result.rows} phase={step.phase} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}

function ImportRowsTable({ rows, phase }: { rows: InvitationImportRow[]; phase: "preview" | "done" }) {
  const t = useT();
  return (
    <TableRegion label={t("invitationImport.rows")}>
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b">
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.row")}</th>
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.name")}</th>
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.email")}</th>
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.profession")}</th>
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.department")}</th>
            <th scope="col" className="py-2 pr-4">{t("invitationImport.column.licenceNumber")}</th>
            <th scope="col" className="py-2">{t("invitationImport.column.outcome")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.row} className="border-b align-top last:border-0">
              <th scope="row" className="py-2 pr-4 font-normal">{row.row}</th>
              <td className="py-2 pr-4">{row.name || "—"}</td>
              <td className="break-all py-2 pr-4">{row.email || "—"}</td>
              <td className="py-2 pr-4">{row.profession ? t(`profession.${row.profession}`) : row.professionText || "—"}</td>
              <td className="py-2 pr-4">{row.department?.name ?? (row.departmentText || "—")}</td>
              <td className="py-2 pr-4">{row.licenceNumber ?? "—"}</td>
              <td className={`py-2 ${OUTCOME_STYLES[row.outcome]}`}>{row.outcome === "error" ? `${t("invitationImport.notImported")}: ${row.problems.map((problem) => importRowProblemText(t, problem, row.duplicateOf)).join("; ")}` : t(`invitationImport.${phase}.${row.outcome}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

const OUTCOME_STYLES: Record<InvitationImportRow["outcome"], string> = {
  invite: "text-emerald-800",
  addExisting: "text-emerald-800",
  member: "text-slate-700",
  pending: "text-slate-700",
  error: "font-medium text-red-700",
};

function formatNumber(value: number, locale: Locale) {
  return new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB").format(value);
}

function formatCounts(counts: InvitationImportCounts, locale: Locale) {
  return { invite: formatNumber(counts.invite, locale), addExisting: formatNumber(counts.addExisting, locale), skipped: formatNumber(counts.skipped, locale), errors: formatNumber(counts.errors, locale) };
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("invitationImport.title")} · Opora` }];
}
