import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { fixtureCourseCopy } from "../../tests/support/fixture-course.ts";
import { loadCourse, loadCourseTree } from "./load-course.server";
import type { LessonItem, QuizItem } from "./types";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fixtureCourseCopy("opora-load-course-");
const edit = fixture.edit;
const report = fixture.report;

describe("a valid course", () => {
  test("loads with no problems into the importer's shape", async () => {
    const { course, problems } = await loadCourse(fixture.courseDir);
    expect(problems).toEqual([]);
    if (!course) throw new Error("expected a course");

    expect(course).toMatchObject({
      slug: "valid-minimal",
      locales: ["sl", "en"],
      title: { sl: "Osnove prepoznavanja", en: "Recognition basics" },
      estimatedMinutes: 30,
      passMark: 80,
      prerequisites: [],
      dir: fixture.courseDir,
    });
    expect(course.outcomes.map((outcome) => outcome.id)).toEqual(["define-trafficking", "recognise-indicators"]);
    expect(course.referrals[0]).toMatchObject({ id: "emergency", phone: "112", example: false });
    expect(course).not.toHaveProperty("recertification");

    expect(
      course.modules.map(({ folder, id, position, kind, isRecertification, summary }) => ({
        folder,
        id,
        position,
        kind,
        isRecertification,
        summary,
      })),
    ).toEqual([
      {
        folder: "01-basics",
        id: "basics",
        position: 1,
        kind: "LESSONS",
        isRecertification: false,
        summary: { sl: "Kaj je trgovina z ljudmi.", en: "What trafficking is." },
      },
      { folder: "02-refresher", id: "refresher", position: 2, kind: "LESSONS", isRecertification: true, summary: null },
    ]);

    const basics = course.modules[0];
    if (!basics) throw new Error("expected a first module");
    expect(basics.items.map(({ type, position, required, file }) => ({ type, position, required, file }))).toEqual([
      { type: "lesson", position: 1, required: true, file: "01-what-is-it" },
      { type: "lesson", position: 2, required: true, file: "02-signs" },
      { type: "case", position: 3, required: true, file: "waiting-room.case.yaml" },
      { type: "quiz", position: 4, required: false, file: "quiz.yaml" },
    ]);

    const lesson = (basics.items[0] as LessonItem).lesson;
    expect(lesson).toMatchObject({
      id: "what-is-it",
      title: { sl: "Kaj je trgovina z ljudmi", en: "What trafficking is" },
      minutes: 5,
      images: ["01-basics/images/clip.mp4", "01-basics/images/diagram.png"],
    });
    expect(lesson.body.sl).toBe(
      "## Trije elementi\n\nDejanje, sredstvo in namen.\n\n![Diagram treh elementov](images/diagram.png)",
    );
    expect(lesson.sources.en).toEqual([
      {
        title: "Council of Europe Convention on Action against Trafficking in Human Beings (CETS No. 197), Art. 4",
        url: "https://rm.coe.int/168008371d",
      },
    ]);
    expect(lesson.sources.sl?.[0]?.title).toBe("Kazenski zakonik (KZ-1), 113. člen");

    const quiz = (basics.items[3] as QuizItem).quiz;
    expect(quiz.questions.map((question) => question.kind)).toEqual([
      "single",
      "multiple",
      "true_false",
      "matching",
      "ordering",
      "short_answer",
    ]);
    const single = quiz.questions[0];
    // Defaults are applied, so the importer never sees a missing `correct`.
    expect(single?.kind === "single" && single.options.map((option) => option.correct)).toEqual([true, false]);

    expect(course.assets).toEqual(
      ["clip.mp4", "clip.vtt", "diagram.png"].map((name) => ({
        path: `01-basics/images/${name}`,
        absolutePath: path.join(fixture.courseDir, "01-basics", "images", name),
      })),
    );
    for (const asset of course.assets) expect("absolutePath" in asset && existsSync(asset.absolutePath)).toBe(true);
  });

  test("contentHash is stable and changes with any byte of any file", async () => {
    const first = (await loadCourse(fixture.courseDir)).course?.contentHash;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadCourse(fixture.courseDir)).course?.contentHash).toBe(first);
    // A copy elsewhere hashes the same: only relative paths go into the hash.
    const copy = path.join(fixture.root, "copy", "valid-minimal");
    await cp(fixture.courseDir, copy, { recursive: true });
    expect((await loadCourse(copy)).course?.contentHash).toBe(first);

    await writeFile(path.join(fixture.courseDir, "01-basics/images/diagram.png"), "changed");
    const changed = (await loadCourse(fixture.courseDir)).course?.contentHash;
    expect(changed).toMatch(/^[0-9a-f]{64}$/);
    expect(changed).not.toBe(first);
  });

  test("problem paths start with the directory as passed, so a relative path stays relative", async () => {
    await edit("course.yaml", "passMark: 80", "passMark: 180");
    const relative = path.relative(process.cwd(), fixture.courseDir);
    const { problems } = await loadCourse(relative);
    expect(problems).toEqual([
      { file: `${relative}/course.yaml`, line: 19, message: "passMark must be at most 100, not 180" },
    ]);
  });
});

