import { cp, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fixtureCourseCopy } from "../../tests/support/fixture-course.ts";

// Each test copies the valid fixture course, breaks one thing and asserts the exact report a trainer
// would read, line numbers included.

const fixture = fixtureCourseCopy("opora-check-course-");
const edit = fixture.edit;
const report = fixture.report;

test("the fixture course has no problems", async () => {
  expect(await report()).toEqual([]);
});

describe("translations", () => {
  test("reports every missing or blank translation for the course's locales, wherever it is", async () => {
    await edit("course.yaml", "  en: Recognition basics\n", "");
    await edit("course.yaml", "helpsWith: { sl: Neposredna nevarnost, en: Immediate danger }", 'helpsWith: { sl: Neposredna nevarnost, en: " " }');
    await edit("01-basics/quiz.yaml", "text: { sl: Prečkanje meje, en: Crossing a border }", "text: { sl: Prečkanje meje }");
    await edit("01-basics/quiz.yaml", "      true: { sl: Pravilno., en: Correct. }", "      true: { en: Correct. }");
    await edit(
      "01-basics/waiting-room.case.yaml",
      "- { sl: Spremljevalec govori zanjo, en: The companion speaks for her }",
      "- { sl: Spremljevalec govori zanjo }",
    );
    expect(await report()).toEqual([
      'valid-minimal/01-basics/quiz.yaml:23: question "three-elements", option "border-crossing": missing translation "en" for text',
      'valid-minimal/01-basics/quiz.yaml:45: question "consent-irrelevant": missing translation "sl" for feedback.true',
      'valid-minimal/01-basics/waiting-room.case.yaml:35: node "debrief-safe", indicator 1: missing translation "en"',
      'valid-minimal/course.yaml:4: missing translation "en" for title',
      'valid-minimal/course.yaml:44: referral "emergency": missing translation "en" for helpsWith',
    ]);
  });

  test("uk may be added anywhere without being required", async () => {
    await edit("01-basics/module.yaml", "title: { sl: Osnove, en: Basics }", "title: { sl: Osnove, en: Basics, uk: Основи }");
    expect(await report()).toEqual([]);
  });
});

test("unknown outcome tags on questions, modules and cases", async () => {
  await edit("01-basics/quiz.yaml", "outcome: recognise-indicators", "outcome: spot-signs");
  await edit("01-basics/module.yaml", "outcomes: [define-trafficking, recognise-indicators]", "outcomes: [define-trafficking, recognize-indicators]");
  await edit("01-basics/waiting-room.case.yaml", "outcomes: [recognise-indicators]", "outcomes: [indicators]");
  expect(await report()).toEqual([
    'valid-minimal/01-basics/module.yaml:4: unknown outcome "recognize-indicators" (not in the outcomes of course.yaml)',
    'valid-minimal/01-basics/quiz.yaml:26: question "indicators-multi": unknown outcome "spot-signs" (not in the outcomes of course.yaml)',
    'valid-minimal/01-basics/waiting-room.case.yaml:4: case "waiting-room": unknown outcome "indicators" (not in the outcomes of course.yaml)',
  ]);
});

describe("quizzes", () => {
  test("a pool smaller than the draw", async () => {
    await edit("01-basics/quiz.yaml", "draw: 5", "draw: 7");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/quiz.yaml:3: quiz "basics-quiz": pool has 6 questions but draw is 7',
    ]);
  });

  test("correct options, counts and accepted answers per question kind", async () => {
    await edit(
      "01-basics/quiz.yaml",
      "        text: { sl: Prečkanje meje, en: Crossing a border }\n",
      "        text: { sl: Prečkanje meje, en: Crossing a border }\n        correct: true\n",
    );
    await edit("01-basics/quiz.yaml", "        text: { sl: Brez dokumentov, en: No documents }\n        correct: true\n", "        text: { sl: Brez dokumentov, en: No documents }\n");
    await edit("01-basics/quiz.yaml", "        text: { sl: Naučena zgodba, en: A scripted story }\n        correct: true\n", "        text: { sl: Naučena zgodba, en: A scripted story }\n");
    await edit("01-basics/quiz.yaml", "      - id: refer\n        text: { sl: Napotitev, en: Referral }\n", "");
    await edit("01-basics/quiz.yaml", '      en: ["112"]\n', "      en: []\n");
    await edit("01-basics/quiz.yaml", "      - id: sexual\n        left: { sl: Spolno, en: Sexual }\n        right: { sl: Bar, en: Bar }\n", "");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/quiz.yaml:17: question "three-elements": a single-choice question needs exactly one correct option, found 2',
      'valid-minimal/01-basics/quiz.yaml:30: question "indicators-multi": a multiple-choice question needs at least one correct option',
      'valid-minimal/01-basics/quiz.yaml:51: question "match-forms": needs at least 2 pairs, found 1',
      'valid-minimal/01-basics/quiz.yaml:60: question "order-steps": needs at least 3 items, found 2',
      'valid-minimal/01-basics/quiz.yaml:70: question "emergency-number": no accepted answer for "en"',
    ]);
  });
});

