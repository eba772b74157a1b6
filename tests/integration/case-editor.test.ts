import { beforeAll, describe, expect, it } from "vitest";
import { getCaseEditor, saveCase } from "../../app/authoring/case-editor.server.ts";
import { addChoice, addNode, type CaseForm, removeNode, updateNode } from "../../app/authoring/case-form.ts";
import { analyseCase } from "../../app/authoring/case-paths.ts";
import { getDraftView } from "../../app/authoring/draft.server.ts";
import { readYaml } from "../../app/authoring/yaml-edit.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";
import { caseFormData } from "../support/case-form-data.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";

const clock = fixedClock("2027-06-01T08:00:00Z");
const SLUG = "case-editor";
const PATH = "01-basics/waiting-room.case.yaml";
const params = { slug: SLUG, folder: "01-basics", file: "waiting-room.case.yaml" };
const URL_PATH = `/author/courses/${SLUG}/modules/01-basics/cases/waiting-room.case.yaml`;
const LOCALES = ["sl", "en"] as const;

type Person = { id: string; isAdmin: boolean };
let ana: Person;
let bor: Person;
let learner: Person;
let outsider: Person;

beforeAll(async () => {
  await importFixtureCourse(SLUG);
  const { organisation, people } = await createOrganisationWithMembers({ ana: ["TRAINER"], bor: ["TRAINER"], learner: ["LEARNER"] });
  const other = await createOrganisationWithMembers({ trainer: ["TRAINER"] });
  await db.course.update({ where: { slug: SLUG }, data: { ownerOrganisationId: organisation.id } });
  const as = (user: { id: string }) => ({ id: user.id, isAdmin: false });
  ana = as(people.ana);
  bor = as(people.bor);
  learner = as(people.learner);
  outsider = as(other.people.trainer);
});

async function request(userId: string, body?: FormData) {
  const cookie = await createSessionCookie(new Request("http://opora.test/"), userId);
  return new Request(`http://opora.test${URL_PATH}`, { method: body ? "POST" : "GET", headers: { Cookie: cookie.split(";")[0] as string }, body });
}

async function route() {
  const module = await import("../../app/routes/author/case.tsx");
  return {
    load: async (userId: string) => (await module.loader({ request: await request(userId), params, context: {} } as never)) as Awaited<ReturnType<typeof getCaseEditor>>,
    post: async (userId: string, form: CaseForm, revision: number) =>
      (await module.action({ request: await request(userId, caseFormData(form, LOCALES, { revision: String(revision) })), params, context: {} } as never)) as unknown as {
        saved?: true;
        revision?: number;
        init?: { status: number };
        data?: { error: { key: string; detail: string } };
      },
  };
}

const text = (sl: string, en: string) => ({ sl, en });

