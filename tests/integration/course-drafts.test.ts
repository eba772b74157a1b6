import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { exportCourseZip, importCourseZip } from "../../app/authoring/course-zip.server.ts";
import { addCourseEditor, listCourseEditors, removeCourseEditor } from "../../app/authoring/course-editors.server.ts";
import { createCourse } from "../../app/authoring/create-course.server.ts";
import { authorableCourses } from "../../app/domain/course-authoring-access.server.ts";
import { discardDraft, draftStatus, getDraftView, openDraft, publishDraft, saveDraftFiles } from "../../app/authoring/draft.server.ts";
import { changeStructure, draftOutline } from "../../app/authoring/structure.server.ts";
import { importCourse } from "../../app/content/import-course.server.ts";
import { loadCourse } from "../../app/content/load-course.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";

const clock = fixedClock("2027-05-03T09:00:00Z");
const BUNDLED = "courses/recognising-trafficking";
let admin: { id: string; isAdmin: boolean };

beforeAll(async () => {
  admin = { id: (await createUser({ isAdmin: true })).id, isAdmin: true };
});

function writeZip(files: Record<string, Uint8Array | string>) {
  const path = join(mkdtempSync(join(tmpdir(), "opora-course-zip-")), "course.zip");
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, typeof bytes === "string" ? Buffer.from(bytes) : bytes]))));
  return path;
}

