import { beforeAll, describe, expect, it } from "vitest";
import { getDraftView, publishDraft } from "../../app/authoring/draft.server.ts";
import { changeQuiz, getQuizEditor } from "../../app/authoring/quiz-editor.server.ts";
import type { QuestionDraft } from "../../app/authoring/quiz-form.ts";
import { readYaml } from "../../app/authoring/yaml-edit.ts";
import { QuizFileSchema } from "../../app/content/schema.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";

const clock = fixedClock("2027-06-01T08:00:00Z");
const QUIZ = "01-basics/quiz.yaml";
let admin: { id: string; isAdmin: boolean };

beforeAll(async () => {
  admin = { id: (await createUser({ isAdmin: true, name: "Admin" })).id, isAdmin: true };
});

type ActionResult = Response | { data: { error: { key: string; detail: string; field: string } }; init: { status: number } } | { saved: true; revision: number; questionId?: string };

/** Posts a form to the quiz page's route action as the signed-in user. */
async function post(userId: string, slug: string, fields: Record<string, string>) {
  const { action } = await import("../../app/routes/author/quiz.tsx");
  const cookie = (await createSessionCookie(new Request("http://opora.test/"), userId)).split(";")[0];
  const url = `http://opora.test/author/courses/${slug}/modules/01-basics/quizzes/quiz.yaml`;
  const request = new Request(url, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams(fields) });
  return (await action({ request, params: { slug, folder: "01-basics", file: "quiz.yaml" }, context: {} } as never)) as unknown as ActionResult;
}

async function editor(slug: string, questionId: string | null = null, actor = admin) {
  return getQuizEditor({ actor, slug, folder: "01-basics", file: "quiz.yaml", questionId });
}

async function openQuestion(slug: string, id: string) {
  const page = await editor(slug, id);
  if (!page.selected?.question) throw new Error(`question ${id} not found`);
  return { question: page.selected.question, revision: page.revision };
}

/** The fields of a question form for sl and en, as the editor's page sends them. */
function texts(prefix: string, sl: string, en: string) {
  return { [`${prefix}.sl`]: sl, [`${prefix}.en`]: en };
}

function saved(result: ActionResult) {
  if (result instanceof Response || "data" in result) throw new Error(`not saved: ${JSON.stringify(result instanceof Response ? result.status : result.data)}`);
  return result;
}

