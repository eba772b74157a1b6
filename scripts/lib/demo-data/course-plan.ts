// What a generated learner can do in a course, read from the imported course version: the items of
// a first completion and of a renewal in the order learners take them, each quiz with its rules and
// each case with the paths through it. Answers are built per question kind and graded with the
// app's own rules (app/learning/quiz-logic.ts), so scores are exactly what the app would compute.
import type { CaseFile, Question } from "../../../app/content/schema.ts";
import type { CourseMeta } from "../../../app/domain/catalogue.server.ts";
import { type OutlineModule, renewalModuleKeys } from "../../../app/learning/course-state.ts";
import { type DrawnQuestion, drawQuestions, gradeResponse, type QuizContent, type QuizResponse, scoreAttempt } from "../../../app/learning/quiz-logic.ts";
import type { Db } from "../../../app/utils/db.server.ts";
import type { Random } from "./random.ts";

export type CasePath = { steps: Array<{ node: string; choice: string }>; end: string; outcome: string | null };
export type CasePlan = { start: string; finishing: CasePath[]; notFinishing: CasePath[] };
export type QuizPlan = { content: QuizContent; passMark: number };

export type PlanItem = {
  key: string;
  kind: "LESSON" | "QUIZ" | "CASE";
  minutes: number;
  quiz?: QuizPlan;
  case?: CasePlan;
};

export type CoursePlan = {
  slug: string;
  courseId: string;
  versionId: string;
  versionNumber: number;
  meta: CourseMeta;
  /** a first completion: every item of the modules that are not refreshers */
  initialItems: PlanItem[];
  /** a renewal: the items of the course's recertification path */
  renewalItems: PlanItem[];
};

type CaseContent = Omit<CaseFile, "id" | "title">;

/** Every way through a case from its start to a debrief (at most `limit`; choices never loop back). */
export function casePaths(content: CaseContent, limit = 200): CasePath[] {
  const nodes = new Map(content.nodes.map((node) => [node.id, node]));
  const paths: CasePath[] = [];
  const walk = (nodeId: string, steps: CasePath["steps"], seen: Set<string>) => {
    if (paths.length >= limit) return;
    const node = nodes.get(nodeId);
    if (!node) return;
    if (node.debrief) {
      paths.push({ steps, end: node.id, outcome: node.outcome ?? null });
      return;
    }
    for (const choice of node.choices) {
      if (seen.has(choice.next)) continue;
      walk(choice.next, [...steps, { node: node.id, choice: choice.id }], new Set(seen).add(choice.next));
    }
  };
  walk(content.start, [], new Set([content.start]));
  return paths;
}

function casePlan(content: CaseContent, key: string): CasePlan {
  const paths = casePaths(content);
  const completes = (path: CasePath) => !content.requireSafeOutcome || path.outcome === "safe";
  const finishing = paths.filter(completes);
  if (!finishing.length) throw new Error(`case ${key}: no path through it completes it`);
  return { start: content.start, finishing, notFinishing: paths.filter((path) => !completes(path)) };
}

