import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { openDraft, saveDraftFiles } from "../../app/authoring/draft.server.ts";
import { type LessonFormValues, lessonField } from "../../app/authoring/lesson-form.ts";
import { readLesson } from "../../app/authoring/lesson-text.ts";
import { enrol } from "../../app/domain/enrol.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";
import { readStoredFile } from "../../app/utils/storage.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";

// The lesson editor, its live preview, the draft's media route and the translations view, driven
// through their route modules as the browser would: signed-in requests, posted forms.

const lessonRoute = await import("../../app/routes/author/lesson.tsx");
const previewRoute = await import("../../app/routes/author/markdown-preview.ts");
const draftFileRoute = await import("../../app/routes/author/draft-file.ts");
const translationsRoute = await import("../../app/routes/author/translations.tsx");
const learnerLessonRoute = await import("../../app/routes/learn/lesson.tsx");

type Result = { data?: Record<string, unknown>; init?: { status?: number } } & Record<string, unknown>;
type Hospital = Awaited<ReturnType<typeof createOrganisationWithMembers>>;
let hospital: Hospital;
let otherHospital: Hospital;
const person = (name: string) => ({ id: hospital.people[name]!.id, isAdmin: false });

beforeAll(async () => {
  hospital = await createOrganisationWithMembers({ "Ana Novak": ["TRAINER"], "Barbara Kos": ["TRAINER"], "Cene Learner": ["LEARNER"] });
  otherHospital = await createOrganisationWithMembers({ "Dora Other": ["TRAINER"] });
});

/** A course of the fixture owned by the hospital, so its trainers may edit it. */
async function ownedCourse(slug: string) {
  const course = await importFixtureCourse(slug);
  await db.course.update({ where: { slug }, data: { ownerOrganisationId: hospital.organisation.id } });
  return course;
}

async function signedIn(userId: string, path: string, init: RequestInit = {}) {
  const cookie = await createSessionCookie(new Request("http://opora.test/"), userId);
  return new Request(`http://opora.test${path}`, { ...init, headers: { Cookie: cookie.split(";")[0] ?? "", ...(init.headers ?? {}) } });
}

const lessonPath = (slug: string, folder: string, stem: string) => `/author/courses/${slug}/modules/${folder}/lessons/${stem}`;

async function loadLesson(userId: string, slug: string, folder = "01-basics", stem = "01-what-is-it") {
  const request = await signedIn(userId, lessonPath(slug, folder, stem));
  return lessonRoute.loader({ request, params: { slug, folder, stem }, context: {} } as never);
}

/** The lesson form as the page posts it: every column's fields by the names the page gives them. */
function lessonForm(values: LessonFormValues, intent = "save") {
  const form = new FormData();
  form.set("intent", intent);
  form.set("locales", values.locales.map((column) => column.locale).join(","));
  form.set(lessonField.id, values.id);
  for (const column of values.locales) {
    form.set(lessonField.revision(column.locale), String(column.revision));
    form.set(lessonField.digest(column.locale), column.digest);
    form.set(lessonField.title(column.locale), column.title);
    form.set(lessonField.minutes(column.locale), column.minutes);
    column.sources.forEach((source, index) => {
      form.set(lessonField.sourceTitle(column.locale, index), source.title);
      form.set(lessonField.sourceUrl(column.locale, index), source.url);
    });
    // Browsers send a textarea's line breaks as CRLF.
    form.set(lessonField.body(column.locale), column.body.replace(/\n/g, "\r\n"));
  }
  return form;
}

async function post(route: { action: (args: never) => unknown }, userId: string, path: string, params: Record<string, string>, form: FormData) {
  const request = await signedIn(userId, path, { method: "POST", body: form });
  return (await route.action({ request, params, context: {} } as never)) as Result;
}

const postLesson = (userId: string, slug: string, form: FormData, folder = "01-basics", stem = "01-what-is-it") => post(lessonRoute, userId, lessonPath(slug, folder, stem), { slug, folder, stem }, form);

function edit(values: LessonFormValues, change: (column: LessonFormValues["locales"][number]) => Partial<LessonFormValues["locales"][number]>): LessonFormValues {
  return { ...values, locales: values.locales.map((column) => ({ ...column, ...change(column) })) };
}

