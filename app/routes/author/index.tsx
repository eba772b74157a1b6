import { Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { SaveMessage } from "~/components/authoring.tsx";
import { Field, Form, SelectField, SubmitButton } from "~/components/form.tsx";
import { authoringHome } from "~/authoring/authoring-home.server.ts";
import { importCourseZip } from "~/authoring/course-zip.server.ts";
import { createCourse } from "~/authoring/create-course.server.ts";
import { editorAction, formText } from "~/authoring/editor-action.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { assertMayAuthor } from "~/domain/course-authoring-access.server.ts";
import { readPackageUpload } from "~/scorm/upload.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage } from "~/utils/errors.server.ts";
import { redirect } from "react-router";
import type { Route } from "./+types/index";

// Authoring: the courses this person may change (admins: all; trainers: their organisation's), and
// creating or importing a course.
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => authoringHome(user));
}

const PLATFORM = "__platform";

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return editorAction(async () => {
      // Refused before the upload is read to disk.
      await assertMayAuthor(user);
      const upload = await readPackageUpload(request);
      try {
        if (!upload.zipPath) throw new DomainError("INVALID", "editor.import.fileMissing", "package");
        const owner = String(upload.form.get("owner") ?? "");
        const imported = await importCourseZip({ actor: user, zipPath: upload.zipPath, organisationId: owner === PLATFORM ? null : owner });
        return redirect(`/author/courses/${imported.slug}?imported=${imported.files}`);
      } finally {
        upload.discard();
      }
    });
  }
  const form = await request.formData();
  return editorAction(async () => {
    const owner = formText(form, "owner");
    const course = await createCourse({ actor: user, input: { slug: formText(form, "slug", 64), title: { sl: formText(form, "titleSl", 200), en: formText(form, "titleEn", 200) }, organisationId: owner === PLATFORM ? null : owner } });
    return redirect(`/author/courses/${course.slug}`);
  });
}

export default function AuthorIndex({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const ownerOptions = [...(loaderData.owners.platformWide ? [{ value: PLATFORM, label: t("editor.create.platformWide") }] : []), ...loaderData.owners.organisations.map((o) => ({ value: o.id, label: o.name }))];
  return (
    <div className="space-y-6">
      <PageHeading lead={t("author.intro")}>{t("author.title")}</PageHeading>
      <SaveMessage result={result} />
      {loaderData.courses.length ? (
        <ul className="space-y-2">
          {loaderData.courses.map((course) => (
            <li key={course.id}>
              <Card className="space-y-2">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="text-lg font-semibold">
                    <Link to={`/author/courses/${course.slug}`} className="text-brand-700 underline">
                      {pick(course.title, locale) || course.slug}
                    </Link>
                  </h2>
                  <p className="text-sm text-slate-700">
                    {course.version ? t("editor.home.versionN", { version: course.version }) : t("editor.home.neverPublished")}
                    {course.draftEdited ? ` · ${t("editor.home.draftEdited")}` : ""}
                  </p>
                </div>
                <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                  <li>
                    <Link to={`/author/courses/${course.slug}/scorm`} className="underline">
                      {t("author.scorm")}
                    </Link>
                  </li>
                  {course.quizzes.map((quiz) => (
                    <li key={quiz.key}>
                      <Link to={`/author/courses/${course.slug}/quizzes/${quiz.key}/analysis`} className="underline">
                        {t("analysis.linkQuiz", { quiz: pick(quiz.title, locale) })}
                      </Link>
                    </li>
                  ))}
                </ul>
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("author.noCourses")}</p>
      )}
      {ownerOptions.length ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t("editor.create.title")}</h2>
            <Form method="post" className="space-y-3">
              <Field label={t("editor.create.titleSl")} name="titleSl" lang="sl" required maxLength={200} />
              <Field label={t("editor.create.titleEn")} name="titleEn" lang="en" required maxLength={200} />
              <Field label={t("editor.create.slug")} hint={t("editor.create.slugHint")} name="slug" required pattern="[a-z0-9-]{2,64}" maxLength={64} />
              <SelectField label={t("editor.create.owner")} name="owner" options={ownerOptions} />
              <SubmitButton>{t("editor.create.submit")}</SubmitButton>
            </Form>
          </Card>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t("editor.import.title")}</h2>
            <p className="mb-3 text-sm text-slate-700">{t("editor.import.lead")}</p>
            <Form method="post" encType="multipart/form-data" className="space-y-3">
              <Field label={t("editor.import.file")} name="package" type="file" accept=".zip,application/zip" required />
              <SelectField label={t("editor.create.owner")} name="owner" options={ownerOptions} />
              <SubmitButton>{t("editor.import.submit")}</SubmitButton>
            </Form>
          </Card>
        </div>
      ) : null}
    </div>
  );
}
