import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { enrol } from "../../app/domain/enrol.server.ts";
import { commitScorm, launchScorm, runtimeLaunch } from "../../app/scorm/attempts.server.ts";
import { importScormPackage } from "../../app/scorm/import-package.server.ts";
import { packageFileResponse } from "../../app/scorm/package-files.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { buildScormFixtures } from "../../scripts/build-scorm-fixtures.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createOrganisationWithMembers, createUser } from "../support/factories.ts";

let zips: string;
const zip = (name: string) => join(zips, `${name}.zip`);
const clock = fixedClock("2027-03-01T10:00:00Z");

beforeAll(async () => {
  zips = mkdtempSync(join(tmpdir(), "opora-scorm-zips-"));
  await buildScormFixtures(zips);
});

/** A course whose first module ("basics") plays the given package, and a learner enrolled in it. */
async function courseWithPackage(slug: string, name: string) {
  await importFixtureCourse(slug);
  const result = await importScormPackage({ actor: "operator", courseSlug: slug, moduleKey: "basics", zipPath: zip(name), clock });
  const learner = await createUser();
  const actor = { id: learner.id, isAdmin: false };
  await enrol({ actor, slug, clock });
  return { result, actor };
}

const payload12 = (seq: number, core: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ seq, cmi: { core: { lesson_status: "incomplete", ...core }, ...extra }, terminated: false });

describe("importing a SCORM package", () => {
  it("stores the files by content and publishes a new course version whose module plays the package", async () => {
    const { result } = await courseWithPackage("scorm-import", "golf-like-2004-4th");
    expect(result).toMatchObject({ version: "2004", edition: "4th", scos: 3, replaced: true, courseVersion: 2 });
    const version = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: "scorm-import" }, number: 2 }, select: { modules: { select: { key: true, items: { select: { kind: true, content: true } } } } } });
    const basics = version.modules.find((m) => m.key === "basics")!;
    expect(basics.items).toEqual([expect.objectContaining({ kind: "SCORM" })]);
    const scos = (basics.items[0].content as { scos: Array<{ identifier: string; launchUrl: string }> }).scos;
    expect(scos.map((s) => s.identifier)).toHaveLength(3);
    const page = await packageFileResponse(result.packageId, scos[0].launchUrl.split("?")[0]);
    expect(page?.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(await page?.text()).toContain("<html");
    expect(await packageFileResponse(result.packageId, "no/such/file.html")).toBeNull();
    // The course's file import now leaves the trainer's version alone.
    expect(await db.course.findUniqueOrThrow({ where: { slug: "scorm-import" }, select: { editedSinceImport: true } })).toEqual({ editedSinceImport: true });
  });

  it.each([
    ["hostile-bomb", "scorm.package.ratio"],
    ["hostile-traversal", "scorm.package.unsafe_path"],
    ["hostile-absolute", "scorm.package.unsafe_path"],
    ["hostile-symlink", "scorm.package.symlink"],
    ["hostile-many-entries", "scorm.package.too_many_entries"],
    ["not-a-zip", "scorm.package.not_zip"],
    ["no-manifest", "scorm.package.no_manifest"],
    ["malformed-manifest", "scorm.manifest.malformed"],
    ["missing-resource", "scorm.manifest.missing_resource"],
    ["no-sco", "scorm.manifest.no_sco"],
  ])("refuses %s with %s and writes nothing", async (name, code) => {
    const slug = `scorm-refuse-${name}`;
    await importFixtureCourse(slug);
    const packagesBefore = await db.scormPackage.count();
    await expect(importScormPackage({ actor: "operator", courseSlug: slug, moduleKey: "basics", zipPath: zip(name), clock })).rejects.toMatchObject({ code: "INVALID", messageKey: code });
    expect(await db.scormPackage.count()).toBe(packagesBefore);
    expect(await db.courseVersion.count({ where: { course: { slug } } })).toBe(1);
    const scratch = join(process.env.STORAGE_DIR ?? ".data/storage", "tmp");
    expect(existsSync(scratch) ? readdirSync(scratch).filter((f) => f.startsWith(`${process.pid}-`) && f.includes("scorm")) : []).toEqual([]);
    expect(existsSync("/tmp/opora-scorm-absolute.txt")).toBe(false);
  });

  it("is for the course's trainers and admins only", async () => {
    await importFixtureCourse("scorm-owned");
    const { organisation, people } = await createOrganisationWithMembers({ trainer: ["TRAINER"], organiser: ["ORGANISER"], learner: ["LEARNER"] });
    await db.course.update({ where: { slug: "scorm-owned" }, data: { ownerOrganisationId: organisation.id } });
    const other = await createOrganisationWithMembers({ trainerB: ["TRAINER"] });
    for (const person of [people.organiser, people.learner, other.people.trainerB]) {
      await expect(importScormPackage({ actor: { id: person.id, isAdmin: false }, courseSlug: "scorm-owned", moduleKey: "basics", zipPath: zip("minimal-12"), clock })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(importScormPackage({ actor: { id: people.trainer.id, isAdmin: false }, courseSlug: "scorm-owned", moduleKey: "extra", zipPath: zip("minimal-12"), clock })).resolves.toMatchObject({ replaced: false, courseVersion: 2 });
  });
});

