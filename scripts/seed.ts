// Imports every course under courses/ (idempotent) and, with SEED_DEMO=1, the demo organisations
// and accounts. Run by `npm start` and `npm run db:seed`; exits non-zero when a course is invalid.
import { importCourse } from "../app/content/import-course.server.ts";
import { loadCourseTree } from "../app/content/load-course.server.ts";
import { seedDemo } from "../app/domain/seed-demo.server.ts";
import { db } from "../app/utils/db.server.ts";

const root = process.env.COURSES_DIR ?? "courses";
const force = process.argv.includes("--force");
try {
  const tree = await loadCourseTree(root);
  // A course with problems is not imported (the others are); `npm run courses:check` lists them all.
  for (const result of tree.results) {
    if (result.problems.length) {
      for (const problem of result.problems.slice(0, 20)) console.error(`${problem.file}:${problem.line}: ${problem.message}`);
      console.error(`[opora] ${result.dir}: ${result.problems.length} problems, not imported (see npm run courses:check)`);
    }
  }
  for (const course of tree.courses) {
    const result = await importCourse(course, { force });
    const what = { created: "imported", "new-version": `imported as version ${result.version}`, unchanged: "unchanged", "skipped-edited": "NOT imported: edited in the browser since the last import (use --force to replace)" }[result.status];
    console.log(`[opora] course ${result.slug}: ${what}`);
  }
  if (process.env.SEED_DEMO === "1") {
    const { created } = await seedDemo();
    console.log(`[opora] demo data: ${created ? `${created} accounts created` : "already present"}`);
  }
} finally {
  await db.$disconnect();
}
