import { ID_PATTERN, NUMBERED_NAME_PATTERN } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { type DraftChange, getDraftView, saveDraftFiles } from "./draft.server.ts";
import { composeLesson } from "./lesson-text.ts";
import { slugify } from "./slug.ts";
import { readYaml, setYamlValues, toYaml, type YamlPath } from "./yaml-edit.ts";

// Adding, moving, renaming and removing modules and their items. Each operation is a set of file
// changes saved together with the revisions the trainer's page showed, so a structure edit never
// overwrites someone else's change to the same course.yaml or module.yaml.

export type ItemKind = "lesson" | "quiz" | "case";
export type StructureOp =
  | { op: "add-module"; title: { sl: string; en: string }; courseRevision: number }
  | { op: "move-module"; folder: string; direction: "up" | "down"; courseRevision: number }
  /** The whole new order at once (dragging); `order` lists every module folder. */
  | { op: "reorder-modules"; order: string[]; courseRevision: number }
  /** `order` lists every item's current index in its new place. */
  | { op: "reorder-items"; folder: string; order: number[]; moduleRevision: number }
  | { op: "remove-module"; folder: string; courseRevision: number }
  | { op: "add-item"; folder: string; kind: ItemKind; title: { sl: string; en: string }; moduleRevision: number }
  | { op: "move-item"; folder: string; index: number; direction: "up" | "down"; moduleRevision: number }
  | { op: "remove-item"; folder: string; index: number; moduleRevision: number }
  | { op: "set-required"; folder: string; index: number; required: boolean; moduleRevision: number }
  | { op: "rename-module"; folder: string; title: { sl: string; en: string }; moduleRevision: number };

type ModuleItemRef = { lesson?: string; quiz?: string; case?: string; required?: boolean };