describe("playing a SCORM package", () => {
  it("resumes after suspend with the same location and 10,000 characters of suspend_data, keeps order by sequence number, and completes the module", async () => {
    const { actor } = await courseWithPackage("scorm-play", "large-suspend-12");
    const first = await launchScorm({ actor, slug: "scorm-play", itemKey: "basics-package", clock });
    const token = first.runUrl.split("/run/")[1];
    const launch = await runtimeLaunch({ token, clock });
    expect(launch).toMatchObject({ version: "1.2", ackSeq: 0 });
    expect(JSON.stringify(launch.seed)).toContain('"entry":"ab-initio"');
    expect(JSON.stringify(launch.seed)).toContain('"mastery_score":"80"');

    const suspend = `line one\nline "two" <&> čšž\n${"x".repeat(10_000 - 28)}`;
    expect(suspend).toHaveLength(10_000);
    const saved = await commitScorm({ token, body: JSON.stringify({ seq: 1, cmi: { core: { lesson_status: "incomplete", lesson_location: "page-7", exit: "suspend", session_time: "00:02:00" }, suspend_data: suspend }, terminated: true }), clock });
    expect(saved).toMatchObject({ ok: true, outcome: "accepted", moduleCompleted: false, state: { completion: "incomplete", satisfied: false, totalSeconds: 120 } });
    // The same commit again (a retry) is acknowledged and changes nothing; an older one is ignored.
    expect(await commitScorm({ token, body: JSON.stringify({ seq: 1, cmi: { core: { lesson_status: "incomplete", lesson_location: "page-7", exit: "suspend", session_time: "00:02:00" }, suspend_data: suspend }, terminated: true }), clock })).toMatchObject({ outcome: "replay" });
    // The same sequence number with different data is refused: the runtime never sends that.
    expect(await commitScorm({ token, body: payload12(1, { lesson_location: "other" }), clock }).catch((e) => e)).toMatchObject({ code: "CONFLICT" });

    const again = await launchScorm({ actor, slug: "scorm-play", itemKey: "basics-package", clock });
    expect(again.attempt).toEqual(first.attempt);
    const resumed = await runtimeLaunch({ token: again.runUrl.split("/run/")[1], clock });
    const seed = resumed.seed as { cmi: { core: Record<string, string>; suspend_data: string } };
    expect(seed.cmi.core).toMatchObject({ entry: "resume", lesson_location: "page-7" });
    expect(seed.cmi.suspend_data).toBe(suspend);
    // The first launch's token no longer commits.
    await expect(commitScorm({ token, body: payload12(9, {}), clock })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });

    const newToken = again.runUrl.split("/run/")[1];
    const passed = await commitScorm({ token: newToken, body: JSON.stringify({ seq: 2, cmi: { core: { lesson_status: "passed", score: { raw: "85", min: "0", max: "100" }, exit: "", session_time: "00:01:00" }, suspend_data: suspend }, terminated: true }), clock });
    expect(passed).toMatchObject({ moduleCompleted: true, state: { success: "passed", satisfied: true, scoreRaw: 85, totalSeconds: 180 } });
    expect(await commitScorm({ token: newToken, body: payload12(1, { lesson_location: "stale" }), clock })).toMatchObject({ stale: true, moduleCompleted: true, state: { satisfied: true, success: "passed", moduleCompleted: true } });
    const enrolment = await db.enrolment.findFirstOrThrow({ where: { userId: actor.id, course: { slug: "scorm-play" } }, select: { completedAt: true, certificate: { select: { code: true } } } });
    expect(enrolment.completedAt).not.toBeNull();
    expect(enrolment.certificate?.code).toBeTruthy();
    // After a normal exit the next launch is a new attempt from the beginning.
    const next = await launchScorm({ actor, slug: "scorm-play", itemKey: "basics-package", clock });
    expect(next.attempt.number).toBe(2);
    expect(JSON.stringify((await runtimeLaunch({ token: next.runUrl.split("/run/")[1], clock })).seed)).toContain('"entry":"ab-initio"');
  });

  it("counts a SCORM 1.2 package that only initialises and finishes as completed", async () => {
    const { actor } = await courseWithPackage("scorm-init-finish", "init-finish-only-12");
    const launched = await launchScorm({ actor, slug: "scorm-init-finish", itemKey: "basics-package", clock });
    const result = await commitScorm({ token: launched.runUrl.split("/run/")[1], body: JSON.stringify({ seq: 1, cmi: { core: { lesson_status: "not attempted" } }, terminated: true }), clock });
    expect(result).toMatchObject({ moduleCompleted: true, state: { satisfied: true } });
  });

  it("rolls a multi-SCO 2004 package up only when every SCO is satisfied, and refuses malformed or oversized commits", async () => {
    const { actor } = await courseWithPackage("scorm-golf", "golf-like-2004-4th");
    const scoIds = (await launchScorm({ actor, slug: "scorm-golf", itemKey: "basics-package", clock })).scos.map((s) => s.id);
    let last: Awaited<ReturnType<typeof commitScorm>> | null = null;
    for (const scoId of scoIds) {
      const launched = await launchScorm({ actor, slug: "scorm-golf", itemKey: "basics-package", scoId, clock });
      expect(launched.sco.id).toBe(scoId);
      last = await commitScorm({ token: launched.runUrl.split("/run/")[1], body: JSON.stringify({ seq: 1, cmi: { completion_status: "completed", success_status: "passed", score: { scaled: "0.9" }, exit: "normal", session_time: "PT30S" }, terminated: true }), clock });
      expect(last.moduleCompleted).toBe(scoId === scoIds.at(-1));
    }
    expect(last?.moduleScore).toBeCloseTo(0.9);
    // Malformed and oversized commits are refused without touching the attempt.
    const launched = await launchScorm({ actor, slug: "scorm-golf", itemKey: "basics-package", scoId: scoIds[0], clock });
    const token = launched.runUrl.split("/run/")[1];
    await expect(commitScorm({ token, body: "{not json", clock })).rejects.toMatchObject({ code: "INVALID", messageKey: "scorm.commitInvalid" });
    await expect(commitScorm({ token, body: JSON.stringify({ seq: 2, cmi: { suspend_data: "x".repeat(2_100_000) } }), clock })).rejects.toMatchObject({ messageKey: "scorm.commitTooLarge" });
    await expect(runtimeLaunch({ token: "A".repeat(43), clock })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("keeps a launch alive while it saves, and counts time on task once per session", async () => {
    const { actor } = await courseWithPackage("scorm-session", "minimal-12");
    const at = (iso: string) => fixedClock(iso);
    const launched = await launchScorm({ actor, slug: "scorm-session", itemKey: "basics-package", clock: at("2027-03-01T08:00:00Z") });
    const token = launched.runUrl.split("/run/")[1];
    const commit = (seq: number, iso: string, terminated = false) =>
      commitScorm({ token, body: JSON.stringify({ seq, cmi: { core: { lesson_status: "incomplete", exit: "suspend", session_time: "00:10:00" } }, terminated }), clock: at(iso) });
    // 12 hours after the launch, but each accepted commit extends the launch by 12 hours.
    await expect(commit(1, "2027-03-01T19:00:00Z")).resolves.toMatchObject({ outcome: "accepted" });
    await expect(commit(2, "2027-03-02T06:00:00Z", true)).resolves.toMatchObject({ outcome: "accepted" });
    // Terminating again with a newer commit does not add the session's time a second time.
    await expect(commit(3, "2027-03-02T06:01:00Z", true)).resolves.toMatchObject({ outcome: "accepted" });
    const enrolment = await db.enrolment.findFirstOrThrow({ where: { userId: actor.id, course: { slug: "scorm-session" } }, select: { timeSpentSeconds: true } });
    expect(enrolment.timeSpentSeconds).toBe(600);
    await expect(commit(4, "2027-03-02T18:02:00Z")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("resumes a session that never terminated (the tab was closed) instead of starting over", async () => {
    const { actor } = await courseWithPackage("scorm-interrupted", "minimal-2004-3rd");
    const first = await launchScorm({ actor, slug: "scorm-interrupted", itemKey: "basics-package", clock });
    await commitScorm({ token: first.runUrl.split("/run/")[1], body: JSON.stringify({ seq: 1, cmi: { completion_status: "incomplete", location: "step-4", exit: "", suspend_data: "half way" }, terminated: false }), clock });
    const again = await launchScorm({ actor, slug: "scorm-interrupted", itemKey: "basics-package", clock });
    expect(again.attempt).toEqual(first.attempt);
    const seed = (await runtimeLaunch({ token: again.runUrl.split("/run/")[1], clock })).seed as { cmi: Record<string, unknown> };
    expect(seed.cmi).toMatchObject({ entry: "resume", location: "step-4", suspend_data: "half way" });
    // Once the package ends the session without suspending, the attempt is over.
    await commitScorm({ token: again.runUrl.split("/run/")[1], body: JSON.stringify({ seq: 2, cmi: { completion_status: "incomplete", location: "step-5", exit: "normal" }, terminated: true }), clock });
    expect((await launchScorm({ actor, slug: "scorm-interrupted", itemKey: "basics-package", clock })).attempt.number).toBe(2);
  });

  it("continues an attempt that saved nothing yet, so commits still waiting in the browser find it", async () => {
    const { actor } = await courseWithPackage("scorm-unsaved", "minimal-2004-3rd");
    const first = await launchScorm({ actor, slug: "scorm-unsaved", itemKey: "basics-package", clock });
    // Offline, the tab closed: nothing reached the server. The next launch is the same attempt...
    const again = await launchScorm({ actor, slug: "scorm-unsaved", itemKey: "basics-package", clock });
    expect(again.attempt).toEqual(first.attempt);
    // ...whose runtime then delivers the stored commit to it.
    await commitScorm({ token: again.runUrl.split("/run/")[1], body: JSON.stringify({ seq: 1, cmi: { completion_status: "incomplete", location: "step-2", exit: "suspend", suspend_data: "kept offline" }, terminated: true }), clock });
    const seed = (await runtimeLaunch({ token: (await launchScorm({ actor, slug: "scorm-unsaved", itemKey: "basics-package", clock })).runUrl.split("/run/")[1], clock })).seed as { cmi: Record<string, unknown> };
    expect(seed.cmi).toMatchObject({ entry: "resume", location: "step-2", suspend_data: "kept offline" });
    expect(await db.scormAttempt.count({ where: { userId: actor.id } })).toBe(1);
  });
});