async function draftFile(slug: string, path: string) {
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  return db.draftFile.findUnique({ where: { courseId_path: { courseId: course.id, path } }, select: { text: true, revision: true, asset: { select: { sha256: true, mediaType: true } } } });
}

/** The status a loader or action refused with (thrown data or a redirect), or null. */
async function refusal(work: Promise<unknown>) {
  const outcome = await work.then(
    (value) => value,
    (thrown) => thrown,
  );
  if (outcome instanceof Response) return outcome.status;
  return (outcome as Result)?.init?.status ?? null;
}

describe("saving a lesson", () => {
  it("saves every locale's file together, each against its revision, and only the columns that changed", async () => {
    const slug = "lesson-editor-save";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const page = await loadLesson(ana.id, slug);
    expect(page.locales).toEqual(["sl", "en"]);
    expect(page.values.id).toBe("what-is-it");
    expect(page.problems).toEqual([]);

    const typed = edit(page.values, (column) => ({ title: `${column.title} (2)`, body: `${column.body}\n\nNew paragraph in ${column.locale}.`, sources: [...column.sources, { title: `Guidance ${column.locale}`, url: "" }] }));
    expect((await postLesson(ana.id, slug, lessonForm(typed))) as Result).toEqual({ intent: "save", saved: true, files: 2 });
    for (const locale of ["sl", "en"]) {
      const saved = await draftFile(slug, `01-basics/01-what-is-it.${locale}.md`);
      expect(saved?.revision).toBe(2);
      const lesson = readLesson(saved?.text ?? "");
      expect(lesson.body).toMatch(new RegExp(`\\n\\nNew paragraph in ${locale}\\.$`));
      expect(lesson.fields).toMatchObject({ id: "what-is-it", minutes: 5, sources: [expect.objectContaining({ url: expect.stringMatching(/^https:/) }), { title: `Guidance ${locale}` }] });
    }

    // The page reloads with the new revisions; changing only Slovene writes only Slovene.
    const again = await loadLesson(ana.id, slug);
    const slOnly = edit(again.values, (column) => (column.locale === "sl" ? { body: `${column.body}\n\nOnly Slovene.` } : {}));
    expect(await postLesson(ana.id, slug, lessonForm(slOnly))).toEqual({ intent: "save", saved: true, files: 1 });
    expect((await draftFile(slug, "01-basics/01-what-is-it.sl.md"))?.revision).toBe(3);
    expect((await draftFile(slug, "01-basics/01-what-is-it.en.md"))?.revision).toBe(2);
    expect(await postLesson(ana.id, slug, lessonForm((await loadLesson(ana.id, slug)).values))).toEqual({ intent: "save", saved: true, files: 0 });
  });

  it("creates a missing translation from the page once it has a title or text, with the shared id", async () => {
    const slug = "lesson-editor-translate";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const { files } = await openDraft({ actor: ana, slug });
    const english = files.find((file) => file.path === "01-basics/02-signs.en.md")!;
    await saveDraftFiles({ actor: ana, slug, changes: [{ path: english.path, expectedRevision: english.revision, remove: true }] });

    const page = await loadLesson(ana.id, slug, "01-basics", "02-signs");
    const column = page.values.locales.find((c) => c.locale === "en")!;
    expect(column).toMatchObject({ revision: 0, title: "", body: "" });
    expect(page.problems).toEqual([expect.objectContaining({ file: "01-basics/module.yaml", message: expect.stringContaining('lesson "02-signs" has no "en" file') })]);
    // An untouched empty column is not written.
    expect(await postLesson(ana.id, slug, lessonForm(page.values), "01-basics", "02-signs")).toMatchObject({ files: 0 });

    const translated = edit(page.values, (c) => (c.locale === "en" ? { title: "Signs", body: "The companion speaks for the patient." } : {}));
    expect(await postLesson(ana.id, slug, lessonForm(translated), "01-basics", "02-signs")).toMatchObject({ saved: true, files: 1 });
    const created = readLesson((await draftFile(slug, "01-basics/02-signs.en.md"))?.text ?? "");
    expect(created.fields.id).toBe(page.values.id);
    expect(created.fields.title).toBe("Signs");
    expect((await loadLesson(ana.id, slug, "01-basics", "02-signs")).problems).toEqual([]);
  });

  it("on a conflict saves nothing, says who saved first, and gives the trainer's text back to the form", async () => {
    const slug = "lesson-editor-conflict";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const barbara = person("Barbara Kos");
    const page = await loadLesson(ana.id, slug);
    const before = { sl: await draftFile(slug, "01-basics/01-what-is-it.sl.md"), en: await draftFile(slug, "01-basics/01-what-is-it.en.md") };

    // Barbara saves the English file while Ana is still typing.
    const en = page.values.locales.find((c) => c.locale === "en")!;
    await post(lessonRoute, barbara.id, lessonPath(slug, "01-basics", "01-what-is-it"), { slug, folder: "01-basics", stem: "01-what-is-it" }, lessonForm(edit(page.values, (c) => (c.locale === "en" ? { body: `${c.body}\n\nBarbara's sentence.` } : {}))));
    expect((await draftFile(slug, "01-basics/01-what-is-it.en.md"))?.revision).toBe(en.revision + 1);

    const typed = edit(page.values, (c) => ({ body: `${c.body}\n\nAna's unsaved words in ${c.locale}.` }));
    const result = await postLesson(ana.id, slug, lessonForm(typed));
    expect(result.init?.status).toBe(409);
    const error = result.data?.error as { key: string; detail: string };
    expect(error.key).toBe("authoring.draft.conflict");
    expect(JSON.parse(error.detail)).toMatchObject({ path: "01-basics/01-what-is-it.en.md", who: "Barbara Kos" });
    // Nothing of Ana's was saved, not even the Slovene file that had no conflict.
    expect(await draftFile(slug, "01-basics/01-what-is-it.sl.md")).toEqual(before.sl);
    expect((await draftFile(slug, "01-basics/01-what-is-it.en.md"))?.text).toContain("Barbara's sentence.");
    expect(await db.draftFile.count({ where: { text: { contains: "Ana's unsaved words" } } })).toBe(0);

    // The page shows the message and Ana's text, still based on the revisions she loaded.
    const values = result.data?.values as LessonFormValues;
    expect(values.locales.map((c) => [c.locale, c.revision, c.body])).toEqual(typed.locales.map((c) => [c.locale, c.revision, c.body]));
    const html = renderLessonPage(await loadLesson(ana.id, slug), result.data);
    expect(html).toContain("Barbara Kos saved 01-basics/01-what-is-it.en.md at");
    for (const locale of ["sl", "en"]) expect(html).toMatch(new RegExp(`<textarea[^>]*name="body\\.${locale}"[^>]*>[^<]*Ana&#x27;s unsaved words in ${locale}\\.</textarea>`));
    expect(html).toContain(`name="revision.en" value="${en.revision}"`);
  });

  it("refuses a form with mistakes, keeps every typed value and names the fields", async () => {
    const slug = "lesson-editor-invalid";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const page = await loadLesson(ana.id, slug);
    const typed = edit(page.values, (c) => ({ minutes: "ten", body: `${c.body}\n\nTyped before the mistake.` }));
    const result = await postLesson(ana.id, slug, lessonForm(typed));
    expect(result.init?.status).toBe(400);
    expect(result.data?.fieldErrors).toEqual({ "minutes.sl": "editor.lesson.minutesInvalid", "minutes.en": "editor.lesson.minutesInvalid" });
    const html = renderLessonPage(page, result.data);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Enter a whole number of minutes from 1 to 600.");
    expect(html).toMatch(/<input id="lesson-minutes-sl" aria-invalid="true" aria-describedby="lesson-minutes-sl-hint lesson-minutes-sl-error"[^>]* name="minutes\.sl" value="ten"/);
    expect(html).toContain("Typed before the mistake.");
    expect((await draftFile(slug, "01-basics/01-what-is-it.sl.md"))?.revision).toBe(1);
  });
});

