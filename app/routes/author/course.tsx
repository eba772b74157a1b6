import { useRef } from "react";
import { Form, Link, useActionData, useSearchParams, useSubmit } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { DraftProblems, EditorNav, editorLinkFor, SaveMessage } from "~/components/authoring.tsx";
import { Field, FormNotice, SelectField, SubmitButton } from "~/components/form.tsx";
import { addCourseEditor, listCourseEditors, removeCourseEditor } from "~/authoring/course-editors.server.ts";
import { discardDraft, draftStatus, publishDraft } from "~/authoring/draft.server.ts";
import { editorAction, formInt, formText } from "~/authoring/editor-action.server.ts";
import { changeStructure, draftOutline, type ItemKind, type StructureOp } from "~/authoring/structure.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { DomainError, orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/course";

// The course editor's start page: structure (modules and items, reordered with buttons), the draft's
// problems, what changed since the last publication, publishing, and the course as a zip.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(async () => {
    const [outline, status] = await Promise.all([draftOutline({ actor: user, slug: params.slug }), draftStatus({ actor: user, slug: params.slug })]);
    // Admins name the trainers who edit a platform-wide course; owned courses have none.
    const editors = user.isAdmin ? await listCourseEditors({ actor: user, slug: params.slug }).catch(() => null) : null;
    return { ...outline, changes: status.changes, publishedVersion: status.publishedVersion, editors };
  });
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = formText(form, "intent");
  return editorAction(async () => {
    if (intent === "publish") return { publish: await publishDraft({ actor: user, slug: params.slug }) };
    if (intent === "add-editor") {
      await addCourseEditor({ actor: user, slug: params.slug, email: formText(form, "email", 320) });
      return { saved: true };
    }
    if (intent === "remove-editor") {
      await removeCourseEditor({ actor: user, slug: params.slug, userId: formText(form, "userId", 64) });
      return { saved: true };
    }
    if (intent === "discard") {
      await discardDraft({ actor: user, slug: params.slug });
      return { discarded: true };
    }
    await changeStructure({ actor: user, slug: params.slug, change: structureOp(form) });
    return { saved: true };
  });
}

function structureOp(form: FormData): StructureOp {
  const title = { sl: formText(form, "titleSl", 200), en: formText(form, "titleEn", 200) };
  const folder = formText(form, "folder", 200);
  const direction = formText(form, "direction") === "up" ? "up" : "down";
  const courseRevision = formInt(form, "courseRevision");
  const moduleRevision = formInt(form, "moduleRevision");
  const index = formInt(form, "index");
  switch (formText(form, "intent")) {
    case "add-module":
      return { op: "add-module", title, courseRevision };
    case "move-module":
      return { op: "move-module", folder, direction, courseRevision };
    case "reorder-modules":
      return { op: "reorder-modules", order: formText(form, "order", 20_000).split("\n").filter(Boolean), courseRevision };
    case "reorder-items":
      return { op: "reorder-items", folder, order: formText(form, "order", 20_000).split("\n").filter(Boolean).map(Number), moduleRevision };
    case "remove-module":
      return { op: "remove-module", folder, courseRevision };
    case "add-item": {
      const kind = formText(form, "kind");
      if (kind !== "lesson" && kind !== "quiz" && kind !== "case") throw new DomainError("INVALID", "editor.structure.badKind", "kind");
      return { op: "add-item", folder, kind: kind as ItemKind, title, moduleRevision };
    }
    case "move-item":
      return { op: "move-item", folder, index, direction, moduleRevision };
    case "remove-item":
      return { op: "remove-item", folder, index, moduleRevision };
    case "set-required":
      return { op: "set-required", folder, index, required: formText(form, "required") === "true", moduleRevision };
    default:
      throw new DomainError("INVALID", "editor.structure.badIntent");
  }
}

const smallButton = "min-h-11 rounded-md border border-slate-300 bg-white px-3 text-sm hover:bg-slate-50 disabled:opacity-40";

/**
 * Drag and drop for the structure lists, as a shortcut for mouse users: dropping an entry on another
 * moves it to that place and posts the whole new order. The Move up / Move down buttons do the same
 * by keyboard or touch.
 */