describe("editing a quiz's question pool", () => {
  it("adds, fills, edits, reorders and removes questions of all six kinds; the draft passes the checker and publishes", async () => {
    await importFixtureCourse("quiz-pool");
    const before = await editor("quiz-pool");
    expect(before.problems).toEqual([]);
    expect(before.questions.map((q) => q.kind)).toEqual(["single", "multiple", "true_false", "matching", "ordering", "short_answer"]);

    // Add one question of each kind through the page's form: each opens on its own page.
    const added: Record<string, string> = {};
    for (const kind of ["single", "multiple", "true_false", "matching", "ordering", "short_answer"]) {
      const { revision } = await editor("quiz-pool");
      const response = await post(admin.id, "quiz-pool", { intent: "add-question", kind, outcome: "recognise-indicators", revision: String(revision) });
      expect(response).toBeInstanceOf(Response);
      const location = (response as Response).headers.get("Location")!;
      expect(location).toMatch(/\/author\/courses\/quiz-pool\/modules\/01-basics\/quizzes\/quiz\.yaml\?question=question-\d+$/);
      added[kind] = decodeURIComponent(location.split("question=")[1]);
    }
    expect(new Set(Object.values(added)).size).toBe(6);
    // A new question is a draft with empty texts: the checker and the editor's own checks say so.
    const withNew = await editor("quiz-pool");
    expect(withNew.problems).toEqual([]);
    expect(withNew.problemsInQuestions).toBeGreaterThan(0);
    expect((await editor("quiz-pool")).questions.slice(6).every((q) => q.problems > 0)).toBe(true);
    // With one question open, the page lists the checker's problems of that question only.
    const openProblems = (await editor("quiz-pool", added.matching)).problems;
    expect(openProblems.length).toBeGreaterThan(0);
    expect(openProblems.every((problem) => problem.message.includes(`question "${added.matching}"`))).toBe(true);

    // Single choice: two of the three starting options filled, the third removed, one added.
    let open = await openQuestion("quiz-pool", added.single);
    const [first, second] = open.question.options;
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.single,
        outcome: "define-trafficking",
        ...texts("prompt", "Kdo je lahko žrtev?", "Who can be a victim?"),
        ...texts("explanation", "Kdorkoli.", "Anyone."),
        "options.0.id": first.id,
        ...texts("options.0.text", "Samo tujci", "Only foreigners"),
        ...texts("options.0.feedback", "Ne.", "No."),
        "options.1.id": second.id,
        ...texts("options.1.text", "Kdorkoli", "Anyone"),
        ...texts("options.1.feedback", "", ""),
        "options.2.id": "",
        ...texts("options.2.text", "Samo ženske", "Only women"),
        ...texts("options.2.feedback", "", ""),
        correct: "1",
      }),
    );
    open = await openQuestion("quiz-pool", added.single);
    expect(open.question.options.map((o) => [o.id, o.correct])).toEqual([
      [first.id, false],
      [second.id, true],
      ["only-women", false],
    ]);

    // Editing the new option's text later keeps its id: learners' answers refer to it.
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.single,
        outcome: "define-trafficking",
        ...texts("prompt", "Kdo je lahko žrtev?", "Who can be a victim?"),
        ...texts("explanation", "Kdorkoli.", "Anyone."),
        ...Object.fromEntries(open.question.options.flatMap((option, index) => [[`options.${index}.id`, option.id], ...Object.entries(texts(`options.${index}.text`, option.text.sl!, index === 2 ? "Women only" : option.text.en!))])),
        correct: "1",
      }),
    );
    open = await openQuestion("quiz-pool", added.single);
    expect(open.question.options.map((o) => o.id)).toEqual([first.id, second.id, "only-women"]);
    expect(open.question.options[2].text.en).toBe("Women only");

    // Multiple choice: two correct options.
    open = await openQuestion("quiz-pool", added.multiple);
    const [m1, m2, m3] = open.question.options;
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.multiple,
        outcome: "recognise-indicators",
        ...texts("prompt", "Kateri so opozorilni znaki?", "Which are warning signs?"),
        ...texts("explanation", "Nadzor in odvisnost.", "Control and dependency."),
        "options.0.id": m1.id,
        ...texts("options.0.text", "Spremljevalec odgovarja namesto pacienta", "A companion answers for the patient"),
        "options.0.correct": "on",
        "options.1.id": m2.id,
        ...texts("options.1.text", "Nima svojih dokumentov", "Does not hold their own documents"),
        "options.1.correct": "on",
        "options.2.id": m3.id,
        ...texts("options.2.text", "Pride s prijateljico", "Comes with a friend"),
      }),
    );

    // True/false with feedback for one answer.
    open = await openQuestion("quiz-pool", added.true_false);
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.true_false,
        outcome: "define-trafficking",
        ...texts("prompt", "Žrtev mora prečkati mejo.", "A victim must have crossed a border."),
        ...texts("explanation", "Ne, trgovina je lahko tudi notranja.", "No: trafficking can be internal."),
        answer: "false",
        ...texts("feedback.true", "", ""),
        ...texts("feedback.false", "Tako je.", "Right."),
      }),
    );

    // Matching: the three starting pairs, one removed.
    open = await openQuestion("quiz-pool", added.matching);
    const [p1, p2] = open.question.pairs;
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.matching,
        outcome: "define-trafficking",
        ...texts("prompt", "Poveži obliko z okoljem.", "Match the form with the setting."),
        ...texts("explanation", "Primeri.", "Examples."),
        "pairs.0.id": p1.id,
        ...texts("pairs.0.left", "Prisilno delo", "Forced labour"),
        ...texts("pairs.0.right", "Kmetija", "Farm"),
        "pairs.1.id": p2.id,
        ...texts("pairs.1.left", "Prisilno beračenje", "Forced begging"),
        ...texts("pairs.1.right", "Ulica", "Street"),
      }),
    );

    // Ordering: three items, written in order, then the last moved to the top.
    open = await openQuestion("quiz-pool", added.ordering);
    const [o1, o2, o3] = open.question.items;
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.ordering,
        outcome: "recognise-indicators",
        ...texts("prompt", "Razvrsti korake.", "Put the steps in order."),
        ...texts("explanation", "Najprej varnost.", "Safety first."),
        "items.0.id": o3.id,
        ...texts("items.0.text", "Zagotovi varnost", "Make sure everyone is safe"),
        "items.1.id": o1.id,
        ...texts("items.1.text", "Govori s pacientom na samem", "Speak with the patient alone"),
        "items.2.id": o2.id,
        ...texts("items.2.text", "Ponudi napotitev", "Offer a referral"),
      }),
    );
    expect((await openQuestion("quiz-pool", added.ordering)).question.items.map((item) => item.id)).toEqual([o3.id, o1.id, o2.id]);

    // Short answer with accepted answers per language.
    open = await openQuestion("quiz-pool", added.short_answer);
    saved(
      await post(admin.id, "quiz-pool", {
        intent: "save-question",
        revision: String(open.revision),
        question: added.short_answer,
        outcome: "recognise-indicators",
        ...texts("prompt", "Številka policije?", "The police number?"),
        ...texts("explanation", "113.", "113."),
        "accept.sl": "113\n  \n113 ",
        "accept.en": "113",
        ignoreDiacritics: "on",
      }),
    );

    // Reorder and remove in the pool.
    let page = await editor("quiz-pool");
    saved(await post(admin.id, "quiz-pool", { intent: "move-up", question: added.single, revision: String(page.revision) }));
    page = await editor("quiz-pool");
    saved(await post(admin.id, "quiz-pool", { intent: "move-down", question: "three-elements", revision: String(page.revision) }));
    page = await editor("quiz-pool");
    const removed = await post(admin.id, "quiz-pool", { intent: "remove-question", question: "match-forms", revision: String(page.revision), from: "question" });
    expect((removed as Response).headers.get("Location")).toBe("/author/courses/quiz-pool/modules/01-basics/quizzes/quiz.yaml");

    page = await editor("quiz-pool");
    expect(page.questions.map((q) => q.id)).toEqual(["indicators-multi", "three-elements", "consent-irrelevant", "order-steps", added.single, "emergency-number", added.multiple, added.true_false, added.matching, added.ordering, added.short_answer]);
    expect(page.questions.map((q) => q.problems)).toEqual(Array(11).fill(0));

    // The whole draft passes the course checker, and the file is a quiz learners can take.
    const view = await getDraftView({ actor: admin, slug: "quiz-pool", paths: [QUIZ] });
    expect(view.problems).toEqual([]);
    const quiz = QuizFileSchema.parse(readYaml(view.files[QUIZ]!.text!));
    expect(quiz.questions.find((q) => q.id === added.short_answer)).toMatchObject({ accept: { sl: ["113"], en: ["113"] }, ignoreDiacritics: true });
    expect(quiz.questions.find((q) => q.id === added.true_false)).toMatchObject({ answer: false, feedback: { false: { en: "Right." } } });
    expect(quiz.questions.find((q) => q.id === added.true_false)).not.toHaveProperty("feedback.true");
    // The course's own comment lines and untouched questions are as they were.
    expect(view.files[QUIZ]!.text).toContain("  - id: consent-irrelevant\n    kind: true_false\n    outcome: define-trafficking\n    prompt: { sl: Privolitev ni pomembna., en: Consent is irrelevant. }\n");

    expect(await publishDraft({ actor: admin, slug: "quiz-pool", clock })).toMatchObject({ status: "published", version: 2 });
    const item = await db.contentItem.findFirstOrThrow({ where: { kind: "QUIZ", courseVersion: { number: 2, course: { slug: "quiz-pool" } } }, select: { content: true } });
    for (const id of Object.values(added)) expect(JSON.stringify(item.content)).toContain(`"${id}"`);
  });

  it("saves settings, and answers an out-of-range number with the field to correct", async () => {
    await importFixtureCourse("quiz-settings");
    const { revision } = await editor("quiz-settings");
    const fields = { intent: "settings", ...texts("title", "Osnove", "Basics"), draw: "4", passMark: "", attempts: "2", cooldownMinutes: "10", timeLimitMinutes: "", review: "after-pass", shuffle: "on" };
    const refused = await post(admin.id, "quiz-settings", { ...fields, passMark: "120", revision: String(revision) });
    expect(refused).toMatchObject({ init: { status: 400 }, data: { error: { key: "editor.quiz.invalidField", field: "passMark" } } });
    saved(await post(admin.id, "quiz-settings", { ...fields, revision: String(revision) }));
    const page = await editor("quiz-settings");
    expect(page.settings).toEqual({ id: "basics-quiz", title: { sl: "Osnove", en: "Basics" }, draw: 4, passMark: null, attempts: 2, cooldownMinutes: 10, timeLimitMinutes: null, shuffle: true, review: "after-pass", drawPerOutcome: false });
    expect(page.problems).toEqual([]);

    // A draw larger than the pool is saved (it is a draft) and reported by the checker.
    saved(await post(admin.id, "quiz-settings", { ...fields, draw: "9", revision: String(page.revision) }));
    expect((await editor("quiz-settings")).problems).toEqual([expect.objectContaining({ file: QUIZ, message: expect.stringMatching(/pool has 6 questions but draw is 9/) })]);
  });
});