/** The lesson page as the server renders it after a post (English interface). */
function renderLessonPage(loaderData: unknown, actionData: unknown) {
  const Page = createRoutesStub([
    {
      id: "root",
      path: "/",
      children: [{ id: "lesson", path: "author/courses/:slug/modules/:folder/lessons/:stem", Component: lessonRoute.default as never, action: () => null }],
    },
  ]);
  return renderToString(
    createElement(Page, {
      initialEntries: [lessonPath((loaderData as { course: { slug: string } }).course.slug, "01-basics", "01-what-is-it")],
      hydrationData: { loaderData: { root: { locale: "en" }, lesson: loaderData }, actionData: { lesson: actionData } },
    }),
  );
}

describe("images and videos", () => {
  const slug = "lesson-editor-media";
  const hostile = (name: string) => readFileSync(join("tests/fixtures/hostile/images", name));
  const alt = { "alt.sl": "Ročno narisan diagram", "alt.en": "A hand-drawn diagram" };
  const upload = (userId: string, files: Record<string, { name: string; bytes: Uint8Array }>, fields: Record<string, string> = alt) => {
    const form = new FormData();
    form.set("intent", "upload");
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    for (const [name, file] of Object.entries(files)) form.set(name, new File([Buffer.from(file.bytes)], file.name));
    return postLesson(userId, slug, form);
  };
  const storedFiles = () => readdirSync(process.env.STORAGE_DIR as string, { recursive: true }).length;

  beforeAll(async () => {
    await ownedCourse(slug);
    await openDraft({ actor: person("Ana Novak"), slug });
  });

  it.each([
    ["an SVG named .png", "svg-renamed.png", "media.image.svg"],
    ["a web page named .png", "html-renamed.png", "media.image.not_image"],
    ["an SVG drawing", "svg-script.svg", "authoring.media.unsupported"],
  ])("refuses %s and stores nothing", async (_what, name, key) => {
    const before = { assets: await db.asset.count(), drafts: await db.draftFile.count(), stored: storedFiles() };
    const result = await upload(person("Ana Novak").id, { file: { name, bytes: hostile(name) } });
    expect(result.init?.status).toBe(400);
    expect(result.data).toMatchObject({ intent: "upload", error: { key } });
    expect({ assets: await db.asset.count(), drafts: await db.draftFile.count(), stored: storedFiles() }).toEqual(before);
  });

  it("requires alt text in every course language before storing anything", async () => {
    const before = await db.draftFile.count();
    const result = await upload(person("Ana Novak").id, { file: { name: "exif-gps.jpg", bytes: hostile("exif-gps.jpg") } }, { "alt.sl": "Diagram", "alt.en": "  " });
    expect(result.data).toMatchObject({ error: { key: "editor.media.altRequired", field: "alt.en" } });
    expect(await db.draftFile.count()).toBe(before);
  });

  it("stores an image without its EXIF and GPS data, offers its Markdown and serves it to the course's trainers", async () => {
    const original = hostile("exif-gps.jpg");
    expect(original.includes("Exif")).toBe(true);
    const result = await upload(person("Ana Novak").id, { file: { name: "Ward photo.JPG", bytes: original } });
    expect(result).toEqual({
      intent: "upload",
      media: { target: "images/ward-photo.jpg", video: false, markdown: { sl: "![Ročno narisan diagram](images/ward-photo.jpg)", en: "![A hand-drawn diagram](images/ward-photo.jpg)" } },
    });
    const file = await draftFile(slug, "01-basics/images/ward-photo.jpg");
    expect(file).toMatchObject({ revision: 1, text: null, asset: { mediaType: "image/jpeg" } });
    const stored = readStoredFile(file!.asset!.sha256);
    for (const trace of ["Exif", "GPS", "xmpmeta", "OPORA-"]) expect(stored.includes(trace), trace).toBe(false);

    const request = await signedIn(person("Barbara Kos").id, `/author/courses/${slug}/draft-files/01-basics/images/ward-photo.jpg`);
    const response = (await draftFileRoute.loader({ request, params: { slug, "*": "01-basics/images/ward-photo.jpg" }, context: {} } as never)) as Response;
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({ "content-type": "image/jpeg", "x-content-type-options": "nosniff", "cache-control": "private, no-cache" });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(stored);

    const part = (await draftFileRoute.loader({ request: await signedIn(person("Ana Novak").id, "/", { headers: { Range: "bytes=0-9" } }), params: { slug, "*": "01-basics/images/ward-photo.jpg" }, context: {} } as never)) as Response;
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 0-9/${stored.byteLength}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(stored.subarray(0, 10));

    // The same name again gets a number rather than replacing the first picture.
    expect(await upload(person("Ana Novak").id, { file: { name: "Ward photo.JPG", bytes: original } })).toMatchObject({ media: { target: "images/ward-photo-2.jpg" } });
  });

  it("takes a video only with its captions, and a hosted video only from YouTube or Vimeo", async () => {
    const clip = readFileSync("tests/fixtures/courses/valid-minimal/01-basics/images/clip.mp4");
    const captions = readFileSync("tests/fixtures/courses/valid-minimal/01-basics/images/clip.vtt");
    expect(await upload(person("Ana Novak").id, { file: { name: "Interview.mp4", bytes: clip } })).toMatchObject({ data: { error: { key: "editor.media.captionsRequired", field: "captions" } } });
    expect(await upload(person("Ana Novak").id, { file: { name: "Interview.mp4", bytes: clip }, captions: { name: "whatever.vtt", bytes: captions } })).toMatchObject({ media: { target: "images/interview.mp4", video: true } });
    expect(await draftFile(slug, "01-basics/images/interview.vtt")).toMatchObject({ asset: { mediaType: "text/vtt" } });

    const link = (url: string) => {
      const form = new FormData();
      form.set("intent", "video-link");
      form.set("url", url);
      form.set("alt.sl", "Pogovor s pacientko");
      form.set("alt.en", "Talking with a patient");
      return postLesson(person("Ana Novak").id, slug, form);
    };
    expect(await link("https://youtu.be/M7lc1UVf-VE?t=90")).toEqual({
      intent: "video-link",
      media: { target: "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90", video: true, markdown: { sl: "![Pogovor s pacientko](https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90)", en: "![Talking with a patient](https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90)" } },
    });
    expect(await link("https://videos.example.org/watch?v=1")).toMatchObject({ data: { error: { key: "media.video.unsupported_host", field: "url" } } });
  });
});

