import { type ChildProcess, spawn } from "node:child_process";
import { expect, it } from "vitest";
import { issueCertificate } from "../../app/certificates/issue-certificate.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers } from "../support/factories.ts";
import { inbox } from "../support/smtp.ts";

// The scheduled sweep runs in every app process (pg-boss schedules it once, but the start-up sweep
// and a slow sweep overlapping the next one run it twice). Here two separate processes, each with
// its own connection pool, sweep the same due reminders at the same moment; every person must get
// each notice once, at the real SMTP server.

const AT = "2027-01-11T08:00:00Z"; // Monday 09:00 in Ljubljana: reminders and the weekly digest are due

function sweeper() {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/sweep-child.ts", AT], { env: process.env, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => output.includes("ready") && resolve());
    child.once("exit", () => reject(new Error(`the sweeper exited before it was ready:\n${output}`)));
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once("exit", (code) => resolve({ code, output })));
  return { child, ready, done };
}

function start(child: ChildProcess) {
  child.stdin?.write("go\n");
}

it("sends each due notice once when two processes sweep at the same moment", { timeout: 60_000 }, async () => {
  await importFixtureCourse("sweep-processes");
  const course = await db.course.findUniqueOrThrow({ where: { slug: "sweep-processes" }, select: { id: true, versions: { select: { id: true } } } });
  const learners = ["l0", "l1", "l2", "l3", "l4", "l5"];
  const holders = ["h0", "h1", "h2", "h3"];
  const newlyCertified = ["n0", "n1"];
  const { organisation, people } = await createOrganisationWithMembers(Object.fromEntries([["boss", ["ORGANISER"]], ...[...learners, ...holders, ...newlyCertified].map((key) => [key, ["LEARNER"]])]));
  const enrolment = (userId: string, data: { source: "ASSIGNED" | "SELF"; createdAt: string; dueAt?: string; completedAt?: string }) =>
    db.enrolment.create({
      data: { userId, courseId: course.id, courseVersionId: course.versions[0].id, organisationId: organisation.id, source: data.source, createdAt: new Date(data.createdAt), dueAt: data.dueAt ? new Date(data.dueAt) : null, completedAt: data.completedAt ? new Date(data.completedAt) : null },
      select: { id: true },
    });
  // Assigned yesterday, due on Friday: "assigned" and "due within 7 days".
  for (const key of learners) await enrolment(people[key].id, { source: "ASSIGNED", createdAt: "2027-01-10T10:00:00Z", dueAt: "2027-01-15T22:59:59.999Z" });
  // Certified two years ago: the certificate expires in 30 days.
  for (const key of holders) {
    const { id } = await enrolment(people[key].id, { source: "SELF", createdAt: "2025-02-01T08:00:00Z", completedAt: "2025-02-10T08:00:00Z" });
    await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: id, now: new Date("2025-02-10T08:00:00Z") }));
  }
  // Certified on Saturday, and the job that should have told them was lost: the sweep catches up.
  for (const key of newlyCertified) {
    const { id } = await enrolment(people[key].id, { source: "SELF", createdAt: "2027-01-02T08:00:00Z", completedAt: "2027-01-09T08:00:00Z" });
    await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: id, now: new Date("2027-01-09T08:00:00Z") }));
  }

  const sweepers = [sweeper(), sweeper()];
  await Promise.all(sweepers.map((s) => s.ready));
  for (const s of sweepers) start(s.child);
  const results = await Promise.all(sweepers.map((s) => s.done));
  expect(results.map((r) => r.code), results.map((r) => r.output).join("\n")).toEqual([0, 0]);
  // Both processes sent some (they raced; neither found everything done before it started).
  expect(results.map((r) => r.output.includes("[jobs]") && r.output.includes("done"))).toEqual([true, true]);

  const subjects = (key: string) => inbox(people[key].email).map((m) => m.subject).sort();
  for (const key of learners) {
    expect(subjects(key), key).toEqual([expect.stringMatching(/^Novo usposabljanje/), expect.stringMatching(/^Rok za tečaj/)].sort((a, b) => String(a).localeCompare(String(b))));
  }
  for (const key of holders) expect(subjects(key), key).toEqual([expect.stringMatching(/poteče/)]);
  for (const key of newlyCertified) expect(subjects(key), key).toEqual([expect.stringMatching(/^Vaše potrdilo:/)]);
  expect(subjects("boss")).toEqual([expect.stringMatching(/^Usposabljanje ta teden/)]);

  // The ledger agrees: one row per notice, each marked sent.
  const ledger = await db.notification.findMany({ where: { userId: { in: Object.values(people).map((p) => p.id) } }, select: { kind: true, milestone: true, sentAt: true } });
  expect(ledger).toHaveLength(learners.length * 2 + holders.length + newlyCertified.length + 1);
  expect(ledger.every((row) => row.sentAt !== null)).toBe(true);
});