function unzipToFolder(bytes: Uint8Array) {
  const root = mkdtempSync(join(tmpdir(), "opora-course-unzipped-"));
  for (const [name, content] of Object.entries(unzipSync(bytes))) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

/** What learners get from a course: everything but where its files were read from. */
function learnerView(course: NonNullable<Awaited<ReturnType<typeof loadCourse>>["course"]>) {
  const { dir: _dir, assets, ...rest } = course;
  return { ...rest, assets: assets.map((asset) => asset.path) };
}

describe("a course moves between files and the browser without loss", () => {
  it("round-trips the bundled course: files → version → zip → draft → files, byte for byte", async () => {
    const { course: fromFiles } = await loadCourse(BUNDLED);
    expect(fromFiles).not.toBeNull();
    await importCourse(fromFiles!, { force: true, clock });

    const exported = await exportCourseZip({ actor: admin, slug: "recognising-trafficking", from: "published" });
    const folder = join(unzipToFolder(exported.bytes), "recognising-trafficking");
    const { course: fromZip, problems } = await loadCourse(folder);
    expect(problems).toEqual([]);
    // Same bytes in every file: the hash over the folder is the same.
    expect(fromZip!.contentHash).toBe(fromFiles!.contentHash);
    expect(learnerView(fromZip!)).toEqual(learnerView(fromFiles!));

    // Into the browser: the draft holds exactly the course's files, and publishing it changes nothing.
    const zipPath = writeZip(Object.fromEntries(Object.entries(unzipSync(exported.bytes))));
    expect(await importCourseZip({ actor: admin, zipPath, organisationId: null, clock })).toMatchObject({ slug: "recognising-trafficking", created: false });
    const { files } = await openDraft({ actor: admin, slug: "recognising-trafficking", clock });
    expect(Object.fromEntries(files.map((f) => [f.path, f.text]))).toEqual(fromFiles!.sourceFiles);
    const versionsBefore = await db.courseVersion.count({ where: { course: { slug: "recognising-trafficking" } } });
    expect(await publishDraft({ actor: admin, slug: "recognising-trafficking", clock })).toMatchObject({ status: "unchanged" });
    expect(await db.courseVersion.count({ where: { course: { slug: "recognising-trafficking" } } })).toBe(versionsBefore);

    // And out again from the draft: the same files.
    const fromDraft = await exportCourseZip({ actor: admin, slug: "recognising-trafficking", from: "draft" });
    expect(unzipSync(fromDraft.bytes)).toEqual(unzipSync(exported.bytes));
  });

  it("keeps a course's images and captions through export and import", async () => {
    const loaded = await importFixtureCourse("draft-media");
    const exported = await exportCourseZip({ actor: admin, slug: "draft-media", from: "published" });
    const entries = unzipSync(exported.bytes);
    expect(Object.keys(entries).filter((name) => name.includes("/images/")).sort()).toEqual(["draft-media/01-basics/images/clip.mp4", "draft-media/01-basics/images/clip.vtt", "draft-media/01-basics/images/diagram.png"]);
    await importCourseZip({ actor: admin, zipPath: writeZip(entries), organisationId: null, clock });
    expect(await publishDraft({ actor: admin, slug: "draft-media", clock })).toMatchObject({ status: "unchanged" });
    const { course: again } = await loadCourse(join(unzipToFolder(exported.bytes), "draft-media"));
    expect(again!.contentHash).toBe(loaded.contentHash);
  });
});

describe("editing a draft and publishing it", () => {
  it("publishes a changed lesson as a new version; learners who started keep theirs", async () => {
    await importFixtureCourse("draft-edit");
    const learner = { id: (await createUser()).id, isAdmin: false };
    await enrol({ actor: learner, slug: "draft-edit", clock });

    const { files } = await openDraft({ actor: admin, slug: "draft-edit", clock });
    const lesson = files.find((f) => f.path === "01-basics/01-what-is-it.en.md")!;
    await saveDraftFiles({ actor: admin, slug: "draft-edit", changes: [{ path: lesson.path, expectedRevision: lesson.revision, text: `${lesson.text}\n\nA new closing paragraph.\n` }], clock });

    const status = await draftStatus({ actor: admin, slug: "draft-edit" });
    expect(status.problems).toEqual([]);
    expect(status.changes).toEqual([expect.objectContaining({ path: lesson.path, change: "changed", added: 3, removed: 0 })]);
    expect(status.changes[0].lines).toContainEqual({ kind: "added", text: "A new closing paragraph." });

    expect(await publishDraft({ actor: admin, slug: "draft-edit", clock })).toEqual({ status: "published", version: 2 });
    const enrolment = await db.enrolment.findFirstOrThrow({ where: { userId: learner.id }, select: { courseVersion: { select: { number: true } } } });
    expect(enrolment.courseVersion.number).toBe(1);
    const v2 = await db.contentItem.findFirstOrThrow({ where: { key: "what-is-it", courseVersion: { number: 2, course: { slug: "draft-edit" } } }, select: { content: true } });
    expect(JSON.stringify(v2.content)).toContain("A new closing paragraph.");
    expect((await draftStatus({ actor: admin, slug: "draft-edit" })).changes).toEqual([]);
    expect(await db.course.findUniqueOrThrow({ where: { slug: "draft-edit" }, select: { editedSinceImport: true } })).toEqual({ editedSinceImport: true });
    expect(await db.auditEvent.count({ where: { action: { in: ["course.draft.save", "course.publish"] }, actorId: admin.id } })).toBeGreaterThanOrEqual(2);
  });

  it("refuses to publish a draft with problems and says where they are", async () => {
    await importFixtureCourse("draft-broken");
    const { files } = await openDraft({ actor: admin, slug: "draft-broken", clock });
    const quiz = files.find((f) => f.path === "01-basics/quiz.yaml")!;
    await saveDraftFiles({ actor: admin, slug: "draft-broken", changes: [{ path: quiz.path, expectedRevision: quiz.revision, text: quiz.text!.replace(/draw: \d+/, "draw: 99") }], clock });
    const result = await publishDraft({ actor: admin, slug: "draft-broken", clock });
    expect(result.status).toBe("problems");
    expect(result.status === "problems" && result.problems[0]).toMatchObject({ file: "01-basics/quiz.yaml", message: expect.stringMatching(/draw/) });
    expect(await db.courseVersion.count({ where: { course: { slug: "draft-broken" } } })).toBe(1);
    // Discarding returns to the published files.
    await discardDraft({ actor: admin, slug: "draft-broken", clock });
    expect((await draftStatus({ actor: admin, slug: "draft-broken" })).problems).toEqual([]);
  });

  it("never lets two trainers silently overwrite each other's lesson", async () => {
    await importFixtureCourse("draft-conflict");
    const { organisation, people } = await createOrganisationWithMembers({ ana: ["TRAINER"], bor: ["TRAINER"] });
    await db.course.update({ where: { slug: "draft-conflict" }, data: { ownerOrganisationId: organisation.id } });
    const ana = { id: people.ana.id, isAdmin: false };
    const bor = { id: people.bor.id, isAdmin: false };
    const { files } = await openDraft({ actor: ana, slug: "draft-conflict", clock });
    const sl = files.find((f) => f.path === "01-basics/01-what-is-it.sl.md")!;
    const other = files.find((f) => f.path === "01-basics/02-signs.sl.md")!;

    await saveDraftFiles({ actor: ana, slug: "draft-conflict", changes: [{ path: sl.path, expectedRevision: sl.revision, text: `${sl.text}\nAna.\n` }], clock });
    const refused = saveDraftFiles({ actor: bor, slug: "draft-conflict", changes: [{ path: sl.path, expectedRevision: sl.revision, text: `${sl.text}\nBor.\n` }], clock });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT", messageKey: "authoring.draft.conflict" });
    await refused.catch((error) => expect(JSON.parse(error.detail)).toEqual({ path: sl.path, who: "ana", at: clock.now().toISOString() }));
    // Bor's edit of another lesson goes through; Ana's text is what the draft holds.
    await saveDraftFiles({ actor: bor, slug: "draft-conflict", changes: [{ path: other.path, expectedRevision: other.revision, text: `${other.text}\nBor.\n` }], clock });
    const after = await openDraft({ actor: bor, slug: "draft-conflict", clock });
    expect(after.files.find((f) => f.path === sl.path)?.text).toContain("Ana.");
    expect(after.files.find((f) => f.path === sl.path)?.text).not.toContain("Bor.");
    // A file someone else created in the meantime is a conflict too.
    await saveDraftFiles({ actor: ana, slug: "draft-conflict", changes: [{ path: "01-basics/notes.md", expectedRevision: 0, text: "x" }], clock });
    await expect(saveDraftFiles({ actor: bor, slug: "draft-conflict", changes: [{ path: "01-basics/notes.md", expectedRevision: 0, text: "y" }], clock })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("adds, moves, reorders and removes modules and items, and the draft stays valid", async () => {
    await importFixtureCourse("draft-structure");
    const slug = "draft-structure";
    const revisions = async () => (await getDraftView({ actor: admin, slug, paths: ["course.yaml", "01-basics/module.yaml"] })).revisions;
    const items = async () => (await draftOutline({ actor: admin, slug })).modules[0]!.items.map((i) => i.ref);
    const before = await items();
    let rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "add-item", folder: "01-basics", kind: "case", title: { sl: "Nov primer", en: "A new case" }, moduleRevision: rev["01-basics/module.yaml"]! }, clock });
    expect(await items()).toEqual([...before, "a-new-case.case.yaml"]);
    rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "move-item", folder: "01-basics", index: before.length, direction: "up", moduleRevision: rev["01-basics/module.yaml"]! }, clock });
    expect((await items()).at(-2)).toBe("a-new-case.case.yaml");
    // Dragging posts the whole order; an order made from a stale page is refused.
    rev = await revisions();
    const order = [before.length - 1, ...Array.from({ length: before.length - 1 }, (_, i) => i), before.length];
    await expect(changeStructure({ actor: admin, slug, change: { op: "reorder-items", folder: "01-basics", order: order.slice(1), moduleRevision: rev["01-basics/module.yaml"]! }, clock })).rejects.toMatchObject({ messageKey: "authoring.structure.staleOrder" });
    await changeStructure({ actor: admin, slug, change: { op: "reorder-items", folder: "01-basics", order, moduleRevision: rev["01-basics/module.yaml"]! }, clock });
    expect((await items())[0]).toBe("a-new-case.case.yaml");
    rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "remove-item", folder: "01-basics", index: 0, moduleRevision: rev["01-basics/module.yaml"]! }, clock });
    expect(await items()).toHaveLength(before.length);
    rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "add-module", title: { sl: "Dodatno", en: "Extra" }, courseRevision: rev["course.yaml"]! }, clock });
    const modules = (await draftOutline({ actor: admin, slug })).modules.map((m) => m.folder);
    expect(modules.at(-1)).toBe("03-extra");
    rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "reorder-modules", order: [...modules].reverse(), courseRevision: rev["course.yaml"]! }, clock });
    expect((await draftOutline({ actor: admin, slug })).modules[0]!.folder).toBe("03-extra");
    rev = await revisions();
    await changeStructure({ actor: admin, slug, change: { op: "remove-module", folder: "03-extra", courseRevision: rev["course.yaml"]! }, clock });
    const view = await getDraftView({ actor: admin, slug });
    expect(view.paths.some((p) => p.startsWith("03-extra/"))).toBe(false);
    expect(view.problems).toEqual([]);
  });

  it("refuses paths outside the course folder", async () => {
    await importFixtureCourse("draft-paths");
    for (const path of ["../x.md", "/etc/passwd", "01-basics/../../x", ".hidden", "a/b/c/d.md", "01-basics\\x.md"]) {
      await expect(saveDraftFiles({ actor: admin, slug: "draft-paths", changes: [{ path, expectedRevision: 0, text: "x" }], clock })).rejects.toMatchObject({ code: "INVALID", messageKey: "authoring.draft.badPath" });
    }
  });
});

