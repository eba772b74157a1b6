// Where a learner stands in a course: which modules are open, which items are done, what comes
// next. Pure, so the same rules decide the player, the dashboard and completion.

export type OutlineItem = { key: string; kind: "LESSON" | "QUIZ" | "CASE" | "SCORM"; required: boolean };
export type OutlineModule = { key: string; position: number; isRecertification: boolean; items: OutlineItem[] };
export type LockReason = "previous-module" | "recertification-only";

export type ModuleState = Omit<OutlineModule, "items"> & {
  unlocked: boolean;
  lockedReason: LockReason | null;
  complete: boolean;
  items: Array<OutlineItem & { done: boolean }>;
};

export type CourseState = {
  modules: ModuleState[];
  /** required items done / required items, over the modules of a first completion */
  percent: number;
  complete: boolean;
  /** the first required item not done in an open module, else null */
  next: { moduleKey: string; itemKey: string; kind: OutlineItem["kind"] } | null;
};

/**
 * `done` holds the keys of finished items (lesson read, quiz passed, case finished as the case
 * requires). With `sequential`, a module opens when every module before it is complete; the
 * refresher (recertification) modules are not part of a first completion and stay closed.
 *
 * A renewal (`renewal` = the keys of the modules a renewal requires) counts only those modules:
 * they open in order under `sequential`, and every other first-completion module stays open for
 * review without being required.
 */
export function courseState(modules: OutlineModule[], done: ReadonlySet<string>, { sequential, renewal = null }: { sequential: boolean; renewal?: ReadonlySet<string> | null }): CourseState {
  const ordered = [...modules].sort((a, b) => a.position - b.position);
  const counts = (module: OutlineModule) => (renewal ? renewal.has(module.key) : !module.isRecertification);
  let previousComplete = true;
  const states: ModuleState[] = ordered.map((module) => {
    const items = module.items.map((item) => ({ ...item, done: done.has(item.key) }));
    const complete = items.every((item) => !item.required || item.done);
    let lockedReason: LockReason | null = null;
    if (counts(module)) {
      if (sequential && !previousComplete) lockedReason = "previous-module";
      previousComplete = previousComplete && complete;
    } else if (module.isRecertification) {
      lockedReason = "recertification-only";
    }
    return { ...module, items, unlocked: lockedReason === null, lockedReason, complete };
  });
  const counted = states.filter(counts).flatMap((m) => m.items.filter((i) => i.required));
  const doneCount = counted.filter((i) => i.done).length;
  let next: CourseState["next"] = null;
  for (const module of states) {
    if (!module.unlocked || !counts(module)) continue;
    const item = module.items.find((i) => i.required && !i.done);
    if (item) {
      next = { moduleKey: module.key, itemKey: item.key, kind: item.kind };
      break;
    }
  }
  return {
    modules: states,
    percent: counted.length ? Math.round((doneCount / counted.length) * 100) : 0,
    complete: counted.length > 0 && doneCount === counted.length,
    next,
  };
}

/**
 * The modules a renewal requires, as the course defines its recertification path: its refresher
 * modules plus any first-completion modules to retake (e.g. the final assessment); a course that
 * names neither renews by repeating the whole course.
 */
export function renewalModuleKeys(modules: OutlineModule[], plan: { modules?: string[]; retake?: string[] } | undefined): ReadonlySet<string> {
  const keys = [...(plan?.modules ?? []), ...(plan?.retake ?? [])];
  return new Set(keys.length ? keys : modules.filter((m) => !m.isRecertification).map((m) => m.key));
}

export type EnrolmentStatus = "not_started" | "in_progress" | "completed" | "overdue";

/** The one definition of an enrolment's status (certificates add certified/expiring/expired). */
export function statusOf(enrolment: { startedAt: Date | string | null; completedAt: Date | string | null; dueAt: Date | string | null }, now: Date): EnrolmentStatus {
  if (enrolment.completedAt) return "completed";
  if (enrolment.dueAt && new Date(enrolment.dueAt) < now) return "overdue";
  return enrolment.startedAt ? "in_progress" : "not_started";
}

export function itemPath(slug: string, item: { kind: OutlineItem["kind"]; key: string }) {
  return `/learn/${slug}/${item.kind.toLowerCase()}/${item.key}`;
}
