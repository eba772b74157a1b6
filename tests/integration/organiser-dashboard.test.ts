import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { getDashboard } from "../../app/organisers/dashboard.server.ts";
import { exportPeople, listPeople, PeopleQuerySchema } from "../../app/organisers/people.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { importFixtureCourse, replaceIn } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";

const slug = "dashboard-fixture";
let courseId: string;
let versionId: string;
const NOW = "2027-03-01T10:00:00Z";
const clock = fixedClock(NOW);

beforeAll(async () => {
  await importFixtureCourse(slug);
  const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { id: true, versions: { select: { id: true } } } });
  courseId = course.id;
  versionId = course.versions[0].id;
});

type State = "none" | "not_started" | "in_progress" | "overdue" | "completed" | "certified" | "expiring" | "expired";

/** One person per state, in two departments, with enrolments and certificates written directly. */
async function hospital() {
  const { organisation, people } = await createOrganisationWithMembers({
    boss: ["ORGANISER"],
    none: ["LEARNER"],
    not_started: ["LEARNER"],
    in_progress: ["LEARNER"],
    overdue: ["LEARNER"],
    completed: ["LEARNER"],
    certified: ["LEARNER"],
    expiring: ["LEARNER"],
    expired: ["LEARNER"],
    formula: ["LEARNER"],
  });
  const [emergency, paediatrics] = organisation.departments;
  const states: State[] = ["none", "not_started", "in_progress", "overdue", "completed", "certified", "expiring", "expired"];
  for (const [index, state] of states.entries()) {
    const userId = people[state].id;
    await db.membership.updateMany({ where: { userId, organisationId: organisation.id }, data: { departmentId: index % 2 ? paediatrics.id : emergency.id } });
    if (state === "none") continue;
    const enrolled = new Date("2026-01-10T08:00:00Z");
    const started = state === "not_started" ? null : enrolled;
    const finished = ["completed", "certified", "expiring", "expired"].includes(state);
    // Issued so that, on 1 March 2027, the 24-month certificate is valid / expires within 30 days / has expired.
    const issuedAt = { certified: "2026-06-01T08:00:00Z", expiring: "2025-03-20T08:00:00Z", expired: "2025-01-05T08:00:00Z", completed: "2026-02-01T08:00:00Z" }[state as string];
    const enrolment = await db.enrolment.create({
      data: { userId, courseId, courseVersionId: versionId, organisationId: organisation.id, source: state === "overdue" || state === "not_started" ? "ASSIGNED" : "SELF", createdAt: enrolled, startedAt: started, completedAt: finished ? new Date(issuedAt!) : null, dueAt: state === "overdue" ? new Date("2027-02-01T00:00:00Z") : state === "not_started" ? new Date("2027-06-01T00:00:00Z") : null },
    });
    if (["certified", "expiring", "expired"].includes(state)) await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: enrolment.id, now: new Date(issuedAt!) }));
  }
  await db.user.update({ where: { id: people.formula.id }, data: { name: "=HYPERLINK(\"http://x\")" } });
  return { organisation, people, emergency, paediatrics, organiser: { id: people.boss.id, isAdmin: false } };
}

