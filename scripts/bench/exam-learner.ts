// One learner sitting the exam as a hydrated browser does it: the quiz page loads as a document,
// then form posts and page changes are React Router single-fetch requests (`<path>.data`, answered
// in turbo-stream; an action's redirect comes back as 202 and the browser then loads the new page's
// data), and answers go wherever the attempt page sends them (see sitExam). Each learner has its
// own keep-alive connections, at most six, like a browser.
import http from "node:http";
import { UNSAFE_decodeViaTurboStream as decodeTurboStream, UNSAFE_SingleFetchRedirectSymbol as REDIRECT } from "react-router";
import type { Question } from "../../app/content/schema.ts";
import { busyRetryDelay } from "../../app/utils/busy-retry.ts";
import { BUSY_HEADER } from "../../server/admission.mjs";

export type Step = "quiz page" | "start attempt" | "attempt page" | "save answer" | "submit" | "result page";
export const STEPS: Step[] = ["quiz page", "start attempt", "attempt page", "save answer", "submit", "result page"];

/**
 * What the whole crowd saw: latencies per step, failures, and what the server acknowledged. The
 * attempt page's data loads once per attempt, or after every answer when each question is a page.
 */
export class Observations {
  latencies = new Map<Step, number[]>(STEPS.map((step) => [step, []]));
  /** save latencies by the question's position in the attempt (1-based) */
  saveByPosition = new Map<number, number[]>();
  failures = new Map<string, number>();
  /** "busy" answers per step: the request was sent again after Retry-After (its latency includes the wait) */
  turnedAway = new Map<Step, number>(STEPS.map((step) => [step, 0]));
  failed = 0;
  requests = 0;
  /** requests the app answered with 2xx or 3xx */
  answered = 0;
  /** attempt id → question keys whose save was acknowledged */
  savedAnswers = new Map<string, Set<string>>();
  /** attempt id → question keys whose save got no answer (may or may not have been stored) */
  unsureAnswers = new Map<string, Set<string>>();
  submitted = new Set<string>();
  unsureSubmits = new Set<string>();
  startedAttempts = new Set<string>();
  /** starts that got no usable answer (an attempt may exist that the learner never saw) */
  unsureStarts = 0;
  finished = 0;
  /** learners the run's time limit stopped before they saw their result */
  stopped = 0;

  record(step: Step, ms: number) {
    this.latencies.get(step)!.push(ms);
  }

  turnAway(step: Step) {
    this.turnedAway.set(step, this.turnedAway.get(step)! + 1);
  }

  fail(step: Step, reason: string) {
    this.failed++;
    const key = `${step}: ${reason}`;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }
}

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number };
const BUSY = BUSY_HEADER.toLowerCase();

const TIMEOUT_MS = 60_000;