function useDragReorder<K extends string | number>(keys: readonly K[], post: (order: K[]) => void) {
  const dragged = useRef<K | null>(null);
  return (key: K) => ({
    draggable: true,
    onDragStart: (event: React.DragEvent) => {
      event.stopPropagation();
      dragged.current = key;
      event.dataTransfer.effectAllowed = "move";
    },
    onDragOver: (event: React.DragEvent) => {
      if (dragged.current !== null && keys.includes(dragged.current)) event.preventDefault();
    },
    onDrop: (event: React.DragEvent) => {
      const from = dragged.current;
      dragged.current = null;
      if (from === null || from === key || !keys.includes(from)) return;
      event.preventDefault();
      event.stopPropagation();
      const order = keys.filter((k) => k !== from);
      order.splice(keys.indexOf(key), 0, from);
      post(order);
    },
  });
}

/** A module's items, which can be dragged into a new order within the module. */
function ItemList({ module, children }: { module: { folder: string; revision: number; items: Array<{ index: number }> }; children: (drag: ReturnType<typeof useDragReorder<number>>) => React.ReactNode }) {
  const submit = useSubmit();
  const drag = useDragReorder(
    module.items.map((item) => item.index),
    (order) => submit({ intent: "reorder-items", folder: module.folder, order: order.join("\n"), moduleRevision: module.revision }, { method: "post" }),
  );
  return <ol className="divide-y divide-slate-200 rounded-md border border-slate-200">{children(drag)}</ol>;
}

/** One structure change as its own small form, so each works without JavaScript and by keyboard. */
function StructureButton({ fields, label, subject, disabled = false }: { fields: Record<string, string | number>; label: string; subject: string; disabled?: boolean }) {
  return (
    <Form method="post">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={smallButton} disabled={disabled}>
        {label}
        <span className="sr-only">: {subject}</span>
      </button>
    </Form>
  );
}