export async function changeStructure({ actor, slug, change, clock = systemClock }: { actor: Actor; slug: string; change: StructureOp; clock?: Clock }) {
  const moduleYaml = "folder" in change ? `${change.folder}/module.yaml` : null;
  const view = await getDraftView({ actor, slug, paths: ["course.yaml", ...(moduleYaml ? [moduleYaml] : [])] });
  const courseText = view.files["course.yaml"]?.text ?? "";
  const modules = view.settings.modules;
  const changes: DraftChange[] = [];
  const setCourse = (values: Parameters<typeof setYamlValues>[1]) => changes.push({ path: "course.yaml", expectedRevision: "courseRevision" in change ? change.courseRevision : view.courseRevision, text: setYamlValues(courseText, values) });

  if ("folder" in change && !modules.includes(change.folder)) throw new DomainError("NOT_FOUND", "authoring.structure.noModule");
  const moduleFile = moduleYaml ? view.files[moduleYaml] : null;
  const moduleData = (moduleFile?.text ? readYaml(moduleFile.text) : null) as { items?: ModuleItemRef[] } | null;
  const items = Array.isArray(moduleData?.items) ? moduleData.items : [];
  const setModule = (values: Parameters<typeof setYamlValues>[1]) => {
    if (!moduleYaml || !moduleFile?.text) throw new DomainError("CONFLICT", "authoring.structure.brokenModule");
    changes.push({ path: moduleYaml, expectedRevision: "moduleRevision" in change ? change.moduleRevision : moduleFile.revision, text: setYamlValues(moduleFile.text, values) });
  };
  const inFolder = (folder: string) => view.paths.filter((path) => path.startsWith(`${folder}/`));

  switch (change.op) {
    case "add-module": {
      const title = requireTitle(change.title);
      const name = slugify(title.en || title.sl);
      const folder = `${nextNumber(modules)}-${name}`;
      const lesson = `01-${name}`;
      const id = uniqueId(name, view.usedIds);
      setCourse([[["modules"], [...modules, folder]]]);
      changes.push({ path: `${folder}/module.yaml`, expectedRevision: 0, text: toYaml({ id, title, outcomes: [], items: [{ lesson }] }) });
      for (const locale of view.settings.locales) {
        changes.push({ path: `${folder}/${lesson}.${locale}.md`, expectedRevision: 0, text: composeLesson({ id: `${id}-intro`, title: title[locale as "sl" | "en"] ?? title.en, minutes: 5, sources: [] }, "") });
      }
      break;
    }
    case "move-module": {
      setCourse([[["modules"], moved(modules, modules.indexOf(change.folder), change.direction)]]);
      break;
    }
    case "reorder-modules": {
      if (change.order.length !== modules.length || [...change.order].sort().join("\n") !== [...modules].sort().join("\n")) throw new DomainError("CONFLICT", "authoring.structure.staleOrder");
      setCourse([[["modules"], change.order]]);
      break;
    }
    case "reorder-items": {
      if (change.order.length !== items.length || [...change.order].sort((a, b) => a - b).some((value, index) => value !== index)) throw new DomainError("CONFLICT", "authoring.structure.staleOrder");
      setModule([[["items"], change.order.map((index) => items[index])]]);
      break;
    }
    case "remove-module": {
      if (modules.length === 1) throw new DomainError("INVALID", "authoring.structure.lastModule");
      const course = (readYaml(courseText) ?? {}) as { recertification?: { modules?: string[]; retake?: string[] } };
      const values: Array<readonly [YamlPath, unknown]> = [[["modules"], modules.filter((m) => m !== change.folder)]];
      if (course.recertification?.modules?.includes(change.folder)) values.push([["recertification", "modules"], course.recertification.modules.filter((m) => m !== change.folder)]);
      if (course.recertification?.retake?.includes(change.folder)) values.push([["recertification", "retake"], course.recertification.retake.filter((m) => m !== change.folder)]);
      setCourse(values);
      for (const path of inFolder(change.folder)) changes.push({ path, expectedRevision: view.revisions[path] ?? 0, remove: true });
      break;
    }
    case "rename-module": {
      setModule([[["title"], requireTitle(change.title)]]);
      break;
    }
    case "add-item": {
      const title = requireTitle(change.title);
      const name = slugify(title.en || title.sl);
      const id = uniqueId(name, view.usedIds);
      if (change.kind === "lesson") {
        const stems = items.flatMap((item) => (item.lesson ? [item.lesson] : []));
        const stem = `${nextNumber([...stems, ...inFolder(change.folder).map((p) => p.slice(change.folder.length + 1))])}-${name}`;
        setModule([[["items"], [...items, { lesson: stem }]]]);
        for (const locale of view.settings.locales) {
          changes.push({ path: `${change.folder}/${stem}.${locale}.md`, expectedRevision: 0, text: composeLesson({ id, title: title[locale as "sl" | "en"] ?? title.en, minutes: 5, sources: [] }, "") });
        }
      } else {
        const file = `${name}.${change.kind}.yaml`;
        if (view.paths.includes(`${change.folder}/${file}`)) throw new DomainError("CONFLICT", "authoring.structure.fileExists", undefined, file);
        setModule([[["items"], [...items, { [change.kind]: file }]]]);
                // Question and node ids are unique across the course too.
        const used = new Set([...view.usedIds, id]);
        const fresh = (base: string) => {
          const unique = uniqueId(base, used);
          used.add(unique);
          return unique;
        };
        changes.push({ path: `${change.folder}/${file}`, expectedRevision: 0, text: toYaml(change.kind === "quiz" ? starterQuiz(id, title, view.settings.outcomes[0]?.id, fresh) : starterCase(id, title, fresh)) });
      }
      break;
    }
    case "move-item": {
      assertIndex(items, change.index);
      setModule([[["items"], moved(items, change.index, change.direction)]]);
      break;
    }
    case "set-required": {
      assertIndex(items, change.index);
      setModule([[["items", change.index, "required"], change.required ? undefined : false]]);
      break;
    }
    case "remove-item": {
      assertIndex(items, change.index);
      if (items.length === 1) throw new DomainError("INVALID", "authoring.structure.lastItem");
      const item = items[change.index];
      setModule([[["items"], items.filter((_, index) => index !== change.index)]]);
      const files = item.lesson ? inFolder(change.folder).filter((path) => path.startsWith(`${change.folder}/${item.lesson}.`) && path.endsWith(".md")) : [`${change.folder}/${item.quiz ?? item.case}`];
      for (const path of files) if (view.paths.includes(path)) changes.push({ path, expectedRevision: view.revisions[path] ?? 0, remove: true });
      break;
    }
  }
  return saveDraftFiles({ actor, slug, changes, clock });
}

function requireTitle(title: { sl: string; en: string }) {
  const sl = title.sl.trim().slice(0, 200);
  const en = title.en.trim().slice(0, 200);
  if (!sl && !en) throw new DomainError("INVALID", "authoring.structure.titleRequired", "title");
  return { sl: sl || en, en: en || sl };
}