/** A browser's worth of HTTP: its own cookie and keep-alive connections to the app. */
class Browser {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 6 });

  constructor(
    private base: string,
    private cookie: string,
  ) {}

  /**
   * Sends the request; when a kept-alive connection turns out to have been closed by the server as
   * it was reused (reset before any answer), sends it once more on a new one, as browsers do.
   */
  async request(method: "GET" | "POST", path: string, form?: URLSearchParams, accept = "*/*"): Promise<Reply> {
    try {
      return await this.send(method, path, form, accept);
    } catch (error) {
      if (!(error instanceof ReusedSocketReset)) throw error;
      return this.send(method, path, form, accept);
    }
  }

  private send(method: "GET" | "POST", path: string, form?: URLSearchParams, accept = "*/*"): Promise<Reply> {
    const body = form?.toString();
    const headers: Record<string, string> = { cookie: this.cookie, accept, "sec-fetch-site": "same-origin" };
    if (body !== undefined) Object.assign(headers, { origin: this.base, "content-type": "application/x-www-form-urlencoded;charset=UTF-8", "content-length": String(Buffer.byteLength(body)) });
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.base}${path}`, { method, headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
      req.on("error", (error: NodeJS.ErrnoException) => reject(req.reusedSocket && error.code === "ECONNRESET" ? new ReusedSocketReset() : error));
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

class ReusedSocketReset extends Error {}
class StepFailed extends Error {}
class TimeIsUp extends Error {}

async function decode(body: Buffer) {
  const { value } = await decodeTurboStream(new Response(new Uint8Array(body)).body!, globalThis);
  return value as Record<string | symbol, unknown>;
}

/**
 * Where a single-fetch action answered with a redirect sends the browser, else null. An action's
 * redirect is the whole payload; a loader's comes wrapped under React Router's redirect symbol.
 */
async function redirectOf(reply: Reply) {
  if (reply.status !== 202) return null;
  const value = await decode(reply.body);
  const redirect = (value[REDIRECT] ?? value) as { redirect?: unknown };
  return typeof redirect.redirect === "string" ? redirect.redirect : null;
}

/** `/a/b?q=1` → `/a/b.data?q=1`: the request React Router's client makes to load a page's data. */
function dataPath(path: string) {
  const url = new URL(path, "http://x");
  return `${url.pathname}.data${url.search}`;
}

type ShownQuestion = { id: string; kind: Question["kind"]; options?: Array<{ id: string }> };
/** The attempt route's data: every question of the attempt, or (one page per question) the current one. */
type AttemptPage = { index: number; reviewing: boolean; questions?: ShownQuestion[]; question?: ShownQuestion; total?: number };

/** The form fields the question's controls post, answered right or (with a wrong choice) not. */
export function answerFields(question: Question, shown: ShownQuestion, right: boolean, random: () => number) {
  const form = new URLSearchParams({ questionKey: question.id });
  const pickOne = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  switch (question.kind) {
    case "single": {
      const correct = question.options.filter((o) => o.correct).map((o) => o.id);
      const wrong = question.options.filter((o) => !o.correct).map((o) => o.id);
      form.set("optionId", pickOne(right || !wrong.length ? correct : wrong));
      break;
    }
    case "multiple": {
      const correct = question.options.filter((o) => o.correct).map((o) => o.id);
      const chosen = right ? correct : [pickOne(question.options.map((o) => o.id))];
      for (const id of shown.options?.map((o) => o.id).filter((id) => chosen.includes(id)) ?? chosen) form.append("optionIds", id);
      break;
    }
    case "true_false":
      form.set("value", String(right ? question.answer : !question.answer));
      break;
    case "matching": {
      const rights = question.pairs.map((p) => p.id);
      for (const [i, pair] of question.pairs.entries()) form.set(`match:${pair.id}`, right ? pair.id : rights[(i + 1) % rights.length]);
      break;
    }
    case "ordering": {
      const order = right ? question.items.map((item) => item.id) : [...question.items.map((item) => item.id)].reverse();
      for (const [i, id] of order.entries()) form.set(`position:${id}`, String(i + 1));
      break;
    }
    case "short_answer":
      form.set("text", right ? (Object.values(question.accept).flat().find(Boolean) ?? "x") : "not sure");
      break;
  }
  return form;
}

export type LearnerPlan = {
  base: string;
  cookie: string;
  slug: string;
  quizKey: string;
  answerKey: Map<string, Question>;
  startAfterMs: number;
  thinkMs: [number, number];
  /** chance of answering a question right */
  skill: number;
  random: () => number;
  /** performance.now() after which the learner starts no new step (the run's time limit) */
  stopAt: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for its start time, opens the quiz page, starts an attempt, answers every question after
 * thinking, then submits and loads the result. Stops at the first failed step, as a learner facing
 * an error page would, and before any step that would begin after `stopAt`. Answers go the way
 * the attempt page sends them: when its data holds every question, the page's outbox posts each to
 * `<attempt>/answer` (JSON) in the background; when it holds one, each answer is a form post that
 * leads to the next question's page.
 */
export async function sitExam(plan: LearnerPlan, seen: Observations) {
  const browser = new Browser(plan.base, plan.cookie);
  const think = () => sleep(plan.thinkMs[0] + plan.random() * (plan.thinkMs[1] - plan.thinkMs[0]));
  const fail = (name: Step, reason: string): never => {
    seen.fail(name, reason);
    throw new StepFailed();
  };
  const step = async (name: Step, method: "GET" | "POST", path: string, form?: URLSearchParams, accept?: string) => {
    if (performance.now() > plan.stopAt) throw new TimeIsUp();
    const began = performance.now();
    let reply: Reply;
    for (;;) {
      seen.requests++;
      try {
        reply = await browser.request(method, path, form, accept);
      } catch (error) {
        return fail(name, `network: ${(error as Error).message}`);
      }
      // "Busy, nothing done" (server/admission.mjs): the page reloads itself, or the app's fetch
      // sends the request again (app/utils/busy-retry.ts), after Retry-After and some jitter.
      if (reply.status !== 503 || reply.headers[BUSY] !== "1") break;
      seen.turnAway(name);
      const { delay } = busyRetryDelay(reply.headers["retry-after"], plan.random);
      if (performance.now() + delay > plan.stopAt) throw new TimeIsUp();
      await sleep(delay);
    }
    reply.ms = performance.now() - began;
    seen.record(name, reply.ms);
    if (reply.status >= 400) fail(name, `HTTP ${reply.status}`);
    seen.answered++;
    return reply;
  };
  const expectRedirect = async (name: Step, reply: Reply, pattern: RegExp) => {
    const to = await redirectOf(reply);
    if (!to || !pattern.test(to)) fail(name, `unexpected answer (${reply.status}${to ? ` → ${to.replace(/[a-z0-9]{20,}/g, ":id")}` : ""})`);
    return to as string;
  };
  const loadAttempt = async (path: string) => {
    const reply = await step("attempt page", "GET", dataPath(path));
    const page = ((await decode(reply.body))["routes/learn/attempt"] as { data?: AttemptPage } | undefined)?.data;
    if (reply.status !== 200 || !page || !(page.reviewing || page.questions?.length || page.question?.id)) return fail("attempt page", `unexpected answer (${reply.status})`);
    return page;
  };
  const answer = (shown: ShownQuestion) => {
    const question = plan.answerKey.get(shown.id);
    if (!question) throw new Error(`question ${shown.id} is not in the course's quiz`);
    return { key: question.id, form: answerFields(question, shown, plan.random() < plan.skill, plan.random) };
  };
  const acknowledge = (attemptId: string, key: string, position: number, ms: number) => {
    seen.saveByPosition.set(position, [...(seen.saveByPosition.get(position) ?? []), ms]);
    if (!seen.savedAnswers.has(attemptId)) seen.savedAnswers.set(attemptId, new Set());
    seen.savedAnswers.get(attemptId)!.add(key);
  };

  const learn = `/learn/${plan.slug}`;
  let attemptId: string | null = null;
  let pending: { kind: "start" } | { kind: "answer"; key: string } | { kind: "submit" } | null = null;
  try {
    await sleep(plan.startAfterMs);
    const intro = await step("quiz page", "GET", `${learn}/quiz/${plan.quizKey}`);
    if (intro.status !== 200) fail("quiz page", `unexpected answer (${intro.status})`);
    pending = { kind: "start" };
    const started = await step("start attempt", "POST", `${learn}/quiz/${plan.quizKey}.data`, new URLSearchParams());
    const attemptPath = await expectRedirect("start attempt", started, new RegExp(`^${learn}/attempt/[^/?]+$`));
    attemptId = attemptPath.slice(attemptPath.lastIndexOf("/") + 1);
    pending = null;
    seen.startedAttempts.add(attemptId);
    let page = await loadAttempt(attemptPath);
    if (page.questions) {
      for (const [index, shown] of page.questions.entries()) {
        await think();
        const { key, form } = answer(shown);
        pending = { kind: "answer", key };
        const saved = await step("save answer", "POST", `${attemptPath}/answer`, form, "application/json");
        if (saved.status !== 200 || (JSON.parse(saved.body.toString()) as { ok?: boolean }).ok !== true) fail("save answer", `unexpected answer (${saved.status})`);
        pending = null;
        acknowledge(attemptId, key, index + 1, saved.ms);
      }
    } else {
      while (!page.reviewing && page.question && page.total !== undefined) {
        await think();
        const { key, form } = answer(page.question);
        form.set("goto", page.index === page.total - 1 ? "review" : "next");
        pending = { kind: "answer", key };
        const saved = await step("save answer", "POST", dataPath(attemptPath), form);
        const next = await expectRedirect("save answer", saved, new RegExp(`^${attemptPath}\\?(q=\\d+|review)$`));
        pending = null;
        acknowledge(attemptId, key, page.index + 1, saved.ms);
        page = await loadAttempt(next);
      }
    }
    await think();
    pending = { kind: "submit" };
    const submitted = await step("submit", "POST", dataPath(attemptPath), new URLSearchParams({ intent: "submit" }));
    const result = await expectRedirect("submit", submitted, new RegExp(`^${attemptPath}/result$`));
    pending = null;
    seen.submitted.add(attemptId);
    const shown = await step("result page", "GET", dataPath(result));
    if (shown.status !== 200) fail("result page", `unexpected answer (${shown.status})`);
    seen.finished++;
  } catch (error) {
    if (error instanceof TimeIsUp) {
      seen.stopped++;
      return;
    }
    if (!(error instanceof StepFailed)) throw error;
    // A request that failed may still have been stored: the database check allows for it.
    if (attemptId && pending?.kind === "answer") {
      if (!seen.unsureAnswers.has(attemptId)) seen.unsureAnswers.set(attemptId, new Set());
      seen.unsureAnswers.get(attemptId)!.add(pending.key);
    }
    if (attemptId && pending?.kind === "submit") seen.unsureSubmits.add(attemptId);
    if (pending?.kind === "start") seen.unsureStarts++;
  } finally {
    browser.close();
  }
}
