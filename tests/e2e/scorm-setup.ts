// Run by tests/e2e/scorm.spec.ts with tsx against the e2e database: two copies of the fixture
// course (its first module gets a SCORM package in the test) and the fixture packages as zips.
import { buildScormFixtures } from "../../scripts/build-scorm-fixtures.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { db } from "../../app/utils/db.server.ts";

const [outDir, ...slugs] = process.argv.slice(2);
for (const slug of slugs) await importFixtureCourse(slug);
await buildScormFixtures(outDir);
await db.$disconnect();
