import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { importCourse } from "../../app/content/import-course.server.ts";
import { loadCourse, loadCourseTree } from "../../app/content/load-course.server.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { replaceIn } from "../support/courses.ts";
import { createUser } from "../support/factories.ts";

async function load(dir: string) {
  const { course, problems } = await loadCourse(dir);
  expect(problems).toEqual([]);
  return course!;
}

it("imports a course folder once, a new version only when files change, and keeps learners on their version", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "opora-import-")), "valid-minimal");
  cpSync(new URL("../fixtures/courses/valid-minimal", import.meta.url).pathname, dir, { recursive: true });

  expect(await importCourse(await load(dir))).toEqual({ slug: "valid-minimal", status: "created", version: 1 });
  expect(await importCourse(await load(dir))).toEqual({ slug: "valid-minimal", status: "unchanged", version: 1 });
  expect(await db.courseVersion.count({ where: { course: { slug: "valid-minimal" } } })).toBe(1);
  // The lesson's image, video and captions are stored by content hash for the version.
  const firstVersion = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: "valid-minimal" } }, select: { id: true } });
  expect((await db.courseAsset.findMany({ where: { courseVersionId: firstVersion.id }, select: { path: true } })).map((a) => a.path).sort()).toEqual(["01-basics/images/clip.mp4", "01-basics/images/clip.vtt", "01-basics/images/diagram.png"]);

  const learner = await createUser();
  const enrolment = await enrol({ actor: learner, slug: "valid-minimal" });

  replaceIn(join(dir, "01-basics/01-what-is-it.en.md"), "title:", "title: Revised —");
  expect(await importCourse(await load(dir))).toEqual({ slug: "valid-minimal", status: "new-version", version: 2 });
  const versions = await db.courseVersion.findMany({ where: { course: { slug: "valid-minimal" } }, orderBy: { number: "asc" }, select: { id: true, _count: { select: { items: true, modules: true } } } });
  expect(versions.map((v) => v._count)).toEqual([{ items: 5, modules: 2 }, { items: 5, modules: 2 }]);
  expect((await db.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).courseVersionId).toBe(versions[0].id);

  // A course published from the browser since: the file import warns and changes nothing unless forced.
  await db.course.update({ where: { slug: "valid-minimal" }, data: { editedSinceImport: true } });
  replaceIn(join(dir, "01-basics/01-what-is-it.en.md"), "title: Revised —", "title: Revised again —");
  expect(await importCourse(await load(dir))).toEqual({ slug: "valid-minimal", status: "skipped-edited", version: 2 });
  expect(await importCourse(await load(dir), { force: true })).toEqual({ slug: "valid-minimal", status: "new-version", version: 3 });
});

it("imports the bundled curriculum with every module, lesson, quiz and case in both languages", async () => {
  const tree = await loadCourseTree("courses");
  expect(tree.problems).toEqual([]);
  const course = tree.courses.find((c) => c.slug === "recognising-trafficking")!;
  await importCourse(course);
  const version = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: "recognising-trafficking" } }, include: { modules: { include: { items: true } } } });
  expect(version.modules.length).toBeGreaterThanOrEqual(6);
  for (const module of version.modules) {
    expect(module.title).toMatchObject({ sl: expect.any(String), en: expect.any(String) });
    for (const item of module.items) expect(item.title).toMatchObject({ sl: expect.any(String), en: expect.any(String) });
  }
  const kinds = version.modules.flatMap((m) => m.items.map((i) => i.kind));
  expect(kinds.filter((k) => k === "CASE").length).toBeGreaterThanOrEqual(3);
  expect((version.meta as { validityMonths: number; passMark: number }).validityMonths).toBe(24);
  expect((version.meta as { passMark: number }).passMark).toBe(80);
  // The source files are kept once, in their own column: pages that read the title do not load them.
  expect(Object.keys(version.sourceFiles as object)).toContain("course.yaml");
  expect(version.meta).not.toHaveProperty("sourceFiles");
  expect(JSON.stringify(version.meta).length).toBeLessThan(30_000);
});
