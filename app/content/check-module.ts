import { checkCase } from "./check-case";
import { checkLesson } from "./check-lesson";
import { checkQuiz } from "./check-quiz";
import { checkTranslations } from "./check-translations";
import type { CheckContext, ParsedModule } from "./parsed-course";
import type { ModuleItem } from "./schema";
import type { PathKey } from "./yaml-source";

/**
 * A module and, in the order learners take them, the lessons, quizzes and cases its items name.
 * Files in the folder that no item names are reported: they would silently never reach learners.
 */
export function checkModule(module: ParsedModule, courseFiles: ReadonlySet<string>, ctx: CheckContext): void {
  if (!module.moduleFile) return; // missing (reported against course.yaml) or invalid (schema problems)
  const { source, data } = module.moduleFile;
  const { problems } = ctx;
  ctx.ids.claim("module", data.id, source, ["id"]);
  data.outcomes.forEach((outcome, index) => {
    if (ctx.outcomeIds && !ctx.outcomeIds.has(outcome)) {
      problems.at(source, ["outcomes", index], `unknown outcome "${outcome}" (not in the outcomes of course.yaml)`);
    }
  });
  checkTranslations(source, data, ctx.locales, problems);

  const listed = new Map<string, number>();
  data.items.forEach((item, index) => {
    const path: PathKey[] = ["items", index];
    const { type, ref } = describeItem(item);
    const key = `${type}:${ref}`;
    const earlier = listed.get(key);
    if (earlier !== undefined) {
      problems.at(source, path, `${type} "${ref}" is listed twice in items (also item ${earlier + 1})`);
      return;
    }
    listed.set(key, index);

    if (type === "lesson") {
      const files = module.lessons.get(ref);
      if (!files) {
        problems.at(source, [...path, type], `lesson "${ref}" has no files (expected ${ctx.locales.map((locale) => `${ref}.${locale}.md`).join(", ")})`);
        return;
      }
      checkLesson(
        { stem: ref, moduleFolder: module.folder, files, listedAt: { source, path: [...path, type] } },
        courseFiles,
        ctx,
      );
      return;
    }
    const files = type === "quiz" ? module.quizzes : module.cases;
    if (!files.has(ref)) {
      problems.at(source, [...path, type], `${type} file "${ref}" does not exist in ${module.folder}/`);
      return;
    }
    const quiz = type === "quiz" ? module.quizzes.get(ref) : undefined;
    if (quiz) checkQuiz(quiz, ctx);
    const caseFile = type === "case" ? module.cases.get(ref) : undefined;
    if (caseFile) checkCase(caseFile, ctx);
  });

  const unlisted = [
    ...[...module.lessons.keys()].filter((stem) => !listed.has(`lesson:${stem}`)).map((stem) => `lesson "${stem}"`),
    ...[...module.quizzes.keys()].filter((name) => !listed.has(`quiz:${name}`)).map((name) => `quiz file "${name}"`),
    ...[...module.cases.keys()].filter((name) => !listed.has(`case:${name}`)).map((name) => `case file "${name}"`),
  ];
  for (const what of unlisted) problems.at(source, ["items"], `${what} is in ${module.folder}/ but not listed in items`);
}

export function describeItem(item: ModuleItem): { type: "lesson" | "quiz" | "case"; ref: string } {
  if (item.lesson !== undefined) return { type: "lesson", ref: item.lesson };
  if (item.quiz !== undefined) return { type: "quiz", ref: item.quiz };
  // The schema guarantees exactly one of the three.
  return { type: "case", ref: item.case ?? "" };
}