export default function CourseEditor({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { modules, problems, changes, publishedVersion, courseRevision } = loaderData;
  const title = pick(loaderData.settings.title, locale) || params.slug;
  const publish = result && "publish" in result ? result.publish : null;
  const linkFor = (file: string) => editorLinkFor(params.slug, file);
  const submit = useSubmit();
  const dragModule = useDragReorder(
    modules.map((m) => m.folder),
    (order) => submit({ intent: "reorder-modules", order: order.join("\n"), courseRevision }, { method: "post" }),
  );
  return (
    <div className="space-y-6">
      <EditorNav slug={params.slug} current="course" title={title} />
      <PageHeading lead={publishedVersion ? t("editor.home.lead", { version: publishedVersion }) : t("editor.home.leadNew")}>{title}</PageHeading>
      {search.get("imported") ? <FormNotice text={t("editor.import.done", { files: search.get("imported") ?? "" })} /> : null}
      {publish?.status === "published" ? <FormNotice text={t("editor.publish.done", { version: publish.version })} /> : null}
      {publish?.status === "unchanged" ? <FormNotice text={t("editor.publish.unchanged", { version: publish.version })} /> : null}
      {result && "discarded" in result ? <FormNotice message="editor.discard.done" /> : null}
      <SaveMessage result={result && ("error" in result || "saved" in result) ? result : null} />

      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">{t("editor.publish.title")}</h2>
        <p className="text-sm text-slate-700">{changes.length ? t("editor.publish.changed", { count: changes.length }) : t("editor.publish.noChanges")}</p>
        <DraftProblems problems={publish?.status === "problems" ? publish.problems : problems} linkFor={linkFor} />
        <div className="flex flex-wrap gap-3">
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <SubmitButton>{t("editor.publish.submit")}</SubmitButton>
          </Form>
          <Link to={`/author/courses/${params.slug}/preview`} className={`${smallButton} inline-flex items-center`}>
            {t("editor.nav.preview")}
          </Link>
          <a href={`/author/courses/${params.slug}/export.zip?from=draft`} className={`${smallButton} inline-flex items-center`} download>
            {t("editor.export.draft")}
          </a>
          {publishedVersion ? (
            <a href={`/author/courses/${params.slug}/export.zip?from=published`} className={`${smallButton} inline-flex items-center`} download>
              {t("editor.export.published", { version: publishedVersion })}
            </a>
          ) : null}
        </div>
        <p className="text-sm text-slate-600">{t("editor.publish.explain")}</p>
      </Card>

      <section aria-labelledby="structure" className="space-y-3">
        <h2 id="structure" className="text-xl font-semibold">
          {t("editor.structure.title")}
        </h2>
        <p className="text-sm text-slate-700">{t("editor.structure.lead")}</p>
        <ol className="space-y-4">
          {modules.map((module, position) => {
            const moduleTitle = pick(module.title, locale) || module.folder;
            return (
              <li key={module.folder} {...dragModule(module.folder)}>
                <Card className="space-y-3">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <h3 className="text-lg font-semibold">
                      {t("editor.structure.moduleN", { n: position + 1 })}:{" "}
                      <Link to={`/author/courses/${params.slug}/modules/${module.folder}`} className="text-brand-700 underline">
                        {moduleTitle}
                      </Link>
                    </h3>
                    <div className="flex flex-wrap gap-2">
                      <StructureButton fields={{ intent: "move-module", folder: module.folder, direction: "up", courseRevision }} label={t("editor.structure.up")} subject={moduleTitle} disabled={position === 0} />
                      <StructureButton fields={{ intent: "move-module", folder: module.folder, direction: "down", courseRevision }} label={t("editor.structure.down")} subject={moduleTitle} disabled={position === modules.length - 1} />
                      <StructureButton fields={{ intent: "remove-module", folder: module.folder, courseRevision }} label={t("editor.structure.remove")} subject={moduleTitle} disabled={modules.length === 1} />
                    </div>
                  </div>
                  {module.broken ? <p className="text-sm text-red-800">{t("editor.structure.brokenModule")}</p> : null}
                  <ItemList module={module}>
                    {(dragItem) => module.items.map((item) => {
                      const itemTitle = pick(item.title, locale) || item.ref;
                      const to = linkFor(item.files[0] ?? "");
                      const itemFields = { folder: module.folder, index: item.index, moduleRevision: module.revision };
                      return (
                        <li key={`${item.kind}:${item.ref}`} {...dragItem(item.index)} className="flex cursor-move flex-wrap items-center justify-between gap-2 p-2">
                          <span>
                            <span className="mr-2 rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold uppercase text-slate-700">{t(`editor.kind.${item.kind}`)}</span>
                            {to ? (
                              <Link to={to} className="text-brand-700 underline">
                                {itemTitle}
                              </Link>
                            ) : (
                              itemTitle
                            )}
                            {item.required ? null : <span className="ml-2 text-sm text-slate-600">({t("editor.structure.optional")})</span>}
                          </span>
                          <span className="flex flex-wrap gap-2">
                            <StructureButton fields={{ ...itemFields, intent: "move-item", direction: "up" }} label={t("editor.structure.up")} subject={itemTitle} disabled={item.index === 0} />
                            <StructureButton fields={{ ...itemFields, intent: "move-item", direction: "down" }} label={t("editor.structure.down")} subject={itemTitle} disabled={item.index === module.items.length - 1} />
                            <StructureButton fields={{ ...itemFields, intent: "set-required", required: String(!item.required) }} label={t(item.required ? "editor.structure.makeOptional" : "editor.structure.makeRequired")} subject={itemTitle} />
                            <StructureButton fields={{ ...itemFields, intent: "remove-item" }} label={t("editor.structure.remove")} subject={itemTitle} disabled={module.items.length === 1} />
                          </span>
                        </li>
                      );
                    })}
                  </ItemList>
                  <details>
                    <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("editor.structure.addItemTo", { module: moduleTitle })}</summary>
                    <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2">
                      <input type="hidden" name="intent" value="add-item" />
                      <input type="hidden" name="folder" value={module.folder} />
                      <input type="hidden" name="moduleRevision" value={module.revision} />
                      <SelectField label={t("editor.structure.kind")} name="kind" options={(["lesson", "quiz", "case"] as const).map((kind) => ({ value: kind, label: t(`editor.kind.${kind}`) }))} />
                      <span />
                      <Field label={t("editor.create.titleSl")} name="titleSl" lang="sl" required maxLength={200} />
                      <Field label={t("editor.create.titleEn")} name="titleEn" lang="en" required maxLength={200} />
                      <div>
                        <SubmitButton>{t("editor.structure.addItem")}</SubmitButton>
                      </div>
                    </Form>
                  </details>
                </Card>
              </li>
            );
          })}
        </ol>
        <Card>
          <h3 className="mb-3 font-semibold">{t("editor.structure.addModule")}</h3>
          <Form method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="add-module" />
            <input type="hidden" name="courseRevision" value={courseRevision} />
            <Field label={t("editor.create.titleSl")} name="titleSl" lang="sl" required maxLength={200} />
            <Field label={t("editor.create.titleEn")} name="titleEn" lang="en" required maxLength={200} />
            <div>
              <SubmitButton>{t("editor.structure.addModule")}</SubmitButton>
            </div>
          </Form>
        </Card>
      </section>

      {loaderData.editors ? (
        <Card className="space-y-3">
          <h2 className="text-lg font-semibold">{t("editor.editors.title")}</h2>
          <p className="text-sm text-slate-700">{t("editor.editors.lead")}</p>
          {loaderData.editors.length ? (
            <ul className="divide-y divide-slate-200">
              {loaderData.editors.map((editor) => (
                <li key={editor.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {editor.name} <span className="text-sm text-slate-600">({editor.email})</span>
                    {editor.isTrainer ? null : <span className="ml-2 text-sm text-amber-800">{t("editor.editors.lapsed")}</span>}
                  </span>
                  <StructureButton fields={{ intent: "remove-editor", userId: editor.id }} label={t("editor.structure.remove")} subject={editor.name} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm">{t("editor.editors.none")}</p>
          )}
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="add-editor" />
            <Field label={t("editor.editors.email")} name="email" type="email" required autoComplete="off" />
            <SubmitButton>{t("editor.editors.add")}</SubmitButton>
          </Form>
        </Card>
      ) : null}

      <section aria-labelledby="changes" className="space-y-3">
        <h2 id="changes" className="text-xl font-semibold">
          {t("editor.changes.title")}
        </h2>
        {changes.length ? (
          <ul className="space-y-2">
            {changes.map((change) => (
              <li key={change.path}>
                <details className="rounded-md border border-slate-200 bg-white p-3">
                  <summary className="cursor-pointer">
                    <span className="font-mono text-sm">{change.path}</span> — {t(`editor.changes.${change.change}`)}{" "}
                    <span className="text-sm text-slate-700">{t("editor.changes.lines", { added: change.added, removed: change.removed })}</span>
                  </summary>
                  {change.lines ? (
                    <pre className="mt-2 overflow-x-auto text-sm leading-6">
                      {change.lines.map((line, index) => (
                        <div key={`${index}:${line.kind}`} className={line.kind === "added" ? "bg-emerald-50 text-emerald-900" : line.kind === "removed" ? "bg-red-50 text-red-900 line-through" : "text-slate-600"}>
                          <span aria-hidden="true">{line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "  "}</span>
                          <span className="sr-only">{line.kind === "added" ? t("editor.changes.addedLine") : line.kind === "removed" ? t("editor.changes.removedLine") : ""}</span>
                          {line.text}
                        </div>
                      ))}
                    </pre>
                  ) : (
                    <p className="mt-2 text-sm text-slate-700">{t("editor.changes.binary")}</p>
                  )}
                </details>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">{t("editor.publish.noChanges")}</p>
        )}
        <details className="rounded-md border border-red-200 bg-white p-3">
          <summary className="cursor-pointer text-sm font-medium text-red-800">{t("editor.discard.title")}</summary>
          <p className="my-2 text-sm text-slate-700">{t("editor.discard.explain")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="discard" />
            <SubmitButton variant="secondary">{t("editor.discard.submit")}</SubmitButton>
          </Form>
        </details>
      </section>
    </div>
  );
}
