import { Form, Link, useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor, LocalisedFields, SaveMessage } from "~/components/authoring.tsx";
import { CheckboxGroup, SubmitButton } from "~/components/form.tsx";
import { editorAction, formInt, formText } from "~/authoring/editor-action.server.ts";
import { getModuleSettings, saveModuleSettings } from "~/authoring/module-settings.server.ts";
import { LOCALES } from "~/content/schema.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/module";

// A module's settings (module.yaml). Its items are added, moved and removed on the course page.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(async () => {
    const { view, path, revision, data } = await getModuleSettings({ actor: user, slug: params.slug, folder: params.folder });
    const files = view.paths.filter((p) => p.startsWith(`${params.folder}/`));
    return { settings: view.settings, problems: view.problems, path, files, revision, data };
  });
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const texts = (name: string) => Object.fromEntries(LOCALES.map((l) => [l, formText(form, `${name}.${l}`, 2000)]));
  return editorAction(async () => {
    await saveModuleSettings({ actor: user, slug: params.slug, folder: params.folder, input: { revision: formInt(form, "revision"), title: texts("title"), summary: texts("summary"), outcomes: form.getAll("outcomes").map(String) } });
    return { saved: true };
  });
}

export default function ModuleSettings({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { settings, data, revision, files } = loaderData;
  return (
    <div className="space-y-6">
      <EditorNav slug={params.slug} current={null} title={pick(settings.title, locale) || params.slug} />
      <PageHeading lead={t("editor.module.lead")}>{t("editor.module.title", { module: pick(data.title ?? {}, locale) || params.folder })}</PageHeading>
      <SaveMessage result={result} />
      <DraftProblems problems={loaderData.problems} files={files} linkFor={(file) => editorLinkFor(params.slug, file)} />
      <Form method="post" className="space-y-4" key={revision}>
        <input type="hidden" name="revision" value={revision} />
        <Card className="space-y-4">
          <LocalisedFields label={t("editor.module.moduleTitle")} name="title" value={data.title} locales={settings.locales} required />
          <LocalisedFields label={t("editor.settings.summary")} name="summary" value={data.summary} locales={settings.locales} multiline />
          {settings.outcomes.length ? (
            <CheckboxGroup legend={t("editor.module.outcomes")} name="outcomes" options={settings.outcomes.map((o) => ({ value: o.id, label: pick(o.text, locale) || o.id }))} defaultValues={data.outcomes ?? []} />
          ) : null}
        </Card>
        <SubmitButton>{t("editor.save")}</SubmitButton>
      </Form>
      <p>
        <Link to={`/author/courses/${params.slug}#structure`} className="text-brand-700 underline">
          {t("editor.module.itemsOnCoursePage")}
        </Link>
      </p>
    </div>
  );
}