describe("the live preview", () => {
  it("is the learner page's rendering of the same Markdown, with the draft's images", async () => {
    const slug = "lesson-editor-preview";
    await ownedCourse(slug);
    const learner = hospital.people["Cene Learner"]!;
    await db.user.update({ where: { id: learner.id }, data: { locale: "en" } });
    await enrol({ actor: { id: learner.id, isAdmin: false }, slug });
    const learnerPage = await learnerLessonRoute.loader({ request: await signedIn(learner.id, `/learn/${slug}/lesson/what-is-it`), params: { slug, itemKey: "what-is-it" }, context: {} } as never);

    const ana = person("Ana Novak");
    const editor = await loadLesson(ana.id, slug);
    const markdown = editor.values.locales.find((c) => c.locale === "en")!.body;
    const form = new FormData();
    form.set("folder", "01-basics");
    form.set("locale", "en");
    form.set("markdown", markdown);
    const preview = await post(previewRoute, ana.id, `/author/courses/${slug}/markdown-preview`, { slug }, form);
    const html = preview.html as string;

    const version = await db.courseVersion.findFirstOrThrow({ where: { course: { slug } }, select: { id: true } });
    const draftBase = `/author/courses/${slug}/draft-files/01-basics`;
    expect(html).toContain(`<img src="${draftBase}/images/diagram.png"`);
    expect(html).toContain(`<source src="${draftBase}/images/clip.mp4">`);
    expect(html).toContain('<iframe src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE" title="How the IFrame player works" sandbox=');
    expect(html.replaceAll(draftBase, `/course-assets/${version.id}/01-basics`)).toBe(learnerPage.bodyHtml);
    // The page's first rendering is the same.
    expect(editor.previews.en).toBe(html);

    const image = (await draftFileRoute.loader({ request: await signedIn(ana.id, `${draftBase}/images/diagram.png`), params: { slug, "*": "01-basics/images/diagram.png" }, context: {} } as never)) as Response;
    expect(image.headers.get("Content-Type")).toBe("image/png");
  });

  it("works without JavaScript: the Preview button renders every column of the posted form", async () => {
    const slug = "lesson-editor-preview-nojs";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const page = await loadLesson(ana.id, slug);
    const typed = edit(page.values, (c) => ({ body: `## Typed in ${c.locale}` }));
    const result = await postLesson(ana.id, slug, lessonForm(typed, "preview"));
    expect(result).toMatchObject({ intent: "preview", previews: { sl: "<h2>Typed in sl</h2>", en: "<h2>Typed in en</h2>" } });
    expect((await draftFile(slug, "01-basics/01-what-is-it.sl.md"))?.revision).toBe(1);
  });
});