describe("organiser dashboard", () => {
  it("counts people, statuses and certificate expiry, and narrows by department and profession", async () => {
    const { organisation, organiser, emergency } = await hospital();
    const all = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: {}, clock });
    expect(all.counts).toEqual({ people: 10, enrolled: 7, assigned: 2, notStarted: 1, inProgress: 2, completed: 4, overdue: 1, certified: 2, expiring30: 1, expiring60: 1, expiring90: 1, expired: 1 });
    // Odd positions (not_started, overdue, certified, expired) are in Paediatrics; boss and formula have no department.
    expect(all.byDepartment).toEqual([
      { departmentId: emergency.id, name: "Emergency", people: 4, completed: 2, certified: 1, overdue: 0 },
      { departmentId: organisation.departments[1].id, name: "Paediatrics", people: 4, completed: 2, certified: 1, overdue: 1 },
      { departmentId: null, name: null, people: 2, completed: 0, certified: 0, overdue: 0 },
    ]);

    const emergencyOnly = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { department: emergency.id }, clock });
    // none, in_progress, completed, expiring are in Emergency (even positions).
    expect(emergencyOnly.counts).toMatchObject({ people: 4, enrolled: 3, completed: 2, certified: 1, expiring30: 1 });
    expect(emergencyOnly.byDepartment.map((d) => d.name)).toEqual(["Emergency"]);

    const physicians = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { profession: "PHYSICIAN" }, clock });
    expect(physicians.counts).toMatchObject({ people: 0, enrolled: 0, certified: 0 });

    // The period narrows enrolments by when they were made and certificates by when they were issued.
    const lastYear = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { from: "2026-05-01", to: "2026-12-31" }, clock });
    expect(lastYear.counts).toMatchObject({ enrolled: 0, certified: 1, expired: 0 });
  });

  it("counts a person once in their department however many courses they have", async () => {
    const { organisation, organiser, people, emergency } = await hospital();
    await importFixtureCourse("dashboard-second");
    const second = await db.course.findUniqueOrThrow({ where: { slug: "dashboard-second" }, select: { id: true, versions: { select: { id: true } } } });
    // "completed" (Emergency) also completes and "in_progress" (Emergency) falls overdue in a second course.
    for (const [state, data] of [["completed", { startedAt: new Date("2026-02-01T08:00:00Z"), completedAt: new Date("2026-02-02T08:00:00Z") }], ["in_progress", { startedAt: new Date("2026-02-01T08:00:00Z"), dueAt: new Date("2027-01-01T00:00:00Z") }]] as const) {
      await db.enrolment.create({ data: { userId: people[state].id, courseId: second.id, courseVersionId: second.versions[0].id, organisationId: organisation.id, source: "ASSIGNED", ...data } });
    }
    const both = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: {}, clock });
    expect(both.counts).toMatchObject({ enrolled: 9, completed: 5, overdue: 1 + 1 });
    expect(both.byDepartment.find((d) => d.departmentId === emergency.id)).toMatchObject({ people: 4, completed: 2, overdue: 1 });
    const secondOnly = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { course: second.id }, clock });
    expect(secondOnly.counts).toMatchObject({ enrolled: 2, completed: 1, overdue: 1, certified: 0 });
    expect(secondOnly.byDepartment.find((d) => d.departmentId === emergency.id)).toMatchObject({ people: 4, completed: 1, overdue: 1 });
  });

  it("is only for the organisation's organisers and admins", async () => {
    const { organisation, people } = await hospital();
    const other = await createOrganisationWithMembers({ bossB: ["ORGANISER"] });
    await expect(getDashboard({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: organisation.id, filter: {}, clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getDashboard({ actor: { id: people.certified.id, isAdmin: false }, organisationId: organisation.id, filter: {}, clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listPeople({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: organisation.id, query: PeopleQuerySchema.parse({}), clock })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(exportPeople({ actor: { id: people.certified.id, isAdmin: false }, organisationId: organisation.id, query: PeopleQuerySchema.parse({}), locale: "sl", format: "csv", clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A department of another organisation cannot be used to probe it.
    await expect(getDashboard({ actor: { id: other.people.bossB.id, isAdmin: false }, organisationId: other.organisation.id, filter: { department: organisation.departments[0].id }, clock })).rejects.toMatchObject({ code: "INVALID" });
  });
});

describe("people list and export", () => {
  it("shows each person's status in the course, filters, sorts by urgency and pages", async () => {
    const { organisation, organiser, people } = await hospital();
    const query = (input: Record<string, unknown>) => PeopleQuerySchema.parse(input);
    const list = await listPeople({ actor: organiser, organisationId: organisation.id, query: query({}), clock });
    expect(list.total).toBe(10);
    const statusOf = new Map(list.rows.map((r) => [r.id, r.status]));
    for (const state of ["none", "not_started", "in_progress", "overdue", "completed", "certified", "expiring", "expired"] as const) expect(statusOf.get(people[state].id), state).toBe(state);

    const overdue = await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ status: "overdue" }), clock });
    expect(overdue.rows.map((r) => r.id)).toEqual([people.overdue.id]);
    expect(overdue).toMatchObject({ total: 1, pages: 1 });
    // Past the last page of a status filter: no rows, and still the count of the matching people.
    expect(await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ status: "overdue", page: 3 }), clock })).toMatchObject({ rows: [], total: 1, pages: 1 });
    const none = await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ status: "none" }), clock });
    expect(none.rows.map((r) => r.status)).toEqual(Array(none.total).fill("none"));
    expect(none.rows.map((r) => r.id)).toContain(people.none.id);
    const urgent = await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ sort: "status" }), clock });
    expect(urgent.rows.slice(0, 3).map((r) => r.status)).toEqual(["overdue", "expired", "expiring"]);
    const found = await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ q: "EXPIR" }), clock });
    expect(found.rows.map((r) => r.name).sort()).toEqual(["expired", "expiring"]);
    // A search with SQL wildcards matches them literally.
    expect((await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ q: "%" }), clock })).total).toBe(0);
    expect((await listPeople({ actor: organiser, organisationId: organisation.id, query: query({ page: 2 }), clock })).rows).toHaveLength(0);
  });

  it("exports every person as CSV for Slovene Excel, streamed in batches, formula-safe", async () => {
    const { organisation, organiser, people } = await hospital();
    // More people than one batch (2,000), in a second organisation-sized run.
    const extra = Array.from({ length: 2_100 }, (_, i) => ({ id: `bulk-${organisation.id}-${i}`, email: `bulk-${i}-${organisation.id}@example.org`, name: `Bulk ${String(i).padStart(4, "0")}`, profession: "NURSE" as const }));
    await db.user.createMany({ data: extra });
    await db.membership.createMany({ data: extra.map((u) => ({ userId: u.id, organisationId: organisation.id, roles: ["LEARNER"] })) });
    const { stream, filename } = await exportPeople({ actor: organiser, organisationId: organisation.id, query: PeopleQuerySchema.parse({ course: courseId }), locale: "sl", format: "csv", clock });
    expect(filename).toBe(`opora-${slug}-2027-03-01.csv`);
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs
    const lines = new TextDecoder().decode(bytes).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(1 + 10 + 2_100);
    expect(lines[0].split(";")[0]).toBe("Ime in priimek");
    expect(new Set(lines).size).toBe(lines.length);
    const certified = lines.find((l) => l.startsWith(`${people.certified.name};`))!;
    expect(certified).toContain(";S potrdilom;");
    expect(certified).toMatch(/;[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4};2028-06-01$/);
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://x"")";`))).toBe(true);
    const audit = await db.auditEvent.count({ where: { organisationId: organisation.id, action: "people.export" } });
    expect(audit).toBe(1);
  });
});