/** The latest published version of a course, as a plan for generated learners. */
export async function loadCoursePlan(db: Db, slug: string): Promise<CoursePlan> {
  const version = await db.courseVersion.findFirst({
    where: { course: { slug }, publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: {
      id: true,
      number: true,
      courseId: true,
      meta: true,
      modules: { orderBy: { position: "asc" }, select: { key: true, position: true, isRecertification: true, items: { orderBy: { position: "asc" }, select: { key: true, kind: true, required: true, content: true } } } },
    },
  });
  if (!version) throw new Error(`course ${slug} is not imported`);
  const meta = version.meta as CourseMeta;
  const toItem = (item: { key: string; kind: string; content: unknown }): PlanItem => {
    const content = item.content as Record<string, unknown>;
    if (item.kind === "QUIZ") {
      const quiz = content as unknown as QuizContent;
      return { key: item.key, kind: "QUIZ", minutes: quiz.timeLimitMinutes ?? 10, quiz: { content: quiz, passMark: quiz.passMark ?? meta.passMark } };
    }
    if (item.kind === "CASE") return { key: item.key, kind: "CASE", minutes: 8, case: casePlan(content as unknown as CaseContent, item.key) };
    // Lessons and SCORM modules are generated alike: opened, then finished after their minutes.
    return { key: item.key, kind: "LESSON", minutes: Number(content.minutes) || 10 };
  };
  const outline: OutlineModule[] = version.modules.map((module) => ({ ...module, items: module.items.map(({ key, kind, required }) => ({ key, kind, required })) }));
  const renewal = renewalModuleKeys(outline, meta.recertification);
  return {
    slug,
    courseId: version.courseId,
    versionId: version.id,
    versionNumber: version.number,
    meta,
    initialItems: version.modules.filter((m) => !m.isRecertification).flatMap((m) => m.items.map(toItem)),
    renewalItems: version.modules.filter((m) => renewal.has(m.key)).flatMap((m) => m.items.map(toItem)),
  };
}

type AnswerQuality = "right" | "partial" | "wrong";

function rotate<T>(values: readonly T[]): T[] {
  return values.length > 1 ? [...values.slice(1), values[0]] : [...values];
}

function swapFirstTwo<T>(values: readonly T[]): T[] {
  return values.length > 2 ? [values[1], values[0], ...values.slice(2)] : rotate(values);
}

/** A learner's answer of the given quality, in the form the app stores (see ResponseSchema). */
function responseFor(question: Question, quality: AnswerQuality, locale: string, random: Random): QuizResponse {
  switch (question.kind) {
    case "single": {
      const wrong = question.options.filter((o) => !o.correct);
      const option = quality === "right" || !wrong.length ? question.options.find((o) => o.correct)! : random.pick(wrong);
      return { optionId: option.id };
    }
    case "multiple": {
      const right = question.options.filter((o) => o.correct).map((o) => o.id);
      const wrong = question.options.filter((o) => !o.correct).map((o) => o.id);
      if (quality === "right") return { optionIds: right };
      if (quality === "partial" && right.length > 1) return { optionIds: right.slice(1) };
      return { optionIds: wrong.length ? [random.pick(wrong)] : [] };
    }
    case "true_false":
      return { value: quality === "right" ? question.answer : !question.answer };
    case "matching": {
      const ids = question.pairs.map((p) => p.id);
      const rights = quality === "right" ? ids : quality === "partial" ? swapFirstTwo(ids) : rotate(ids);
      return { pairs: Object.fromEntries(ids.map((id, i) => [id, rights[i]])) };
    }
    case "ordering": {
      const ids = question.items.map((i) => i.id);
      return { order: quality === "right" ? ids : quality === "partial" ? swapFirstTwo(ids) : rotate(ids) };
    }
    case "short_answer": {
      const accepted = question.accept[locale as keyof typeof question.accept] ?? Object.values(question.accept).flat();
      return { text: quality === "right" && accepted?.length ? accepted[0] : "ne vem" };
    }
  }
}

export type GradedAttempt = {
  questions: DrawnQuestion[];
  answers: Array<{ questionKey: string; response: QuizResponse; points: number }>;
  score: number;
  passed: boolean;
};

/**
 * One attempt: questions drawn as the app draws them, answered so that it passes (`intent`
 * "pass": at most the wrong answers the pass mark allows) or fails ("fail": enough answers worth
 * nothing), then graded. `answered` < 1 leaves the rest unanswered (an attempt closed by time).
 * `passed` is the grade's verdict, which callers trust over the intent.
 */
export function answerQuiz(quiz: QuizPlan, intent: "pass" | "fail", locale: string, random: Random, answered = 1): GradedAttempt {
  const questions = drawQuestions(quiz.content, random.next);
  const n = questions.length;
  const allowedWrong = Math.floor((n * (100 - quiz.passMark)) / 100 + 1e-9);
  const wrongCount = intent === "pass" ? (random.chance(0.45) ? 0 : random.int(0, allowedWrong)) : Math.min(n, random.int(allowedWrong + 1, allowedWrong + 3));
  const wrong = new Set(random.sample(questions.map((_, i) => i), wrongCount));
  const byId = new Map(quiz.content.questions.map((q) => [q.id, q]));
  const answers: GradedAttempt["answers"] = [];
  const points: number[] = [];
  const answeredCount = Math.round(n * answered);
  questions.forEach((drawn, index) => {
    if (index >= answeredCount) return;
    const question = byId.get(drawn.id)!;
    const quality: AnswerQuality = !wrong.has(index) ? "right" : intent === "pass" && random.chance(0.5) ? "partial" : "wrong";
    const response = responseFor(question, quality, locale, random);
    const earned = gradeResponse(question, response);
    points.push(earned);
    answers.push({ questionKey: drawn.id, response, points: earned });
  });
  const score = scoreAttempt(points, n);
  return { questions, answers, score, passed: score >= quiz.passMark };
}