describe("who may use the editor's routes", () => {
  it("refuses learners and other organisations' trainers the draft's files, the preview and the editor", async () => {
    const slug = "lesson-editor-access";
    await ownedCourse(slug);
    await openDraft({ actor: person("Ana Novak"), slug });
    const path = "01-basics/images/diagram.png";
    const getFile = async (userId: string) => draftFileRoute.loader({ request: await signedIn(userId, `/author/courses/${slug}/draft-files/${path}`), params: { slug, "*": path }, context: {} } as never);
    const previewAs = (userId: string) => {
      const form = new FormData();
      form.set("folder", "01-basics");
      form.set("locale", "en");
      form.set("markdown", "![x](images/diagram.png)");
      return post(previewRoute, userId, `/author/courses/${slug}/markdown-preview`, { slug }, form);
    };
    for (const outsider of [hospital.people["Cene Learner"]!.id, otherHospital.people["Dora Other"]!.id]) {
      expect(await refusal(getFile(outsider))).toBe(403);
      expect((await previewAs(outsider)).init?.status).toBe(403);
      expect(await refusal(loadLesson(outsider, slug))).toBe(403);
    }
    const anonymous = await draftFileRoute.loader({ request: new Request(`http://opora.test/author/courses/${slug}/draft-files/${path}`), params: { slug, "*": path }, context: {} } as never).then(
      (value) => value,
      (thrown) => thrown,
    );
    expect((anonymous as Response).status).toBe(302);
    expect(((await getFile(person("Barbara Kos").id)) as Response).status).toBe(200);
    // Only media: the draft's texts and paths outside the folder are not served.
    expect(await refusal(draftFileRoute.loader({ request: await signedIn(person("Ana Novak").id, `/author/courses/${slug}/draft-files/course.yaml`), params: { slug, "*": "course.yaml" }, context: {} } as never))).toBe(404);
    expect(await refusal(draftFileRoute.loader({ request: await signedIn(person("Ana Novak").id, `/author/courses/${slug}/draft-files/../x`), params: { slug, "*": "../x" }, context: {} } as never))).toBe(404);
  });
});

