import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatCertificateCode, newCertificateCode } from "../../app/certificates/code.ts";
import { listAttendeeCourses, listCourseAttendees } from "../../app/cpd/attendees.server.ts";
import { setCpdTarget } from "../../app/cpd/set-cpd-target.server.ts";
import { getTranscript } from "../../app/cpd/transcript.server.ts";
import { transcriptPdfFile } from "../../app/cpd/transcript-downloads.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { createSessionCookie } from "../../app/utils/session.server.ts";
import { replaceIn } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";
import { fixtureCourseSteps } from "../support/learning.ts";

// The fixture course, counted towards the physicians' "quality, safety, ethics and communication".
const slug = "cpd-fixture";
const QSEC = "quality-safety-ethics-communication";
let steps: Awaited<ReturnType<typeof fixtureCourseSteps>>;

beforeAll(async () => {
  steps = await fixtureCourseSteps(slug, (dir) => {
    replaceIn(join(dir, "course.yaml"), "  credits: 1\n  category: { sl: Strokovno izpopolnjevanje, en: Professional development }\n", `  credits: 3\n  category: { sl: Etika in komunikacija, en: Ethics and communication }\n  categoryId: ${QSEC}\n`);
  });
});

type Actor = { id: string; isAdmin: boolean };

/** Completes the fixture course through the learner's own steps, which issues the certificate. */
async function complete(actor: Actor, clock: ReturnType<typeof fixedClock>) {
  await steps.complete(actor, clock);
  return db.certificate.findFirstOrThrow({ where: { userId: actor.id }, orderBy: { issuedAt: "desc" } });
}

let cycle = 10;
/** A certificate as an earlier completion left it (another cycle of the same course), written directly. */
async function pastCertificate(options: { userId: string; organisationId: string; issuedAt: string; credits: number; category: object; expiresOn?: string; revoked?: boolean; superseded?: boolean; holderName?: string }) {
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true, versions: { take: 1, select: { id: true } } } });
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: options.organisationId } });
  const issuedAt = new Date(options.issuedAt);
  const enrolment = await db.enrolment.create({ data: { userId: options.userId, courseId: course.id, cycle: cycle++, courseVersionId: course.versions[0].id, organisationId: organisation.id, source: "SELF", completedAt: issuedAt } });
  return db.certificate.create({
    data: {
      code: newCertificateCode(),
      enrolmentId: enrolment.id,
      userId: options.userId,
      courseId: course.id,
      courseVersionId: course.versions[0].id,
      organisationId: organisation.id,
      holderName: options.holderName ?? "Earlier Name",
      courseTitle: { sl: "Osnove prepoznavanja", en: "Recognition basics" },
      courseVersion: 1,
      issuerName: organisation.name,
      timeZone: "Europe/Ljubljana",
      issuedAt,
      expiresOn: options.expiresOn ?? "2027-12-31",
      cpdCredits: options.credits,
      cpdCategory: options.category,
      revokedAt: options.revoked ? new Date(issuedAt.getTime() + 864e5) : null,
      revocationReason: options.revoked ? "Completed on another person's account" : null,
      supersededAt: options.superseded ? new Date(issuedAt.getTime() + 864e5) : null,
    },
  });
}

async function signedIn(userId: string, path: string) {
  const cookie = await createSessionCookie(new Request("http://opora.test/"), userId);
  return new Request(`http://opora.test${path}`, { headers: { Cookie: cookie.split(";")[0] } });
}

const pdfText = (bytes: Uint8Array) => {
  const file = join(mkdtempSync(join(tmpdir(), "opora-transcript-")), "transcript.pdf");
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
};