describe("the branching case editor", () => {
  it("builds a case with two paths through the page's action; the draft then has no problems in it", async () => {
    const { load, post } = await route();
    const page = await load(ana.id);
    expect(page.form?.nodes.map((node) => node.id)).toEqual(["arrival", "alone", "debrief-safe", "debrief-poor"]);

    // From the start node alone: one path through a conversation in private to a safe debrief, one
    // straight to a poor one.
    let form = updateNode(page.form!, "arrival", (node) => ({ ...node, text: text("Pacientka pride s spremljevalcem.", "A patient arrives with a companion."), choices: [] }));
    for (const id of ["alone", "debrief-safe", "debrief-poor"]) {
      const removed = removeNode(form, id);
      if (!("form" in removed)) throw new Error(`${id} has no choices leading to it any more`);
      form = removed.form;
    }
    const private_ = addNode(form, "situation", page.usedIds, LOCALES);
    const safe = addNode(private_.form, "debrief", page.usedIds, LOCALES);
    const poor = addNode(safe.form, "debrief", page.usedIds, LOCALES);
    const toPrivate = addChoice(poor.form, "arrival", page.usedIds, LOCALES);
    const toPoor = addChoice(toPrivate.form, "arrival", page.usedIds, LOCALES);
    form = toPoor.form;
    form = updateNode(form, "arrival", (node) => ({
      ...node,
      choices: [
        { id: toPrivate.id, text: text("Pacientko pregledam sama.", "I examine the patient alone."), consequence: text("Spremljevalec počaka zunaj.", "The companion waits outside."), next: private_.id },
        { id: toPoor.id, text: text("Vprašam spremljevalca.", "I ask the companion."), consequence: text("Odgovori namesto nje.", "He answers for her."), next: poor.id },
      ],
    }));
    form = updateNode(form, private_.id, (node) => ({
      ...node,
      text: text("Sami sta.", "You are alone."),
      choices: node.choices.map((choice) => ({ ...choice, text: text("Vprašam, ali je varna.", "I ask whether she is safe."), consequence: text("Pove več.", "She tells you more."), next: safe.id })),
    }));
    form = updateNode(form, safe.id, (node) => ({ ...node, outcome: "safe", text: text("Dobro.", "Well done."), indicators: [text("Spremljevalec govori zanjo", "The companion speaks for her")] }));
    form = updateNode(form, poor.id, (node) => ({ ...node, outcome: "poor", text: text("Premislite znova.", "Think again."), betterChoices: text("Pacientko pregledajte samo.", "See the patient alone.") }));
    expect(analyseCase(form)).toMatchObject({ allPathsEnd: true, unreachable: [], missing: [], deadEnds: [], noSafeEnding: false });

    expect(await post(ana.id, form, page.revision)).toEqual({ saved: true, revision: page.revision + 1 });
    const view = await getDraftView({ actor: ana, slug: SLUG, paths: [PATH] });
    expect(view.problems.filter((problem) => problem.file === PATH)).toEqual([]);
    expect(view.problems).toEqual([]);
    const saved = readYaml(view.files[PATH]?.text ?? "") as { id: string; start: string; nodes: Array<{ id: string; choices?: Array<{ id: string; next: string }> }> };
    expect(saved).toMatchObject({ id: "waiting-room", start: "arrival" });
    expect(saved.nodes.map((node) => node.id)).toEqual(["arrival", private_.id, safe.id, poor.id]);
    expect(saved.nodes[0]?.choices).toEqual([expect.objectContaining({ id: toPrivate.id, next: private_.id }), expect.objectContaining({ id: toPoor.id, next: poor.id })]);

    // Opened again, the page shows the two paths.
    const again = await load(ana.id);
    expect(again.revision).toBe(page.revision + 1);
    expect(again.problems).toEqual([]);
    expect(analyseCase(again.form!).outline).toMatchObject({
      node: "arrival",
      choices: [{ step: { node: private_.id, choices: [{ step: { kind: "debrief", node: safe.id, outcome: "safe" } }] } }, { step: { kind: "debrief", node: poor.id, outcome: "poor" } }],
    });
  });

  it("refuses a save from a stale revision and says who saved first; the file keeps their change", async () => {
    const { load, post } = await route();
    const page = await load(ana.id);
    const form = page.form!;
    await saveCase({ actor: ana, ...params, revision: page.revision, form: { ...form, title: text("Čakalnica (Ana)", "Waiting room (Ana)") }, clock });

    const refused = await post(bor.id, { ...form, title: text("Čakalnica (Bor)", "Waiting room (Bor)") }, page.revision);
    expect(refused.init?.status).toBe(409);
    expect(refused.data?.error.key).toBe("authoring.draft.conflict");
    expect(JSON.parse(refused.data?.error.detail ?? "{}")).toEqual({ path: PATH, who: "ana", at: clock.now().toISOString() });
    const view = await getDraftView({ actor: bor, slug: SLUG, paths: [PATH] });
    expect(view.files[PATH]?.text).toContain("Waiting room (Ana)");
    expect(view.files[PATH]?.text).not.toContain("Bor");
    expect(view.files[PATH]?.revision).toBe(page.revision + 1);
  });

  it("refuses learners and another organisation's trainers", async () => {
    const { load, post } = await route();
    const page = await load(ana.id);
    for (const person of [learner, outsider]) {
      await expect(getCaseEditor({ actor: person, ...params })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(saveCase({ actor: person, ...params, revision: page.revision, form: page.form, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(load(person.id)).rejects.toMatchObject({ init: { status: 403 } });
      expect((await post(person.id, page.form!, page.revision)).init?.status).toBe(403);
    }
    expect((await getDraftView({ actor: ana, slug: SLUG, paths: [PATH] })).files[PATH]?.revision).toBe(page.revision);
  });

  it("answers 404 for a file that is not a case of the draft", async () => {
    for (const file of ["quiz.yaml", "missing.case.yaml", "..%2Fcourse.yaml"]) {
      await expect(getCaseEditor({ actor: ana, slug: SLUG, folder: "01-basics", file })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });
});
