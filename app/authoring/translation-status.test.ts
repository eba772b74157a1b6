import { describe, expect, it } from "vitest";
import { filterTranslationFiles, translationStatus } from "./translation-status.ts";

const lesson = (title: string, body: string) => `---\nid: intro\ntitle: ${JSON.stringify(title)}\nminutes: 5\nsources:\n  - title: Vir\n---\n\n${body}\n`;

const files = new Map<string, string | null>([
  ["course.yaml", "slug: c\nlocales: [sl, en]\ntitle: { sl: Tečaj, en: Course }\nsummary: { sl: Povzetek }\nmodules: [01-basics]\n"],
  ["01-basics/module.yaml", "id: basics\ntitle: { sl: Osnove, en: '' }\nitems:\n  - lesson: 01-intro\n  - lesson: 02-next\n  - quiz: quiz.yaml\n"],
  ["01-basics/01-intro.sl.md", lesson("Uvod", "Besedilo.")],
  ["01-basics/01-intro.en.md", lesson("Introduction", "")],
  ["01-basics/02-next.sl.md", lesson("Naprej", "Besedilo.")],
  ["01-basics/quiz.yaml", "id: q\ntitle: { sl: Kviz, en: Quiz }\nquestions:\n  - id: q1\n    prompt: { sl: Vprašanje }\n    accept: { sl: [da] }\n"],
  ["01-basics/images/diagram.png", null],
  ["02-extra/broken.case.yaml", "id: [unclosed\n"],
]);

describe("translation status", () => {
  it("counts what each locale lacks, per file, in course order, as the checker finds it", () => {
    const status = translationStatus(files, ["sl", "en"], ["01-basics"]);
    expect(status.total).toBe(5);
    expect(status.byLocale).toEqual({ sl: 0, en: 5 });
    expect(status.files.map((file) => [file.path, file.kind, file.missing.map((gap) => `${gap.locale}:${gap.kind}:${gap.where}`), file.unreadable])).toEqual([
      ["course.yaml", "course", ["en:text:summary"], false],
      ["01-basics/module.yaml", "module", ["en:text:title"], false],
      ["01-basics/01-intro.sl.md", "lesson", [], false],
      ["01-basics/01-intro.en.md", "lesson", ["en:body:"], false],
      ["01-basics/02-next.sl.md", "lesson", [], false],
      ["01-basics/02-next.en.md", "lesson", ["en:file:"], false],
      // Short-answer `accept` lists are keyed by locale but are not texts to translate.
      ["01-basics/quiz.yaml", "quiz", ['en:text:question "q1": prompt'], false],
      ["02-extra/broken.case.yaml", "case", [], true],
    ]);
  });

  it("shows only files with something missing, or one locale's gaps", () => {
    const status = translationStatus(files, ["sl", "en"], ["01-basics"]);
    expect(filterTranslationFiles(status.files, { onlyMissing: true, locale: null }).map((file) => file.path)).toEqual(["course.yaml", "01-basics/module.yaml", "01-basics/01-intro.en.md", "01-basics/02-next.en.md", "01-basics/quiz.yaml", "02-extra/broken.case.yaml"]);
    expect(filterTranslationFiles(status.files, { onlyMissing: true, locale: "sl" }).map((file) => file.path)).toEqual(["02-extra/broken.case.yaml"]);
  });
});