describe("course report", () => {
  it("shows how far people get, module by module, and how the quizzes go, for the organisation's organisers", async () => {
    const { fixtureCourseSteps } = await import("../support/learning.ts");
    const { getCourseReport } = await import("../../app/organisers/course-report.server.ts");
    const { completeLesson } = await import("../../app/domain/record-lesson-progress.server.ts");
    const { enrol } = await import("../../app/domain/enrol.server.ts");
    const { startRenewal } = await import("../../app/domain/renew.server.ts");
    // The lesson "signs" gets a module of its own, so the course has two modules before the refresher.
    const steps = await fixtureCourseSteps("report-fixture", (dir) => {
      mkdirSync(join(dir, "03-signs"));
      for (const locale of ["sl", "en"]) renameSync(join(dir, `01-basics/02-signs.${locale}.md`), join(dir, `03-signs/01-signs.${locale}.md`));
      writeFileSync(join(dir, "03-signs/module.yaml"), "id: signs\ntitle: { sl: Znaki, en: Signs }\noutcomes: [recognise-indicators]\nitems:\n  - lesson: 01-signs\n");
      replaceIn(join(dir, "01-basics/module.yaml"), "  - lesson: 02-signs\n", "");
      replaceIn(join(dir, "course.yaml"), "  - 01-basics\n", "  - 01-basics\n  - 03-signs\n");
    });
    const course = await db.course.findUniqueOrThrow({ where: { slug: "report-fixture" }, select: { id: true } });
    const { organisation, people } = await createOrganisationWithMembers({ boss: ["ORGANISER"], done: ["LEARNER"], halfway: ["LEARNER"], started: ["LEARNER"], renewing: ["LEARNER"], left: ["LEARNER"] });
    const learner = (key: string) => ({ id: people[key].id, isAdmin: false });
    const learnerClock = fixedClock("2027-01-10T10:00:00Z");
    await steps.complete(learner("done"), learnerClock);
    await steps.almostComplete(learner("halfway"), learnerClock);
    await enrol({ actor: learner("started"), slug: "report-fixture", clock: learnerClock });
    await completeLesson({ actor: learner("started"), slug: "report-fixture", itemKey: "what-is-it", secondsSpent: 60, clock: learnerClock });
    // Completed the first round and has just begun renewing: the renewal is the round that counts.
    await steps.complete(learner("renewing"), learnerClock);
    await startRenewal({ actor: learner("renewing"), slug: "report-fixture", clock: fixedClock("2028-12-20T10:00:00Z") });
    // Completed, then left the organisation.
    await steps.complete(learner("left"), learnerClock);
    await db.membership.updateMany({ where: { userId: people.left.id, organisationId: organisation.id }, data: { endedAt: new Date("2027-02-01T00:00:00Z") } });

    const organiser = { id: people.boss.id, isAdmin: false };
    const report = await getCourseReport({ actor: organiser, organisationId: organisation.id, courseId: course.id });
    expect(report).toMatchObject({ enrolled: 4, started: 3, completed: 1 });
    expect(report.funnel).toEqual([expect.objectContaining({ key: "basics", completed: 2 }), expect.objectContaining({ key: "signs", completed: 1 })]);
    expect(report.quizzes).toEqual([expect.objectContaining({ key: "basics-quiz", people: 2, passed: 2, firstTime: 2, attempts: 2, averageScore: 100 })]);
    // The same people as the overview's figures for the course.
    const { counts } = await getDashboard({ actor: organiser, organisationId: organisation.id, filter: { course: course.id }, clock: fixedClock("2028-12-20T10:00:00Z") });
    expect({ enrolled: report.enrolled, started: report.started, completed: report.completed }).toEqual({ enrolled: counts.enrolled, started: counts.enrolled - counts.notStarted, completed: counts.completed });
    await expect(getCourseReport({ actor: learner("done"), organisationId: organisation.id, courseId: course.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("XLSX export", () => {
  it("is a workbook with a header row and one row per person, text kept as text", async () => {
    const { unzipSync, strFromU8 } = await import("fflate");
    const { organisation, organiser } = await hospital();
    const { stream, filename, contentType } = await exportPeople({ actor: organiser, organisationId: organisation.id, query: PeopleQuerySchema.parse({ course: courseId }), locale: "en", format: "xlsx", clock });
    expect(filename).toBe(`opora-${slug}-2027-03-01.xlsx`);
    expect(contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const files = unzipSync(new Uint8Array(await new Response(stream).arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
    expect(sheet.match(/<row>/g)).toHaveLength(1 + 10);
    expect(sheet).toContain('<t xml:space="preserve">Full name</t>');
    // A formula-looking name is an inline string: spreadsheets show it, never run it.
    expect(sheet).toContain('<c t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;http://x&quot;)</t></is></c>');
    expect(sheet).not.toContain("<f>");
    expect(sheet).toContain("Recognition basics");
    // The same cells as the CSV: statuses in words, codes in groups of four, days.
    const text = (cell: string) => `<t xml:space="preserve">${cell}</t>`;
    expect(sheet).toContain(text("Certified"));
    expect(sheet).toMatch(/<t xml:space="preserve">[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}<\/t>/);
    expect(sheet).toContain(text("2028-06-01"));
  });
});