describe("a physician's transcript", () => {
  const transcriptClock = fixedClock("2026-04-01T10:00:00Z");
  let setup: Awaited<ReturnType<typeof createPhysician>>;

  async function createPhysician() {
    const { organisation, people } = await createOrganisationWithMembers({ physician: ["LEARNER"] });
    // A hospital name a spreadsheet would run as a formula; the transcript CSV must not.
    await db.organisation.update({ where: { id: organisation.id }, data: { name: "=cmd|' /C calc'!A0 Bolnišnica" } });
    await db.user.update({ where: { id: people.physician.id }, data: { name: "Čačič Šuštar Žužek", profession: "PHYSICIAN", licenceNumber: "ZZS-12345" } });
    const actor = { id: people.physician.id, isAdmin: false };
    const completed = await complete(actor, fixedClock("2026-03-10T09:00:00Z"));
    const base = { userId: actor.id, organisationId: organisation.id };
    const licensed = { sl: "Vsebine s področja licence", en: "Content in the licensed field", id: "licensed-field" };
    const past = {
      licensed: await pastCertificate({ ...base, issuedAt: "2025-06-01T08:00:00Z", credits: 40, category: licensed }),
      beforePeriod: await pastCertificate({ ...base, issuedAt: "2024-01-15T08:00:00Z", credits: 10, category: licensed, expiresOn: "2026-01-15" }),
      // 23:30 UTC on 29 February is 1 March in Ljubljana: the first day of the licence period.
      firstDay: await pastCertificate({ ...base, issuedAt: "2024-02-29T23:30:00Z", credits: 0.5, category: licensed }),
      // Issued before courses carried a category id: matched by the category's name.
      byName: await pastCertificate({ ...base, issuedAt: "2025-09-01T08:00:00Z", credits: 2, category: { sl: "Kakovost, varnost, etika in komunikacija", en: "Quality, safety, ethics and communication" } }),
      revoked: await pastCertificate({ ...base, issuedAt: "2025-10-01T08:00:00Z", credits: 20, category: licensed, revoked: true }),
      superseded: await pastCertificate({ ...base, issuedAt: "2025-02-01T08:00:00Z", credits: 1, category: { sl: "Strokovno izpopolnjevanje", en: "Professional development" }, superseded: true }),
    };
    await setCpdTarget({ actor, schemeId: "zzs-physicians", periodStartsOn: "2024-03-01", targetCredits: null, clock: transcriptClock });
    return { actor, organisation, completed, past };
  }

  beforeAll(async () => {
    setup = await createPhysician();
  });

  it("carries the course's category id into the certificate snapshot", () => {
    expect(setup.completed.cpdCategory).toEqual({ sl: "Etika in komunikacija", en: "Ethics and communication", id: QSEC });
    expect(setup.completed.cpdCredits).toBe(3);
  });

  it("totals the current licence period per category against 75 credits, without the revoked certificate", async () => {
    const transcript = await getTranscript({ actor: setup.actor, clock: transcriptClock });
    expect(transcript.period).toEqual({ from: "2024-03-01", to: "2031-02-28" });
    expect(transcript.isDefaultPeriod).toBe(true);
    expect(transcript.entries.map((e) => [e.issuedOn, e.credits, e.state, e.counted])).toEqual([
      ["2024-03-01", 0.5, "valid", true],
      ["2025-02-01", 1, "superseded", true],
      ["2025-06-01", 40, "valid", true],
      ["2025-09-01", 2, "valid", true],
      ["2025-10-01", 20, "revoked", false],
      ["2026-03-10", 3, "valid", true],
    ]);
    expect(transcript.summary).toMatchObject({ total: 46.5, target: 75, percent: 62, remaining: 28.5, otherCredits: 1, met: false });
    expect(transcript.summary.categories.map((c) => [c.id, c.credits, c.minCredits, c.met])).toEqual([
      ["licensed-field", 40.5, 50, false],
      [QSEC, 5, 5, true],
    ]);
  });

  it("filters by a chosen period, or none, and refuses bad dates with a 400 message", async () => {
    const autumn = await getTranscript({ actor: setup.actor, query: { from: "2025-07-01", to: "2025-12-31" }, clock: transcriptClock });
    expect(autumn.entries.map((e) => e.issuedOn)).toEqual(["2025-09-01", "2025-10-01"]);
    expect(autumn.summary).toMatchObject({ total: 2, remaining: 73 });
    expect(autumn.summary.categories.find((c) => c.id === QSEC)).toMatchObject({ credits: 2, met: false, missing: 3 });

    const allTime = await getTranscript({ actor: setup.actor, query: { from: "", to: "" }, clock: transcriptClock });
    expect(allTime.period).toEqual({ from: null, to: null });
    expect(allTime.summary.total).toBe(56.5);
    expect(allTime.entries.find((e) => e.issuedOn === "2024-01-15")?.state).toBe("expired");

    await expect(getTranscript({ actor: setup.actor, query: { from: "2025-02-30" } })).rejects.toMatchObject({ code: "INVALID", messageKey: "cpd.invalidDate", field: "from" });
    await expect(getTranscript({ actor: setup.actor, query: { from: "2025-06-01", to: "2025-01-01" } })).rejects.toMatchObject({ code: "INVALID", messageKey: "cpd.periodOrder", field: "to" });

    const { loader } = await import("../../app/routes/cpd/transcript.tsx");
    const page = (await loader({ request: await signedIn(setup.actor.id, "/me/transcript?from=31.12.2025"), params: {}, context: {} } as never)) as unknown as { init: { status: number }; data: { periodError: unknown; period: unknown } };
    expect(page.init.status).toBe(400);
    expect(page.data.periodError).toEqual({ field: "from", message: "cpd.invalidDate" });
    expect(page.data.period).toEqual({ from: "2024-03-01", to: "2031-02-28" });

    const csv = await import("../../app/routes/cpd/transcript-csv.ts");
    const refused = await csv.loader({ request: await signedIn(setup.actor.id, "/me/transcript.csv?to=2025-13-01"), params: {}, context: {} } as never);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe("Do: Datum ni veljaven. Uporabite obliko LLLL-MM-DD, na primer 2026-03-31.\n");
  });

  it("downloads as CSV for Excel: BOM, Slovene headers, formula-proof fields, revoked marked as not counted", async () => {
    const { loader } = await import("../../app/routes/cpd/transcript-csv.ts");
    const response = await loader({ request: await signedIn(setup.actor.id, "/me/transcript.csv?from=2025-06-01&to=2025-12-31"), params: {}, context: {} } as never);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="opora-cpd-transcript-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]).toBe("Tečaj;Izdajatelj;Datum izdaje;Veljavno do;Točke;Kategorija;Stanje;Šteje v seštevek;Koda potrdila;Preverjanje");
    const revoked = setup.past.revoked.code;
    expect(lines.slice(1)).toEqual([
      `Osnove prepoznavanja;'=cmd|' /C calc'!A0 Bolnišnica;2025-06-01;2027-12-31;40;Vsebine s področja licence;Veljavno;da;${formatCertificateCode(setup.past.licensed.code)};http://opora.test/verify/${setup.past.licensed.code}`,
      `Osnove prepoznavanja;'=cmd|' /C calc'!A0 Bolnišnica;2025-09-01;2027-12-31;2;Kakovost, varnost, etika in komunikacija;Veljavno;da;${formatCertificateCode(setup.past.byName.code)};http://opora.test/verify/${setup.past.byName.code}`,
      `Osnove prepoznavanja;'=cmd|' /C calc'!A0 Bolnišnica;2025-10-01;2027-12-31;20;Vsebine s področja licence;Preklicano;ne;${formatCertificateCode(revoked)};http://opora.test/verify/${revoked}`,
      "",
    ]);
  });

  it("downloads as an A4 PDF naming the holder, licence, period, each certificate's verification address and the totals", async () => {
    const { bytes, filename } = await transcriptPdfFile({ actor: setup.actor, query: {}, locale: "sl", clock: transcriptClock });
    expect(filename).toBe("opora-cpd-transcript-2026-04-01.pdf");
    const { PDFDocument } = await import("pdf-lib");
    const firstPage = (await PDFDocument.load(bytes)).getPage(0);
    expect([Math.round(firstPage.getWidth()), Math.round(firstPage.getHeight())]).toEqual([595, 842]);
    const text = pdfText(bytes);
    expect(text).toContain("Pregled kreditnih točk");
    expect(text).toContain("Čačič Šuštar Žužek");
    expect(text).toContain("ZZS-12345");
    expect(text).toContain("Zdravnik / zdravnica");
    expect(text).toContain("Zdravniška zbornica Slovenije – podaljšanje licence zdravnika");
    expect(text).toContain("Zbrano: 46,5 od 75");
    expect(text).toContain("Kakovost, varnost, etika in komunikacija: 5 (najmanj 5; doseženo)");
    expect(text).toContain("Vsebine s področja licence: 40,5 (najmanj 50; manjka 9,5)");
    expect(text).toContain("Do skupnega cilja manjka še 28,5.");
    expect(text).toContain(`http://opora.test/verify/${setup.completed.code}`);
    expect(text).toContain("Izdelano 1. april 2026");

    const english = pdfText((await transcriptPdfFile({ actor: setup.actor, query: {}, locale: "en", clock: transcriptClock })).bytes);
    expect(english).toContain("CPD transcript");
    expect(english).toContain("Collected: 46.5 of 75");
  });
});