describe("saving against the revision the page showed", () => {
  it("refuses a stale revision, says who saved first and keeps their version", async () => {
    await importFixtureCourse("quiz-conflict");
    const { organisation, people } = await createOrganisationWithMembers({ ana: ["TRAINER"], bor: ["TRAINER"] });
    await db.course.update({ where: { slug: "quiz-conflict" }, data: { ownerOrganisationId: organisation.id } });
    const ana = { id: people.ana.id, isAdmin: false };
    const bor = { id: people.bor.id, isAdmin: false };
    const shown = await editor("quiz-conflict", "order-steps", bor);
    const ref = { slug: "quiz-conflict", folder: "01-basics", file: "quiz.yaml", clock };

    await changeQuiz({ ...ref, actor: ana, revision: shown.revision, change: { op: "move-question", questionId: "order-steps", direction: "up" } });
    const question: QuestionDraft = { ...shown.selected!.question!, prompt: { sl: "Borovo", en: "Bor's" } };
    const stale = changeQuiz({ ...ref, actor: bor, revision: shown.revision, change: { op: "save-question", question } });
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT", messageKey: "authoring.draft.conflict" });
    await stale.catch((error) => expect(JSON.parse(error.detail)).toEqual({ path: QUIZ, who: "ana", at: clock.now().toISOString() }));

    const refused = await post(bor.id, "quiz-conflict", { intent: "remove-question", question: "three-elements", revision: String(shown.revision) });
    expect(refused).toMatchObject({ init: { status: 409 }, data: { error: { key: "authoring.draft.conflict" } } });
    const after = await editor("quiz-conflict", null, bor);
    expect(after.questions.map((q) => q.id)).toEqual(["three-elements", "indicators-multi", "consent-irrelevant", "order-steps", "match-forms", "emergency-number"]);
    expect(JSON.stringify(after.questions)).not.toContain("Bor's");
  });
});

