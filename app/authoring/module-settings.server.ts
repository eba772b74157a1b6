import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { getDraftView, saveDraftFiles } from "./draft.server.ts";
import { readYaml, setYamlValues } from "./yaml-edit.ts";

// A module's page writes its module.yaml: title, summary and the course outcomes it teaches.

export async function getModuleSettings({ actor, slug, folder }: { actor: Actor; slug: string; folder: string }) {
  const path = `${folder}/module.yaml`;
  const view = await getDraftView({ actor, slug, paths: [path] });
  const file = view.files[path];
  if (!view.settings.modules.includes(folder) || !file?.text) throw new DomainError("NOT_FOUND", "errors.notFound");
  return { view, path, revision: file.revision, data: (readYaml(file.text) ?? {}) as { title?: Record<string, string>; summary?: Record<string, string>; outcomes?: string[] } };
}

export async function saveModuleSettings({ actor, slug, folder, input, clock = systemClock }: { actor: Actor; slug: string; folder: string; input: { revision: number; title: Record<string, string>; summary: Record<string, string>; outcomes: string[] }; clock?: Clock }) {
  const { view, path } = await getModuleSettings({ actor, slug, folder });
  const known = new Set(view.settings.outcomes.map((o) => o.id));
  const pick = (texts: Record<string, string>) => Object.fromEntries(view.settings.locales.map((l) => [l, texts[l]?.trim() ?? ""]).filter(([, v]) => v));
  const title = pick(input.title);
  if (!Object.keys(title).length) throw new DomainError("INVALID", "authoring.structure.titleRequired", "title");
  const summary = pick(input.summary);
  const text = setYamlValues(view.files[path]?.text ?? "", [
    [["title"], title],
    [["summary"], Object.keys(summary).length ? summary : undefined],
    [["outcomes"], input.outcomes.filter((o) => known.has(o))],
  ]);
  return saveDraftFiles({ actor, slug, changes: [{ path, expectedRevision: input.revision, text }], clock });
}