describe("setting a CPD target", () => {
  const clock = fixedClock("2026-04-01T10:00:00Z");

  it("refuses an unknown scheme, a future start, and an own target outside 1–1000; keeps an own target", async () => {
    const user = await createUser({ name: "Nina Novak" });
    const actor = { id: user.id, isAdmin: false };
    await expect(setCpdTarget({ actor, schemeId: "no-such-scheme", periodStartsOn: null, targetCredits: null, clock })).rejects.toMatchObject({ code: "INVALID", field: "schemeId", messageKey: "cpd.unknownScheme" });
    await expect(setCpdTarget({ actor, schemeId: "zzs-physicians", periodStartsOn: "2026-04-02", targetCredits: null, clock })).rejects.toMatchObject({ field: "periodStartsOn", messageKey: "cpd.startInFuture" });
    await expect(setCpdTarget({ actor, schemeId: "custom", periodStartsOn: null, targetCredits: null, clock })).rejects.toMatchObject({ field: "targetCredits", messageKey: "cpd.targetRequired" });
    for (const credits of [0, 1001]) await expect(setCpdTarget({ actor, schemeId: "custom", periodStartsOn: null, targetCredits: credits, clock })).rejects.toMatchObject({ field: "targetCredits", messageKey: "cpd.targetRange" });

    await setCpdTarget({ actor, schemeId: "custom", periodStartsOn: "2026-01-01", targetCredits: 40, clock });
    const transcript = await getTranscript({ actor, clock });
    expect(transcript.period).toEqual({ from: "2026-01-01", to: null });
    expect(transcript.summary).toMatchObject({ total: 0, target: 40, percent: 0, categories: [] });

    // A fixed scheme ignores an own number; clearing removes everything.
    await setCpdTarget({ actor, schemeId: "zzs-physicians", periodStartsOn: null, targetCredits: 40, clock });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { cpdSchemeId: true, cpdTargetCredits: true } })).toEqual({ cpdSchemeId: "zzs-physicians", cpdTargetCredits: null });
    await setCpdTarget({ actor, schemeId: "", periodStartsOn: null, targetCredits: null, clock });
    expect((await getTranscript({ actor, clock })).summary.target).toBeNull();
  });

  it("answers the page's form with field errors and status 400", async () => {
    const user = await createUser();
    const { action } = await import("../../app/routes/cpd/transcript.tsx");
    const post = async (fields: Record<string, string>) => {
      const request = await signedIn(user.id, "/me/transcript");
      const form = new Request(request.url, { method: "POST", headers: request.headers, body: new URLSearchParams({ intent: "target", ...fields }) });
      return (await action({ request: form, params: {}, context: {} } as never)) as unknown as { init?: { status: number }; data?: { fieldErrors: Record<string, string[]> }; message?: string };
    };
    expect(await post({ schemeId: "custom", targetCredits: "abc" })).toMatchObject({ init: { status: 400 }, data: { fieldErrors: { targetCredits: ["cpd.targetRange"] } } });
    expect(await post({ schemeId: "zzs-physicians", periodStartsOn: "2026-02-30" })).toMatchObject({ init: { status: 400 }, data: { fieldErrors: { periodStartsOn: ["cpd.invalidDate"] } } });
    expect(await post({ schemeId: "made-up" })).toMatchObject({ init: { status: 400 }, data: { fieldErrors: { schemeId: ["cpd.unknownScheme"] } } });
    expect(await post({ schemeId: "custom", targetCredits: "37,5" })).toMatchObject({ message: "cpd.targetSaved" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { cpdTargetCredits: true } })).toEqual({ cpdTargetCredits: 37.5 });
  });
});