describe("files that do not parse or do not fit their schema", () => {
  test("a YAML syntax error is reported on its line, and the file's contents are not checked further", async () => {
    await edit("01-basics/module.yaml", "outcomes: [define-trafficking, recognise-indicators]", "outcomes: [define-trafficking, recognise-indicators");
    expect(await report()).toEqual([
      "valid-minimal/01-basics/module.yaml:5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
  });

  test("a frontmatter syntax error is reported on the line inside the lesson file", async () => {
    await edit("01-basics/02-signs.en.md", "title: Signs", "title: Signs: in the clinic");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/02-signs.en.md:3: YAML syntax error: Nested mappings are not allowed in compact mappings (text containing ": " must be in quotes)',
    ]);
  });

  test("fields of the wrong type, unknown fields and out-of-range values", async () => {
    await edit("01-basics/01-what-is-it.en.md", "minutes: 5", "minutes: five");
    await edit("01-basics/quiz.yaml", "shuffle: true", "shuffle: yes");
    await edit("01-basics/quiz.yaml", "timeLimitMinutes: 15", "timelimitMinutes: 15");
    await edit("01-basics/quiz.yaml", "    kind: true_false", "    kind: yes_no");
    await edit("02-refresher/module.yaml", "title: { sl: Osvežitev, en: Refresher }", "title: Refresher");
    await edit("course.yaml", "estimatedMinutes: 30", 'estimatedMinutes: "30"');
    await edit("course.yaml", "text: { sl: Prepoznati znake, en: Recognise indicators }", "text: { sl: Prepoznati znake, en: Recognise, interpret }");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/01-what-is-it.en.md:4: minutes must be a number, not "five"',
      'valid-minimal/01-basics/quiz.yaml:7: unknown field "timelimitMinutes"',
      'valid-minimal/01-basics/quiz.yaml:8: shuffle must be true or false, not "yes"',
      'valid-minimal/01-basics/quiz.yaml:39: question "consent-irrelevant": kind must be one of single, multiple, true_false, matching, ordering, short_answer, not "yes_no"',
      'valid-minimal/02-refresher/module.yaml:2: title must be translations, e.g. { sl: …, en: … }, not "Refresher"',
      'valid-minimal/course.yaml:13: estimatedMinutes must be a number, not "30" (remove the quotes)',
      'valid-minimal/course.yaml:35: outcome "recognise-indicators": unknown locale "interpret" (text with a comma inside { … } must be in quotes)',
    ]);
  });

  test("missing required fields are reported on the object that lacks them", async () => {
    await edit("01-basics/waiting-room.case.yaml", "        consequence: { sl: Odgovarja on., en: He answers. }\n", "");
    await edit("01-basics/02-signs.sl.md", "minutes: 4\n", "");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/02-signs.sl.md:2: missing required field "minutes"',
      'valid-minimal/01-basics/waiting-room.case.yaml:15: node "arrival", choice "ask-companion": missing required field "consequence"',
    ]);
  });

  test("a lesson without frontmatter, an empty file and a missing course.yaml", async () => {
    await writeFile(path.join(fixture.courseDir, "02-refresher/01-recap.en.md"), "# Recap\n\nNo frontmatter.\n");
    await writeFile(path.join(fixture.courseDir, "01-basics/quiz.yaml"), "# nothing yet\n");
    expect(await report()).toEqual([
      "valid-minimal/01-basics/quiz.yaml:1: the file is empty",
      'valid-minimal/02-refresher/01-recap.en.md:1: a lesson must start with "---", its frontmatter (id, title, minutes, sources) and "---"',
    ]);
    await unlink(path.join(fixture.courseDir, "course.yaml"));
    expect(await report()).toEqual(["valid-minimal/course.yaml:1: course.yaml is missing"]);
  });

  test("a missing lesson locale is reported where module.yaml lists the lesson", async () => {
    await unlink(path.join(fixture.courseDir, "02-refresher/01-recap.sl.md"));
    expect(await report()).toEqual(['valid-minimal/02-refresher/module.yaml:5: lesson "01-recap" has no "sl" file (01-recap.sl.md)']);
  });
});

describe("a tree of courses", () => {
  test("loads every course folder, skips files, and checks prerequisites against the tree", async () => {
    await writeFile(path.join(fixture.root, "README.md"), "# Courses\n");
    await cp(fixture.courseDir, path.join(fixture.root, "second-course"), { recursive: true });
    await writeFile(
      path.join(fixture.root, "second-course/course.yaml"),
      (await readFile(path.join(fixture.root, "second-course/course.yaml"), "utf8"))
        .replace("slug: valid-minimal", "slug: second-course")
        .replace("prerequisites: []", "prerequisites: [valid-minimal, no-such-course]"),
    );
    const { courses, problems, results } = await loadCourseTree(fixture.root);
    expect(results.map((result) => path.relative(fixture.root, result.dir))).toEqual(["second-course", "valid-minimal"]);
    expect(courses.map((course) => course.slug)).toEqual(["valid-minimal"]);
    expect(problems.map((problem) => `${path.relative(fixture.root, problem.file)}:${problem.line}: ${problem.message}`)).toEqual([
      'second-course/course.yaml:28: prerequisite "no-such-course" is not a course in this tree',
    ]);
  });
});

describe("npm run courses:check", () => {
  const run = promisify(execFile);
  const check = async (dir: string) => {
    try {
      const { stdout } = await run("npx", ["tsx", "scripts/courses-check.ts", dir], { cwd: REPO });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };

  test("prints problems as path:line: message with a count and exits 1", async () => {
    expect(await check("tests/fixtures/courses/broken")).toEqual({
      code: 1,
      stdout: [
        "tests/fixtures/courses/broken/bad-yaml/course.yaml:7: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }",
        'tests/fixtures/courses/broken/missing-module/course.yaml:16: prerequisite "no-such-course" is not a course in this tree',
        'tests/fixtures/courses/broken/missing-module/course.yaml:21: module folder "01-not-here" does not exist',
        "3 problems in 2 courses",
        "",
      ].join("\n"),
    });
  }, 30_000);

  test("prints a summary and exits 0 when every course is valid", async () => {
    expect(await check(fixture.root)).toEqual({
      code: 0,
      stdout: "courses OK: 1 course, 2 modules, 3 lessons, 6 questions, 1 case\n",
    });
  }, 30_000);
});