describe("who may author", () => {
  it("lets an organisation's trainers change its courses, and nobody else", async () => {
    await importFixtureCourse("draft-owned");
    const { organisation, people } = await createOrganisationWithMembers({ trainer: ["TRAINER"], organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const other = await createOrganisationWithMembers({ trainer: ["TRAINER"] });
    await db.course.update({ where: { slug: "draft-owned" }, data: { ownerOrganisationId: organisation.id } });
    const as = (user: { id: string }) => ({ id: user.id, isAdmin: false });

    await expect(openDraft({ actor: as(people.trainer), slug: "draft-owned", clock })).resolves.toBeTruthy();
    for (const outsider of [people.organiser, people.learner, other.people.trainer]) {
      const actor = as(outsider);
      await expect(openDraft({ actor, slug: "draft-owned", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(saveDraftFiles({ actor, slug: "draft-owned", changes: [{ path: "course.yaml", expectedRevision: 1, text: "x" }], clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(publishDraft({ actor, slug: "draft-owned", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(exportCourseZip({ actor, slug: "draft-owned", from: "published" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    // The bundled, platform-wide course is for admins only.
    await expect(openDraft({ actor: as(people.trainer), slug: "draft-media", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Someone who cannot author anything is refused before the zip is even unpacked.
    await expect(importCourseZip({ actor: as(people.learner), zipPath: "/nonexistent.zip", organisationId: organisation.id, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A zip naming a course the trainer may not change is refused before anything is written.
    const exported = await exportCourseZip({ actor: admin, slug: "draft-owned", from: "published" });
    await expect(importCourseZip({ actor: as(other.people.trainer), zipPath: writeZip(unzipSync(exported.bytes)), organisationId: other.organisation.id, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets admins name trainers as editors of a platform-wide course, for as long as they are trainers", async () => {
    await importFixtureCourse("draft-platform");
    const { organisation, people } = await createOrganisationWithMembers({ trainer: ["TRAINER"], learner: ["LEARNER"] });
    const trainer = { id: people.trainer.id, isAdmin: false };
    await expect(openDraft({ actor: trainer, slug: "draft-platform", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Only admins name editors, and only trainers can be named.
    await expect(addCourseEditor({ actor: trainer, slug: "draft-platform", email: people.trainer.email, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addCourseEditor({ actor: admin, slug: "draft-platform", email: people.learner.email, clock })).rejects.toMatchObject({ messageKey: "editor.editors.notTrainer" });
    await addCourseEditor({ actor: admin, slug: "draft-platform", email: people.trainer.email.toUpperCase(), clock });
    expect(await listCourseEditors({ actor: admin, slug: "draft-platform" })).toEqual([expect.objectContaining({ id: trainer.id, isTrainer: true })]);
    await expect(openDraft({ actor: trainer, slug: "draft-platform", clock })).resolves.toBeTruthy();
    expect((await authorableCourses(trainer)).map((c) => c.slug)).toContain("draft-platform");
    // Leaving the hospital ends the right; removing them does too.
    await db.membership.updateMany({ where: { userId: trainer.id, organisationId: organisation.id }, data: { endedAt: clock.now() } });
    await expect(openDraft({ actor: trainer, slug: "draft-platform", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await db.membership.updateMany({ where: { userId: trainer.id, organisationId: organisation.id }, data: { endedAt: null } });
    await removeCourseEditor({ actor: admin, slug: "draft-platform", userId: trainer.id, clock });
    await expect(openDraft({ actor: trainer, slug: "draft-platform", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.auditEvent.count({ where: { action: { in: ["course.editor.add", "course.editor.remove"] }, subjectUserId: trainer.id } })).toBe(2);
  });

  it("lets a trainer create a course for their organisation; it publishes once its texts are written", async () => {
    const { organisation, people } = await createOrganisationWithMembers({ trainer: ["TRAINER"], learner: ["LEARNER"] });
    const trainer = { id: people.trainer.id, isAdmin: false };
    await expect(createCourse({ actor: { id: people.learner.id, isAdmin: false }, input: { slug: "new-course", title: { sl: "Nov", en: "New" }, organisationId: organisation.id }, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCourse({ actor: trainer, input: { slug: "new-course", title: { sl: "Nov", en: "New" }, organisationId: null }, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCourse({ actor: trainer, input: { slug: "Bad Slug", title: { sl: "Nov", en: "New" }, organisationId: organisation.id }, clock })).rejects.toMatchObject({ messageKey: "authoring.create.badSlug" });
    await createCourse({ actor: trainer, input: { slug: "new-course", title: { sl: "Nov tečaj", en: "New course" }, organisationId: organisation.id }, clock });
    await expect(createCourse({ actor: trainer, input: { slug: "new-course", title: { sl: "Nov", en: "New" }, organisationId: organisation.id }, clock })).rejects.toMatchObject({ messageKey: "authoring.create.slugTaken" });

    const status = await draftStatus({ actor: trainer, slug: "new-course" });
    expect(status.publishedVersion).toBe(0);
    expect(status.problems.map((p) => p.file)).toContain("01-introduction/01-first-lesson.en.md");
    expect((await publishDraft({ actor: trainer, slug: "new-course", clock })).status).toBe("problems");
    expect(await db.course.findUniqueOrThrow({ where: { slug: "new-course" }, select: { ownerOrganisationId: true, visibility: true } })).toEqual({ ownerOrganisationId: organisation.id, visibility: "OWNER_ONLY" });
  });
});

describe("importing a course zip", () => {
  it.each([
    ["not a zip", { raw: "just text" }, "scorm.package.not_zip"],
    ["no course.yaml", { files: { "x/readme.md": "hello" } }, "course.zip.no_course_file"],
    ["a path escaping the folder", { files: { "../course.yaml": "slug: x" } }, "scorm.package.unsafe_path"],
    ["a lesson that is not UTF-8", { files: { "c/course.yaml": "slug: c\n", "c/01-a/01-x.sl.md": new Uint8Array([0xff, 0xfe, 0x00, 0xc3]) } }, "authoring.zip.notUtf8"],
    ["an SVG posing as a PNG", { files: { "c/course.yaml": "slug: c\n", "c/01-a/images/x.png": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>" } }, null],
    ["a course with problems", { files: { "c/course.yaml": "slug: c\nlocales: [sl]\n" } }, "authoring.zip.problems"],
  ] as const)("refuses %s and changes nothing", async (_name, input, code) => {
    const path = "raw" in input ? join(mkdtempSync(join(tmpdir(), "opora-not-zip-")), "x.zip") : writeZip(input.files as Record<string, string | Uint8Array>);
    if ("raw" in input) writeFileSync(path, input.raw);
    const draftsBefore = await db.draftFile.count();
    const coursesBefore = await db.course.count();
    const error = await importCourseZip({ actor: admin, zipPath: path, organisationId: null, clock }).catch((e) => e);
    expect(error).toMatchObject({ code: "INVALID", ...(code && { messageKey: code }) });
    expect(await db.draftFile.count()).toBe(draftsBefore);
    expect(await db.course.count()).toBe(coursesBefore);
  });
});