describe("the organiser's attendee list", () => {
  it("lists this organisation's non-revoked certificates of a course in a period as CSV, and nobody else's", async () => {
    const a = await createOrganisationWithMembers({ organiser: ["ORGANISER"], trainer: ["TRAINER"], learner: ["LEARNER"], physician: ["LEARNER"] });
    const b = await createOrganisationWithMembers({ organiser: ["ORGANISER"], learner: ["LEARNER"] });
    const admin = await createUser({ isAdmin: true });
    await db.user.update({ where: { id: a.people.physician.id }, data: { name: "Čačič Šuštar Žužek", profession: "PHYSICIAN", licenceNumber: "ZZS-777" } });
    const physician = await complete({ id: a.people.physician.id, isAdmin: false }, fixedClock("2026-03-10T09:00:00Z"));
    const formula = await pastCertificate({ userId: a.people.learner.id, organisationId: a.organisation.id, issuedAt: "2026-02-01T08:00:00Z", credits: 1.5, category: {}, holderName: '=HYPERLINK("http://evil.example","Klikni")' });
    await pastCertificate({ userId: a.people.learner.id, organisationId: a.organisation.id, issuedAt: "2026-02-15T08:00:00Z", credits: 3, category: {}, holderName: "Revoked Person", revoked: true });
    await pastCertificate({ userId: a.people.learner.id, organisationId: a.organisation.id, issuedAt: "2025-05-15T08:00:00Z", credits: 3, category: {}, holderName: "Last Year" });
    await pastCertificate({ userId: b.people.learner.id, organisationId: b.organisation.id, issuedAt: "2026-03-01T08:00:00Z", credits: 3, category: {}, holderName: "Other Hospital" });

    const { loader } = await import("../../app/routes/org/attendees-csv.ts");
    const get = async (userId: string, search: string) => loader({ request: await signedIn(userId, `/org/${a.organisation.id}/attendees.csv${search}`), params: { orgId: a.organisation.id }, context: {} } as never);

    const response = await get(a.people.organiser.id, `?course=${slug}&from=2026-01-01&to=2026-12-31`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="opora-attendees-${slug}-`));
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3)).split("\r\n")).toEqual([
      "Ime in priimek;Številka licence;Poklic;Datum zaključka;Točke;Koda potrdila",
      `"'=HYPERLINK(""http://evil.example"",""Klikni"")";;Medicinska sestra / zdravstvenik;2026-02-01;1,5;${formatCertificateCode(formula.code)}`,
      `Čačič Šuštar Žužek;ZZS-777;Zdravnik / zdravnica;2026-03-10;3;${formatCertificateCode(physician.code)}`,
      "",
    ]);

    expect(await listAttendeeCourses({ actor: a.people.organiser, organisationId: a.organisation.id })).toEqual([{ slug, title: { sl: "Osnove prepoznavanja", en: "Recognition basics" } }]);
    const adminList = await listCourseAttendees({ actor: admin, organisationId: a.organisation.id, query: { course: slug } });
    expect(adminList.map((row) => row.name)).toEqual(["Last Year", '=HYPERLINK("http://evil.example","Klikni")', "Čačič Šuštar Žužek"]);

    // Organisation B cannot tell organisation A exists; A's learners and trainers are refused.
    expect((await get(b.people.organiser.id, `?course=${slug}`)).status).toBe(404);
    expect((await get(a.people.learner.id, `?course=${slug}`)).status).toBe(403);
    expect((await get(a.people.trainer.id, `?course=${slug}`)).status).toBe(403);
    await expect(listCourseAttendees({ actor: { id: b.people.organiser.id, isAdmin: false }, organisationId: a.organisation.id, query: { course: slug } })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const badDate = await get(a.people.organiser.id, `?course=${slug}&from=2026-02-30`);
    expect(badDate.status).toBe(400);
    expect(await badDate.text()).toBe("Od: Datum ni veljaven. Uporabite obliko LLLL-MM-DD, na primer 2026-03-31.\n");
    const unknownCourse = await get(a.people.organiser.id, "?course=no-such-course");
    expect(unknownCourse.status).toBe(400);
    expect(await unknownCourse.text()).toBe("Tečaj: Izberite tečaj s seznama.\n");
  });
});