describe("cases", () => {
  const CASE = "01-basics/waiting-room.case.yaml";

  test("a choice that leads nowhere (and the node it no longer reaches)", async () => {
    await edit(CASE, "next: debrief-poor", "next: debrief-bad");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/waiting-room.case.yaml:18: node "arrival", choice "ask-companion": next "debrief-bad" is not a node in this case',
      'valid-minimal/01-basics/waiting-room.case.yaml:36: node "debrief-poor" cannot be reached from start "arrival"',
    ]);
  });

  test("an unreachable node and a missing start", async () => {
    const sideRoom = [
      "  - id: side-room",
      "    text: { sl: Stranska soba., en: A side room. }",
      "    choices:",
      "      - id: leave",
      "        text: { sl: Odidem., en: I leave. }",
      "        consequence: { sl: Vrata se zaprejo., en: The door closes. }",
      "        next: debrief-safe",
      "",
    ].join("\n");
    await writeFile(path.join(fixture.courseDir, CASE), `${await readFile(path.join(fixture.courseDir, CASE), "utf8")}${sideRoom}`);
    expect(await report()).toEqual([
      'valid-minimal/01-basics/waiting-room.case.yaml:43: node "side-room" cannot be reached from start "arrival"',
    ]);
    await edit(CASE, "start: arrival", "start: entrance");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/waiting-room.case.yaml:6: case "waiting-room": start "entrance" is not a node in this case',
    ]);
  });

  test("a cycle with no way out to a debrief, and no reachable safe debrief", async () => {
    await edit(CASE, "next: debrief-poor", "next: loop-a");
    await edit(CASE, "next: debrief-safe", "next: arrival");
    const loop = [
      "  - id: loop-a",
      "    text: { sl: A., en: A. }",
      "    choices:",
      "      - { id: to-b, text: { sl: B, en: B }, consequence: { sl: B, en: B }, next: loop-b }",
      "  - id: loop-b",
      "    text: { sl: B., en: B. }",
      "    choices:",
      "      - { id: to-a, text: { sl: A, en: A }, consequence: { sl: A, en: A }, next: loop-a }",
      "",
    ].join("\n");
    await writeFile(path.join(fixture.courseDir, CASE), `${await readFile(path.join(fixture.courseDir, CASE), "utf8")}${loop}`);
    expect(await report()).toEqual([
      'valid-minimal/01-basics/waiting-room.case.yaml:5: case "waiting-room": requireSafeOutcome is true but no debrief with outcome: safe can be reached',
      'valid-minimal/01-basics/waiting-room.case.yaml:8: node "arrival" is a dead end: no path from it reaches a debrief',
      'valid-minimal/01-basics/waiting-room.case.yaml:19: node "alone" is a dead end: no path from it reaches a debrief',
      'valid-minimal/01-basics/waiting-room.case.yaml:30: node "debrief-safe" cannot be reached from start "arrival"',
      'valid-minimal/01-basics/waiting-room.case.yaml:36: node "debrief-poor" cannot be reached from start "arrival"',
      'valid-minimal/01-basics/waiting-room.case.yaml:43: node "loop-a" is a dead end: no path from it reaches a debrief',
      'valid-minimal/01-basics/waiting-room.case.yaml:47: node "loop-b" is a dead end: no path from it reaches a debrief',
    ]);
  });

  test("debriefs have an outcome and no choices; other nodes have choices", async () => {
    await edit(CASE, "    debrief: true\n    outcome: safe\n", "    debrief: true\n");
    await edit(
      CASE,
      "    outcome: poor\n",
      "    outcome: poor\n    choices:\n      - { id: again, text: { sl: Znova, en: Again }, consequence: { sl: Znova, en: Again }, next: arrival }\n",
    );
    await edit(CASE, "    debrief: true\n", "");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/waiting-room.case.yaml:5: case "waiting-room": requireSafeOutcome is true but no debrief with outcome: safe can be reached',
      'valid-minimal/01-basics/waiting-room.case.yaml:30: node "debrief-safe" has no choices: add choices or make it a debrief (debrief: true)',
      'valid-minimal/01-basics/waiting-room.case.yaml:37: node "debrief-poor": a debrief must not have choices',
    ]);
  });
});

