import { useCallback, useEffect, useMemo, useState } from "react";
import { Form, Link, useBeforeUnload, useBlocker } from "react-router";
import { addNode, readCaseFormData } from "~/authoring/case-form.ts";
import { analyseCase } from "~/authoring/case-paths.ts";
import { getCaseEditor, saveCase } from "~/authoring/case-editor.server.ts";
import { editorAction, formInt } from "~/authoring/editor-action.server.ts";
import { PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor, SaveMessage } from "~/components/authoring.tsx";
import { buttonStyles, CaseSettingsFields } from "~/components/case-editor-fields.tsx";
import { type EditorContext, NodeEditor } from "~/components/case-node-editor.tsx";
import { PathCheck } from "~/components/case-path-check.tsx";
import { SubmitButton } from "~/components/form.tsx";
import { pick, translator } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/case";

// The branching case editor: a case's settings, its nodes one by one, and the path check, for one
// `*.case.yaml` file of a course's draft.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => getCaseEditor({ actor: user, slug: params.slug, folder: params.folder, file: params.file }));
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  return editorAction(async () => {
    const saved = await saveCase({ actor: user, slug: params.slug, folder: params.folder, file: params.file, revision: formInt(formData, "revision"), form: readCaseFormData(formData) });
    return { saved: true as const, revision: saved.revision };
  });
}

export default function CaseEditor({ loaderData, actionData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { form: saved, revision, locales, path } = loaderData;
  const [form, setForm] = useState(saved);
  // After a save the page shows the file as saved; after a refused one the trainer's input stays.
  const [shown, setShown] = useState({ path, revision });
  if (shown.path !== path || shown.revision !== revision) {
    setShown({ path, revision });
    setForm(saved);
  }
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(saved?.start ? [saved.start] : []));
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    if (!focusTarget) return;
    document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(saved), [form, saved]);
  useBeforeUnload(
    useCallback(
      (event) => {
        if (dirty) event.preventDefault();
      },
      [dirty],
    ),
  );
  // Leaving for another page of the app asks first; saving (a post to this page) does not.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state === "blocked") document.getElementById("case-leave-stay")?.focus();
  }, [blocker.state]);
  const analysis = useMemo(() => (form ? analyseCase(form) : null), [form]);
  const error = actionData && "error" in actionData ? actionData.error : null;
  const courseTitle = pick(loaderData.courseTitle, locale) || params.slug;

  const heading = (
    <>
      <EditorNav slug={params.slug} current={null} title={courseTitle} />
      <PageHeading lead={t("editor.case.lead")}>{t("editor.case.title", { case: (form && pick(form.title, locale)) || params.file })}</PageHeading>
      <p className="-mt-4 mb-4 text-sm text-slate-600">
        <span className="font-mono">{path}</span> ·{" "}
        <Link to={`/author/courses/${params.slug}/modules/${params.folder}`} className="text-brand-700 underline">
          {t("editor.case.backToModule")}
        </Link>
      </p>
      <div id="case-save-message">
        <SaveMessage result={actionData} />
      </div>
      {error?.key === "authoring.draft.conflict" ? (
        <p className="text-sm">
          <a href={`/author/courses/${params.slug}/modules/${params.folder}/cases/${params.file}`} className="text-brand-700 underline">
            {t("editor.case.openSaved")}
          </a>
        </p>
      ) : null}
      <DraftProblems problems={loaderData.problems} files={[path]} linkFor={(file) => editorLinkFor(params.slug, file)} />
    </>
  );
  if (!form || !analysis) {
    return (
      <div className="space-y-4">
        {heading}
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {t("editor.case.cannotOpen")}
        </p>
      </div>
    );
  }

  const context: EditorContext = {
    form,
    locales,
    usedIds: loaderData.usedIds,
    edit: (change) => setForm((current) => (current ? change(current) : current)),
    focus: (elementId, text) => {
      setFocusTarget(elementId);
      if (text) setAnnouncement(text);
    },
  };
  const openNode = (id: string, isOpen = true) =>
    setOpen((current) => {
      const next = new Set(current);
      if (isOpen) next.add(id);
      else next.delete(id);
      return next;
    });
  const add = (kind: "situation" | "debrief") => {
    const added = addNode(form, kind, loaderData.usedIds, locales);
    setForm(added.form);
    openNode(added.id);
    setFocusTarget(`node-${added.id}-text-${locales[0]}`);
  };

  return (
    <div className="space-y-4">
      {heading}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <Form method="post" className="space-y-6">
        <input type="hidden" name="revision" value={revision} />
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
          <CaseSettingsFields form={form} locales={locales} outcomes={loaderData.outcomes} onChange={context.edit} />
        </div>
        <PathCheck form={form} analysis={analysis} onOpenNode={(id) => openNode(id)} />
        <section aria-labelledby="case-nodes" className="space-y-3">
          <h2 id="case-nodes" tabIndex={-1} className="text-lg font-semibold">
            {t("editor.case.nodes", { count: form.nodes.length })}
          </h2>
          <p className="text-sm text-slate-600">{t("editor.case.nodesLead")}</p>
          <ol className="space-y-3">
            {form.nodes.map((node, index) => (
              <li key={node.id}>
                <NodeEditor
                  node={node}
                  index={index}
                  flags={{ start: node.id === form.start, unreachable: analysis.unreachable.includes(node.id), deadEnd: analysis.deadEnds.includes(node.id) }}
                  open={open.has(node.id)}
                  onToggle={(isOpen) => {
                    if (isOpen !== open.has(node.id)) openNode(node.id, isOpen);
                  }}
                  context={context}
                />
              </li>
            ))}
          </ol>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonStyles} onClick={() => add("situation")}>
              {t("editor.case.addSituation")}
            </button>
            <button type="button" className={buttonStyles} onClick={() => add("debrief")}>
              {t("editor.case.addDebrief")}
            </button>
          </div>
        </section>
        <div className="sticky bottom-0 -mx-4 space-y-3 border-t border-slate-300 bg-white/95 px-4 py-3 sm:mx-0 sm:rounded-lg sm:border">
          {blocker.state === "blocked" ? (
            <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
              <p>{t("editor.case.leaveUnsaved")}</p>
              <div className="flex flex-wrap gap-2">
                <button type="button" id="case-leave-stay" className={buttonStyles} onClick={() => blocker.reset()}>
                  {t("editor.case.stay")}
                </button>
                <button type="button" className={buttonStyles} onClick={() => blocker.proceed()}>
                  {t("editor.case.leave")}
                </button>
              </div>
            </div>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton>{t("editor.case.save")}</SubmitButton>
            {/* The message at the top of the page is the one announced; this repeats it where the button is. */}
            {error ? (
              <a href="#case-save-message" className="text-sm font-medium text-red-800 underline">
                {t("editor.case.notSaved")}
              </a>
            ) : (
              <p className="text-sm text-slate-700">{dirty ? t("editor.case.unsaved") : actionData && "saved" in actionData ? t("editor.saved") : t("editor.case.noChanges")}</p>
            )}
          </div>
        </div>
      </Form>
    </div>
  );
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("editor.case.pageTitle")} · Opora` }];
}