function assertIndex(items: unknown[], index: number) {
  if (!Number.isInteger(index) || index < 0 || index >= items.length) throw new DomainError("NOT_FOUND", "authoring.structure.noItem");
}

function moved<T>(list: readonly T[], index: number, direction: "up" | "down") {
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= list.length) return [...list];
  const copy = [...list];
  [copy[index], copy[target]] = [copy[target] as T, copy[index] as T];
  return copy;
}


/** The next two-digit number for a `NN-name` list: one more than the highest in use. */
function nextNumber(names: readonly string[]) {
  const numbers = names.map((name) => Number(NUMBERED_NAME_PATTERN.exec(name.split(".")[0] ?? "")?.groups?.position ?? 0));
  return String(Math.max(0, ...numbers) + 1).padStart(2, "0");
}

/** An id no file of the draft uses yet (ids must be unique across the course). */
function uniqueId(base: string, used: ReadonlySet<string>) {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  if (!ID_PATTERN.test(id)) throw new DomainError("INVALID", "authoring.structure.titleRequired", "title");
  return id;
}

function starterQuiz(id: string, title: { sl: string; en: string }, outcome: string | undefined, fresh: (base: string) => string) {
  const empty = { sl: "", en: "" };
  return {
    id,
    title,
    draw: 1,
    shuffle: true,
    review: "after-attempt",
    questions: [{ id: fresh(`${id}-question-1`), kind: "true_false", outcome: outcome ?? "", prompt: empty, explanation: empty, answer: true }],
  };
}

function starterCase(id: string, title: { sl: string; en: string }, fresh: (base: string) => string) {
  const empty = { sl: "", en: "" };
  const start = fresh(`${id}-start`);
  const debrief = fresh(`${id}-debrief`);
  return {
    id,
    title,
    summary: empty,
    start,
    nodes: [
      { id: start, text: empty, choices: [{ id: fresh(`${id}-choice-1`), text: empty, consequence: empty, next: debrief }] },
      { id: debrief, debrief: true, outcome: "safe", text: empty },
    ],
  };
}

export type OutlineItem = { index: number; kind: ItemKind; ref: string; required: boolean; title: Record<string, string>; files: string[] };
export type OutlineModule = { folder: string; revision: number; title: Record<string, string>; items: OutlineItem[]; broken: boolean };

/**
 * The course editor's start page: the draft's modules and items in course order with their titles,
 * its problems, and what changed since the last publication.
 */
export async function draftOutline({ actor, slug }: { actor: Actor; slug: string }) {
  // One read of the draft: every file, its revision and the draft's problems.
  const all = await getDraftView({ actor, slug, paths: "all" });
  const moduleFiles = all.settings.modules.map((folder) => `${folder}/module.yaml`);
  const text = (path: string) => all.files[path]?.text ?? null;
  const modules: OutlineModule[] = all.settings.modules.map((folder, position) => {
    const moduleText = text(moduleFiles[position] as string);
    const data = (moduleText ? readYaml(moduleText) : null) as { title?: Record<string, string>; items?: ModuleItemRef[] } | null;
    const items: OutlineItem[] = (Array.isArray(data?.items) ? data.items : []).map((item, index) => {
      const kind: ItemKind = item.lesson ? "lesson" : item.quiz ? "quiz" : "case";
      const ref = item.lesson ?? item.quiz ?? item.case ?? "";
      const files = kind === "lesson" ? all.paths.filter((p) => p.startsWith(`${folder}/${ref}.`) && p.endsWith(".md")) : [`${folder}/${ref}`];
      const title: Record<string, string> = {};
      if (kind === "lesson") {
        for (const file of files) {
          const locale = /\.([a-z]{2})\.md$/.exec(file)?.[1];
          const lessonTitle = /^title:\s*(.+)$/m.exec(text(file) ?? "")?.[1];
          if (locale && lessonTitle) title[locale] = lessonTitle.replace(/^["']|["']$/g, "");
        }
      } else {
        const parsed = (readYaml(text(files[0] as string) ?? "") ?? {}) as { title?: Record<string, string> };
        Object.assign(title, typeof parsed.title === "object" ? parsed.title : {});
      }
      return { index, kind, ref, required: item.required !== false, title, files };
    });
    return { folder, revision: all.revisions[moduleFiles[position] as string] ?? 0, title: typeof data?.title === "object" ? data.title : {}, items, broken: !data };
  });
  return { course: all.course, settings: all.settings, courseRevision: all.courseRevision, problems: all.problems, modules };
}