describe("lessons", () => {
  test("broken image links are reported on the body line where they appear", async () => {
    await edit("01-basics/01-what-is-it.sl.md", "(images/diagram.png)", "(images/diagramm.png)");
    await edit("01-basics/02-signs.sl.md", "Spremljevalec govori namesto pacienta.", "![Zunaj](../../outside.png)");
    await unlink(path.join(fixture.courseDir, "01-basics/images/clip.vtt"));
    expect(await report()).toEqual([
      'valid-minimal/01-basics/01-what-is-it.en.md:16: video "images/clip.mp4" has no captions: add "images/clip.vtt" beside it',
      'valid-minimal/01-basics/01-what-is-it.sl.md:14: broken image link "images/diagramm.png": no such file',
      'valid-minimal/01-basics/02-signs.sl.md:11: image link "../../outside.png" points outside the course folder',
    ]);
  });

  test("only YouTube and Vimeo videos may be embedded from another site, each with a title", async () => {
    await edit("01-basics/01-what-is-it.sl.md", "![Diagram treh elementov](images/diagram.png)", "![Diagram](https://example.org/diagram.png)");
    await edit("01-basics/02-signs.sl.md", "Spremljevalec govori namesto pacienta.", "![](https://vimeo.com/76979871)\n\n![Posnetek](http://www.youtube.com/watch?v=M7lc1UVf-VE)\n\n![Kanal](https://www.youtube.com/@who)");
    expect(await report()).toEqual([
      "valid-minimal/01-basics/01-what-is-it.sl.md:14: image or video link \"https://example.org/diagram.png\" is on example.org: only YouTube and Vimeo videos may be embedded from another site; put images in the module's images/ folder and link them as images/name.png",
      'valid-minimal/01-basics/02-signs.sl.md:11: video "https://vimeo.com/76979871" needs a title between the brackets (![Title](…)): screen readers announce the player by it',
      "valid-minimal/01-basics/02-signs.sl.md:13: image or video link \"http://www.youtube.com/watch?v=M7lc1UVf-VE\" must be an https address: only YouTube and Vimeo videos may be embedded from another site; put images in the module's images/ folder and link them as images/name.png",
      "valid-minimal/01-basics/02-signs.sl.md:15: image or video link \"https://www.youtube.com/@who\" does not point to one YouTube or Vimeo video (use the address the video's Share button gives)",
    ]);
  });

  test("a missing locale file, and id or minutes that differ between locales", async () => {
    await unlink(path.join(fixture.courseDir, "01-basics/02-signs.en.md"));
    await edit("01-basics/01-what-is-it.en.md", "minutes: 5", "minutes: 6");
    await edit("02-refresher/01-recap.en.md", "id: recap", "id: recap-en");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/01-what-is-it.en.md:4: minutes 6 differs from 5 in 01-what-is-it.sl.md; every locale\'s file of a lesson has the same minutes',
      'valid-minimal/01-basics/module.yaml:7: lesson "02-signs" has no "en" file (02-signs.en.md)',
      'valid-minimal/02-refresher/01-recap.en.md:2: id "recap-en" differs from "recap" in 01-recap.sl.md; every locale\'s file of a lesson has the same id',
    ]);
  });

  test("empty sources, badly named and unlisted lesson files", async () => {
    await edit("02-refresher/01-recap.en.md", "sources:\n  - title: Guidance for health workers\n", "sources: []\n");
    const extra = "---\nid: extra\ntitle: Extra\nminutes: 1\nsources:\n  - title: A source\n---\n\nExtra.\n";
    await writeFile(path.join(fixture.courseDir, "01-basics/03-extra.sl.md"), extra);
    await writeFile(path.join(fixture.courseDir, "01-basics/3-Extra.en.md"), extra);
    await writeFile(path.join(fixture.courseDir, "01-basics/03-extra.de.md"), extra);
    expect(await report()).toEqual([
      'valid-minimal/01-basics/03-extra.de.md:1: unknown locale "de" in the file name (use sl, en or uk)',
      'valid-minimal/01-basics/3-Extra.en.md:1: lesson file names must look like "01-name.<locale>.md" (lower-case letters, digits and dashes)',
      'valid-minimal/01-basics/module.yaml:5: lesson "03-extra" is in 01-basics/ but not listed in items',
      "valid-minimal/02-refresher/01-recap.en.md:5: sources must not be empty: every factual claim needs a source",
    ]);
  });
});

