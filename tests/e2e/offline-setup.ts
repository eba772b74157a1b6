// Run by tests/e2e/offline.spec.ts with tsx against the e2e database: a copy of the fixture course
// for the quiz, and one whose first module plays the three-part SCORM 2004 fixture package.
// Safe to run again (a second run changes nothing).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importScormPackage } from "../../app/scorm/import-package.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { buildScormFixtures } from "../../scripts/build-scorm-fixtures.ts";
import { importFixtureCourse } from "../support/courses.ts";

const [quizCourse, scormCourse] = process.argv.slice(2);
await importFixtureCourse(quizCourse);
if (!(await db.contentItem.count({ where: { kind: "SCORM", courseVersion: { course: { slug: scormCourse } } } }))) {
  await importFixtureCourse(scormCourse);
  const zips = mkdtempSync(join(tmpdir(), "opora-offline-zips-"));
  await buildScormFixtures(zips);
  await importScormPackage({ actor: "operator", courseSlug: scormCourse, moduleKey: "basics", zipPath: join(zips, "golf-like-2004-4th.zip") });
}
await db.$disconnect();