describe("the translations view", () => {
  it("counts what each language lacks, per course and per file, and filters to what is missing", async () => {
    const slug = "lesson-editor-translations";
    await ownedCourse(slug);
    const ana = person("Ana Novak");
    const { files } = await openDraft({ actor: ana, slug });
    const file = (path: string) => files.find((f) => f.path === path)!;
    const moduleYaml = file("01-basics/module.yaml");
    await saveDraftFiles({
      actor: ana,
      slug,
      changes: [
        { path: "01-basics/02-signs.en.md", expectedRevision: file("01-basics/02-signs.en.md").revision, remove: true },
        { path: moduleYaml.path, expectedRevision: moduleYaml.revision, text: moduleYaml.text!.replace("title: { sl: Osnove, en: Basics }", "title: { sl: Osnove, en: '' }") },
      ],
    });
    const view = async (search: string) => translationsRoute.loader({ request: await signedIn(ana.id, `/author/courses/${slug}/translations${search}`), params: { slug }, context: {} } as never);

    const all = await view("");
    expect(all.total).toBe(2);
    expect(all.byLocale).toEqual({ sl: 0, en: 2 });
    expect(all.files.length).toBe(all.fileCount);
    expect(all.files.find((f) => f.path === "course.yaml")).toMatchObject({ kind: "course", missing: [] });

    const missing = await view("?missing=1");
    expect(missing.files.map((f) => [f.path, f.missing.map((gap) => `${gap.locale}:${gap.kind}:${gap.where}`)])).toEqual([
      ["01-basics/module.yaml", ["en:text:title"]],
      ["01-basics/02-signs.en.md", ["en:file:"]],
    ]);
    expect((await view("?missing=1&locale=sl")).files).toEqual([]);
    expect(await refusal(translationsRoute.loader({ request: new Request(`http://opora.test/author/courses/${slug}/translations`), params: { slug }, context: {} } as never))).toBe(302);
    const outsider = await signedIn(otherHospital.people["Dora Other"]!.id, `/author/courses/${slug}/translations`);
    expect(await refusal(translationsRoute.loader({ request: outsider, params: { slug }, context: {} } as never))).toBe(403);
  });
});