describe("ids", () => {
  test("duplicate ids within the course and within a question", async () => {
    await edit("01-basics/quiz.yaml", "  - id: indicators-multi", "  - id: three-elements");
    await edit("01-basics/quiz.yaml", "      - id: border-crossing", "      - id: act-means-purpose");
    await edit("01-basics/02-signs.sl.md", "id: signs", "id: what-is-it");
    await edit("01-basics/02-signs.en.md", "id: signs", "id: what-is-it");
    await edit("02-refresher/module.yaml", "id: refresher", "id: basics");
    await edit("01-basics/waiting-room.case.yaml", "      - id: go-back", "      - id: see-alone");
    expect(await report()).toEqual([
      'valid-minimal/01-basics/02-signs.sl.md:2: duplicate lesson id "what-is-it" (also used in 01-basics/01-what-is-it.sl.md:2)',
      'valid-minimal/01-basics/quiz.yaml:22: question "three-elements": duplicate option id "act-means-purpose" (also used on line 18)',
      'valid-minimal/01-basics/quiz.yaml:24: duplicate question id "three-elements" (also used on line 12)',
      'valid-minimal/01-basics/waiting-room.case.yaml:26: case "waiting-room": duplicate choice id "see-alone" (also used on line 11)',
      'valid-minimal/02-refresher/module.yaml:1: duplicate module id "basics" (also used in 01-basics/module.yaml:1)',
    ]);
  });
});

describe("course.yaml", () => {
  test("slug must equal the folder name", async () => {
    const renamed = path.join(fixture.root, "renamed");
    await cp(fixture.courseDir, renamed, { recursive: true });
    expect(await report(renamed)).toEqual([
      'renamed/course.yaml:2: slug "valid-minimal" must equal the folder name "renamed"',
    ]);
  });

  test("listed modules must exist, folders must be listed, recertification modules must be listed", async () => {
    await edit("course.yaml", "  - 02-refresher\n", "  - 02-refresher\n  - 03-missing\n");
    await edit("course.yaml", "modules: [02-refresher]", "modules: [04-extra]");
    await cp(path.join(fixture.courseDir, "02-refresher"), path.join(fixture.courseDir, "05-unlisted"), { recursive: true });
    expect(await report()).toEqual([
      'valid-minimal/course.yaml:30: recertification module "04-extra" is not listed in modules',
      'valid-minimal/course.yaml:36: folder "05-unlisted" is not listed in modules',
      'valid-minimal/course.yaml:39: module folder "03-missing" does not exist',
    ]);
  });

  test("a phone number needs a source, and a course is not its own prerequisite", async () => {
    await edit("course.yaml", "    source: https://www.112.si/\n", "");
    await edit("course.yaml", "prerequisites: []", "prerequisites: [valid-minimal]");
    expect(await report()).toEqual([
      "valid-minimal/course.yaml:28: a course cannot be its own prerequisite",
      'valid-minimal/course.yaml:42: referral "emergency": a phone number needs a source (where it was confirmed); omit it when unconfirmed',
    ]);
  });
});
