// `npm run courses:check [root]`: validates every course folder under root (default `courses`) and
// prints each problem as `path:line: message`, then a summary. Exits 1 when there are problems, so CI
// and the start-up import refuse a broken course. Relative imports: tsx does not resolve `~/`.
import { loadCourseTree } from "../app/content/load-course.server.ts";
import { checkCourseCategoryIds, cpdSchemesPath, readCpdSchemes } from "../app/cpd/schemes.server.ts";

const root = process.argv[2] ?? "courses";
const tree = await loadCourseTree(root);
const { courses, results } = tree;
// The CPD schemes file sits beside the course folders; each course's cpd.categoryId must name one of its categories.
const cpd = readCpdSchemes(cpdSchemesPath(root));
const problems = [...tree.problems, ...cpd.problems, ...(cpd.schemes ? checkCourseCategoryIds(results.flatMap((r) => (r.course ? [{ dir: r.dir, cpd: r.course.cpd }] : [])), cpd.schemes) : [])];

for (const problem of problems) console.log(`${problem.file}:${problem.line}: ${problem.message}`);

if (problems.length > 0) {
  // Zero when the root itself is missing: there is no course to name.
  const brokenCourses = results.filter((result) => result.problems.length > 0).length;
  const where = brokenCourses > 0 ? ` in ${count(brokenCourses, "course")}` : "";
  console.log(`${count(problems.length, "problem")}${where}`);
  process.exitCode = 1;
} else {
  const modules = courses.flatMap((course) => course.modules);
  const items = modules.flatMap((module) => module.items);
  const lessons = items.filter((item) => item.type === "lesson").length;
  const questions = items.reduce((sum, item) => sum + (item.type === "quiz" ? item.quiz.questions.length : 0), 0);
  const cases = items.filter((item) => item.type === "case").length;
  console.log(
    `courses OK: ${count(courses.length, "course")}, ${count(modules.length, "module")}, ` +
      `${count(lessons, "lesson")}, ${count(questions, "question")}, ${count(cases, "case")}${cpd.present ? `, ${count(cpd.schemes?.length ?? 0, "CPD scheme")}` : ""}`,
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
