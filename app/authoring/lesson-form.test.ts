import { describe, expect, it } from "vitest";
import { changeSourceRows, lessonColumnText, lessonFormFromFiles, parseLessonSave, readLessonForm } from "./lesson-form.ts";
import { readLesson } from "./lesson-text.ts";

const SL = "---\nid: what-is-it\ntitle: Kaj je to\nminutes: 5\nsources:\n  - title: Konvencija\n    url: https://rm.coe.int/168008371d\n---\n\n## Trije elementi\n\nBesedilo.\n";
const digest = (values: { title: string }) => `digest:${values.title}`;

function form(entries: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
}

describe("the lesson form", () => {
  it("reads the locale files into columns; a missing translation starts empty with the other file's minutes and sources", () => {
    const values = lessonFormFromFiles(new Map([["sl", { text: SL, revision: 3 }]]), ["sl", "en"], digest);
    expect(values.id).toBe("what-is-it");
    expect(values.locales[0]).toEqual({ locale: "sl", revision: 3, digest: "digest:Kaj je to", title: "Kaj je to", minutes: "5", sources: [{ title: "Konvencija", url: "https://rm.coe.int/168008371d" }], body: "## Trije elementi\n\nBesedilo." });
    expect(values.locales[1]).toEqual({ locale: "en", revision: 0, digest: "", title: "", minutes: "5", sources: [{ title: "Konvencija", url: "https://rm.coe.int/168008371d" }], body: "" });
  });

  it("reads a post as typed: source rows in order, line breaks as \\n, unknown locales ignored", () => {
    const values = readLessonForm(
      form({ id: " what-is-it ", "revision.sl": "3", "digest.sl": "abc", "title.sl": "Naslov", "minutes.sl": "ten", "sources.sl.1.title": "Drugi", "sources.sl.0.title": "Prvi", "sources.sl.0.url": "https://a.example", "body.sl": "Vrstica\r\nnaslednja", "title.de": "x" }),
      ["sl"],
    );
    expect(values).toEqual({ id: "what-is-it", locales: [{ locale: "sl", revision: 3, digest: "abc", title: "Naslov", minutes: "ten", sources: [{ title: "Prvi", url: "https://a.example" }, { title: "Drugi", url: "" }], body: "Vrstica\nnaslednja" }] });
  });

  it("adds and removes source rows without JavaScript, never leaving a column without a row", () => {
    const values = lessonFormFromFiles(new Map([["sl", { text: SL, revision: 1 }]]), ["sl"], digest);
    const added = changeSourceRows(values, "add-source:sl");
    expect(added?.locales[0].sources).toHaveLength(2);
    expect(changeSourceRows(added!, "remove-source:sl:0")?.locales[0].sources).toEqual([{ title: "", url: "" }]);
    expect(changeSourceRows(values, "remove-source:sl:0")?.locales[0].sources).toEqual([{ title: "", url: "" }]);
    expect(changeSourceRows(values, "save")).toBeNull();
  });

  it("names the field of every mistake so the page can show it there", () => {
    const values = readLessonForm(form({ id: "Bad Id", "revision.sl": "1", "minutes.sl": "0", "sources.sl.0.title": "", "sources.sl.0.url": "https://a.example", "sources.sl.1.title": "Vir", "sources.sl.1.url": "javascript:alert(1)" }), ["sl"]);
    expect(parseLessonSave(values)).toEqual({
      ok: false,
      fieldErrors: {
        id: "editor.lesson.idInvalid",
        "minutes.sl": "editor.lesson.minutesInvalid",
        "sources.sl.0.title": "editor.lesson.sourceTitleRequired",
        "sources.sl.1.url": "editor.lesson.sourceUrlInvalid",
      },
    });
  });

  it("writes a file the lesson reader reads back to the same fields, dropping empty source rows", () => {
    const values = readLessonForm(form({ id: "what-is-it", "revision.en": "0", "title.en": " What it is ", "minutes.en": "7", "sources.en.0.title": "Convention", "sources.en.1.title": "", "body.en": "\n## Three elements\n" }), ["en"]);
    const parsed = parseLessonSave(values);
    if (!parsed.ok) throw new Error("expected a valid form");
    const text = lessonColumnText(parsed.lesson.id, parsed.lesson.locales[0]);
    expect(readLesson(text)).toEqual({ fields: { id: "what-is-it", title: "What it is", minutes: 7, sources: [{ title: "Convention" }] }, body: "## Three elements" });
  });
});
