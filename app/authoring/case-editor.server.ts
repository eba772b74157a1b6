import { CASE_FILE_PATTERN } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { type CaseForm, caseFormToYaml, readCaseForm } from "./case-form.ts";
import { analyseCase } from "./case-paths.ts";
import { isDraftPath } from "./draft-paths.ts";
import { getDraftView, saveDraftFiles } from "./draft.server.ts";

// The branching case editor: one `*.case.yaml` file of a course's draft as a form, saved back with
// the revision the trainer opened so that nobody's change is overwritten unseen.

function casePath(folder: string, file: string) {
  const path = `${folder}/${file}`;
  if (!CASE_FILE_PATTERN.test(file) || !isDraftPath(path)) throw new DomainError("NOT_FOUND", "errors.notFound");
  return path;
}

/**
 * What the case editor page shows. `form` is null when the file cannot be shown as a form (the
 * draft's problems for the file say why); its nodes come in path order, the start first.
 */
export async function getCaseEditor({ actor, slug, folder, file }: { actor: Actor; slug: string; folder: string; file: string }) {
  const path = casePath(folder, file);
  const view = await getDraftView({ actor, slug, paths: [path] });
  const current = view.files[path];
  if (!current || current.text === null) throw new DomainError("NOT_FOUND", "errors.notFound");
  const form = readCaseForm(current.text, view.settings.locales);
  return {
    path,
    revision: current.revision,
    form: form && inPathOrder(form),
    courseTitle: view.settings.title,
    locales: view.settings.locales,
    outcomes: view.settings.outcomes,
    usedIds: [...view.usedIds].sort(),
    problems: view.problems.filter((problem) => problem.file === path),
  };
}

function inPathOrder(form: CaseForm): CaseForm {
  const order = analyseCase(form).order;
  return { ...form, nodes: order.map((id) => form.nodes.find((node) => node.id === id) as CaseForm["nodes"][number]) };
}

/**
 * Saves the trainer's form into the case file. `revision` is the file's revision when the page was
 * opened: if someone saved it since, nothing is saved and the error names who (as for every draft file).
 */
export async function saveCase({ actor, slug, folder, file, revision, form, clock = systemClock }: { actor: Actor; slug: string; folder: string; file: string; revision: number; form: Omit<CaseForm, "id"> | null; clock?: Clock }) {
  const path = casePath(folder, file);
  const view = await getDraftView({ actor, slug, paths: [path] });
  const current = view.files[path];
  if (!current || current.text === null) throw new DomainError("CONFLICT", "authoring.draft.conflictRemoved", undefined, path);
  if (!form || !Number.isInteger(revision)) throw new DomainError("INVALID", "editor.case.invalidForm");
  const opened = readCaseForm(current.text, view.settings.locales);
  if (!opened && current.revision === revision) throw new DomainError("CONFLICT", "editor.case.unreadable", undefined, path);
  // A stale revision is refused below, naming who saved first, whatever the file holds now.
  const text = opened ? caseFormToYaml(current.text, { ...form, id: opened.id }, view.settings.locales) : current.text;
  if (text === current.text && current.revision === revision) return { revision };
  const { revisions } = await saveDraftFiles({ actor, slug, changes: [{ path, expectedRevision: revision, text }], clock });
  return { revision: revisions[path] as number };
}
