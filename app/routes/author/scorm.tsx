import { useState } from "react";
import { data } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Field, Form, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { assertCanAuthorCourse, getScormUploadPage } from "~/domain/course-authoring-access.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { importScormPackage } from "~/scorm/import-package.server.ts";
import { maxUploadMb, readPackageUpload } from "~/scorm/upload.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage, statusOf } from "~/utils/errors.server.ts";
import type { Route } from "./+types/scorm";

// A course's SCORM page: upload a package as the content of a module (a new course version). The
// full course editor embeds this later; operators can do the same with npm run scorm:import.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return {
    ...(await orErrorPage(() => getScormUploadPage({ actor: user, slug: params.slug }))),
    maxMb: maxUploadMb(),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  await orErrorPage(() => assertCanAuthorCourse(user, params.slug));
  let upload: Awaited<ReturnType<typeof readPackageUpload>> | null = null;
  try {
    upload = await readPackageUpload(request);
    if (!upload.zipPath) throw new DomainError("INVALID", "author.fileMissing", "package");
    const choice = String(upload.form.get("module") ?? "");
    const moduleKey = choice === "__new" ? String(upload.form.get("moduleKey") ?? "").trim() : choice;
    const text = (name: string) => String(upload?.form.get(name) ?? "").trim().slice(0, 200) || undefined;
    const titleSl = text("titleSl");
    const titleEn = text("titleEn");
    const result = await importScormPackage({
      actor: user,
      courseSlug: params.slug,
      moduleKey,
      zipPath: upload.zipPath,
      title: titleSl || titleEn ? { sl: titleSl, en: titleEn } : undefined,
      minutes: Number(upload.form.get("minutes") ?? 20),
    });
    return { imported: result };
  } catch (error) {
    if (error instanceof DomainError) return data({ error: { key: error.messageKey, detail: error.detail ?? "", field: error.field ?? "" } }, { status: statusOf(error) });
    throw error;
  } finally {
    upload?.discard();
  }
}

export default function ScormUpload({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [module, setModule] = useState(loaderData.modules.find((m) => m.scorm)?.key ?? "__new");
  const error = actionData && "error" in actionData ? actionData.error : null;
  const imported = actionData && "imported" in actionData ? actionData.imported : null;
  const message = error ? t(error.key as never, { detail: error.detail, mb: error.detail }) : null;
  return (
    <div className="max-w-3xl space-y-5">
      <PageHeading lead={t("author.scormIntro")}>{t("author.scormTitle", { course: pick(loaderData.title, locale) })}</PageHeading>
      {imported ? <FormNotice text={t("author.imported", { title: imported.title, version: imported.version, scos: imported.scos, files: imported.files, courseVersion: imported.courseVersion })} /> : null}
      {message ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {message}
        </p>
      ) : null}
      <Card>
        <h2 className="mb-2 font-semibold">{t("author.modules")}</h2>
        <ol className="list-decimal space-y-1 pl-6">
          {loaderData.modules.map((m) => (
            <li key={m.key}>
              {pick(m.title, locale)} <span className="text-sm text-slate-600">({m.key}; {t(m.scorm ? "author.kind.SCORM" : "author.kind.other")})</span>
            </li>
          ))}
        </ol>
      </Card>
      <Card>
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <SelectField label={t("author.module")} name="module" value={module} onChange={(event) => setModule(event.target.value)} options={[...loaderData.modules.map((m) => ({ value: m.key, label: `${pick(m.title, locale)} (${m.key})` })), { value: "__new", label: t("author.newModule") }]} />
          {module === "__new" ? <Field label={t("author.moduleKey")} name="moduleKey" required pattern="[a-z0-9][a-z0-9\-]{0,59}" maxLength={60} /> : null}
          <Field label={t("author.titleSl")} name="titleSl" maxLength={200} />
          <Field label={t("author.titleEn")} name="titleEn" maxLength={200} />
          <Field label={t("author.minutes")} name="minutes" type="number" min={1} max={600} defaultValue={20} required />
          <Field label={t("author.file", { mb: loaderData.maxMb })} name="package" type="file" accept=".zip,application/zip" required />
          <SubmitButton>{t("author.upload")}</SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