describe("who may edit a quiz", () => {
  it("lets the owning organisation's trainer in and refuses a learner and another organisation's trainer", async () => {
    await importFixtureCourse("quiz-owned");
    const { organisation, people } = await createOrganisationWithMembers({ trainer: ["TRAINER"], learner: ["LEARNER"] });
    const other = await createOrganisationWithMembers({ trainer: ["TRAINER"] });
    await db.course.update({ where: { slug: "quiz-owned" }, data: { ownerOrganisationId: organisation.id } });
    const as = (user: { id: string }) => ({ id: user.id, isAdmin: false });

    const page = await editor("quiz-owned", null, as(people.trainer));
    expect(page.questions).toHaveLength(6);
    const change = { op: "move-question", questionId: "order-steps", direction: "up" } as const;
    for (const outsider of [people.learner, other.people.trainer]) {
      await expect(editor("quiz-owned", null, as(outsider))).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(changeQuiz({ actor: as(outsider), slug: "quiz-owned", folder: "01-basics", file: "quiz.yaml", revision: page.revision, change, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await post(outsider.id, "quiz-owned", { intent: "move-up", question: "order-steps", revision: String(page.revision) })).toMatchObject({ init: { status: 403 } });
    }
    expect((await editor("quiz-owned", null, as(people.trainer))).revision).toBe(page.revision);
    // A path that is not a quiz file of the course is not found, whoever asks.
    await expect(getQuizEditor({ actor: admin, slug: "quiz-owned", folder: "01-basics", file: "module.yaml" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getQuizEditor({ actor: admin, slug: "quiz-owned", folder: "..", file: "quiz.yaml" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
