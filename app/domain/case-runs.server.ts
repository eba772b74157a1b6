import type { CaseFile } from "~/content/schema.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { afterCompletion, completeIfDone, markItemDone } from "./complete-course.server.ts";
import { requireOpenItem } from "./learner-course.server.ts";

export type CaseContent = Omit<CaseFile, "id" | "title">;
type PathStep = { node: string; choice: string };

/** The learner's latest run of a case (the open one, else the last finished one), or null. */
async function latestRun(enrolmentId: string, itemKey: string) {
  return db.caseRun.findFirst({ where: { enrolmentId, itemKey }, orderBy: { number: "desc" }, select: { id: true, number: true, path: true, currentNode: true, endedAt: true, outcome: true } });
}

/** The case as the learner sees it now: their run (started on first view) and the node they are at. */
export async function getCaseRun({ actor, slug, itemKey, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; clock?: Clock }) {
  const opened = await requireOpenItem({ actor, slug, itemKey, kind: "CASE" });
  const content = opened.item.content as CaseContent;
  let run = await latestRun(opened.enrolment.id, itemKey);
  if (!run) run = await startRun(opened.enrolment.id, itemKey, content, clock.now(), 1);
  return { ...opened, content, run: { ...run, path: run.path as PathStep[] } };
}

async function startRun(enrolmentId: string, itemKey: string, content: CaseContent, now: Date, number: number) {
  const [run] = await db.$transaction([
    db.caseRun.create({ data: { enrolmentId, itemKey, number, currentNode: content.start, startedAt: now }, select: { id: true, number: true, path: true, currentNode: true, endedAt: true, outcome: true } }),
    db.enrolment.update({ where: { id: enrolmentId }, data: { lastItemKey: itemKey } }),
    db.enrolment.updateMany({ where: { id: enrolmentId, startedAt: null }, data: { startedAt: now } }),
    db.itemProgress.upsert({ where: { enrolmentId_itemKey: { enrolmentId, itemKey } }, create: { enrolmentId, itemKey, startedAt: now }, update: {} }),
  ]);
  return run;
}

/** Plays the case again from the start (the earlier runs stay on record for trainers). */
export async function restartCase({ actor, slug, itemKey, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; clock?: Clock }) {
  const opened = await requireOpenItem({ actor, slug, itemKey, kind: "CASE" });
  const current = await latestRun(opened.enrolment.id, itemKey);
  if (current && !current.endedAt && (current.path as PathStep[]).length === 0) return current;
  try {
    return await startRun(opened.enrolment.id, itemKey, opened.item.content as CaseContent, clock.now(), (current?.number ?? 0) + 1);
  } catch (error) {
    // A double click on "play again": the other request already started the new run.
    if ((error as { code?: string }).code === "P2002") return (await latestRun(opened.enrolment.id, itemKey))!;
    throw error;
  }
}

/**
 * Takes a choice at the node the learner is at. `fromNode` is the node the page showed: a repeated
 * submit of the same choice (double click, retry) changes nothing; a choice from a stale page is
 * refused. Reaching a debrief ends the run; it completes the case unless the case requires the safe
 * outcome and this debrief is not it.
 */
export async function chooseCaseOption({ actor, slug, itemKey, fromNode, choiceId, clock = systemClock }: { actor: Actor; slug: string; itemKey: string; fromNode: string; choiceId: string; clock?: Clock }) {
  const { enrolment, item } = await requireOpenItem({ actor, slug, itemKey, kind: "CASE" });
  const content = item.content as CaseContent;
  const now = clock.now();
  const result = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`case:${enrolment.id}:${itemKey}`}))`;
    const run = await tx.caseRun.findFirst({ where: { enrolmentId: enrolment.id, itemKey }, orderBy: { number: "desc" }, select: { id: true, path: true, currentNode: true, endedAt: true } });
    if (!run) throw new DomainError("CONFLICT", "case.stale");
    const path = run.path as PathStep[];
    const last = path[path.length - 1];
    if (last && last.node === fromNode && last.choice === choiceId) return { runId: run.id, repeated: true };
    if (run.endedAt || run.currentNode !== fromNode) throw new DomainError("CONFLICT", "case.stale");
    const node = content.nodes.find((n) => n.id === fromNode);
    const choice = node?.choices.find((c) => c.id === choiceId);
    if (!node || !choice) throw new DomainError("INVALID", "case.unknownChoice");
    const next = content.nodes.find((n) => n.id === choice.next)!;
    const ended = next.debrief;
    await tx.caseRun.update({
      where: { id: run.id },
      data: { path: [...path, { node: fromNode, choice: choiceId }] as object, currentNode: next.id, endedAt: ended ? now : null, outcome: ended ? (next.outcome ?? null) : null },
    });
    let completedNow = false;
    if (ended && (!content.requireSafeOutcome || next.outcome === "safe")) {
      await markItemDone(tx, { enrolmentId: enrolment.id, itemKey, now });
      completedNow = (await completeIfDone(tx, { enrolmentId: enrolment.id, now })).completedNow;
    }
    return { runId: run.id, repeated: false, completedNow };
  });
  return afterCompletion(result, enrolment.id);
}
