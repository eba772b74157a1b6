import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import type { Question } from "../../app/content/schema.ts";
import type { QuizResponse } from "../../app/learning/quiz-logic.ts";
import { db } from "../../app/utils/db.server.ts";
import { answerFields, correctResponse, wrongResponse } from "../support/responses.ts";
import { APP_URL, type AppProcess, startApp } from "./support/app-process.ts";
import { type Answered, type QuizLearner, quizLearners, request } from "./support/learners.ts";
import { startFaultPostgres, stopFaultPostgres } from "./support/postgres.ts";

// PostgreSQL stops (as an operator's restart or a failover does: every session terminated) while
// learners answer a quiz, stays down for a while, and starts again. The app is not restarted.
// Half the learners save as the quiz page's outbox does (JSON), half as the page's form posts
// without JavaScript; each retries a save until it is acknowledged, as the outbox does.

let app: AppProcess;
let learners: QuizLearner[];

beforeAll(async () => {
  learners = await quizLearners("outage-quiz", 8);
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

type Phase = "before" | "outage" | "after";
type Save = Answered & { learner: number; via: "outbox" | "form"; phase: Phase; sentAt: number; acknowledged: boolean };

async function until(condition: () => boolean, what: string, timeoutMs = 60_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A new answer each round, so the stored one tells which save it came from. */
function answerFor(question: Question, round: number): QuizResponse {
  if (question.kind === "short_answer") return { text: `answer from round ${round}` };
  return round % 2 === 0 ? correctResponse(question) : wrongResponse(question);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

it("answers 503 with Retry-After while PostgreSQL is down, recovers by itself, and keeps every acknowledged answer", async () => {
  onTestFailed(() => console.error(`[faults] app output:\n${app.output()}`));
  const saves: Save[] = [];
  const acknowledged = new Map<string, QuizResponse>();
  let phase: Phase = "before";
  let running = true;

  async function answering(learner: QuizLearner, index: number, via: "outbox" | "form") {
    for (let round = 0; running; round++) {
      for (const question of learner.questions) {
        const response = answerFor(question, round);
        const fields = answerFields(question.id, response);
        // Like the outbox: the same save again until the server has it.
        for (;;) {
          const sentIn = phase;
          const sentAt = Date.now();
          const answer =
            via === "outbox"
              ? await request(`${APP_URL}${learner.base}/answer`, { cookie: learner.cookie, method: "POST", fields, headers: { Accept: "application/json" } })
              : await request(`${APP_URL}${learner.base}`, { cookie: learner.cookie, method: "POST", fields: [...fields, ["goto", "next"]], headers: { Accept: "text/html" } });
          const ok = via === "outbox" ? answer.status === 200 && JSON.parse(answer.body).ok === true : answer.status === 302 && !answer.location?.includes("/result");
          saves.push({ ...answer, learner: index, via, phase: sentIn, sentAt, acknowledged: ok });
          if (ok) {
            acknowledged.set(`${learner.attemptId}|${question.id}`, response);
            break;
          }
          if (answer.status !== 503) return; // unexpected: the assertions below report it
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (!running) return;
      }
    }
  }

  const count = (filter: (save: Save) => boolean) => saves.filter(filter).length;
  const everyLearner = (filter: (save: Save) => boolean, atLeast: number) => learners.every((_, index) => count((s) => s.learner === index && filter(s)) >= atLeast);

  const workers = learners.map((learner, index) => answering(learner, index, index % 2 === 0 ? "outbox" : "form"));
  await until(() => everyLearner((s) => s.phase === "before" && s.acknowledged, 3), "every learner has saved three answers");

  phase = "outage";
  const stopping = Date.now();
  await stopFaultPostgres();
  const stoppedInMs = Date.now() - stopping;
  await until(() => everyLearner((s) => s.phase === "outage" && s.status === 503, 3), "every learner has been refused three times");

  // What a browser is shown meanwhile: the attempt page in the learner's language, a client-side
  // navigation's data request, and the load balancer's health check.
  const [learner] = learners;
  const pageSl = await request(`${APP_URL}${learner.base}`, { cookie: learner.cookie, headers: { Accept: "text/html", "Accept-Language": "sl-SI,sl;q=0.9" } });
  const pageEn = await request(`${APP_URL}${learner.base}`, { cookie: learner.cookie, headers: { Accept: "text/html", "Accept-Language": "en-GB,en;q=0.9" } });
  const navigation = await request(`${APP_URL}${learner.base}.data`, { cookie: learner.cookie });
  const health = await request(`${APP_URL}/healthz`, {});

  phase = "after";
  await startFaultPostgres();
  const upAt = Date.now();
  await until(() => everyLearner((s) => s.phase === "after" && s.acknowledged, 3), "every learner has saved three answers again");
  running = false;
  await Promise.all(workers);

  // Nothing but acknowledgements and 503s, each 503 saying when to retry; nothing hung.
  expect(saves.filter((s) => !s.acknowledged && s.status !== 503).map((s) => `${s.via} ${s.status} ${s.body.slice(0, 200)}`)).toEqual([]);
  const refused = saves.filter((s) => s.status === 503);
  expect(refused.every((s) => s.retryAfter === "5")).toBe(true);
  expect(new Set(refused.map((s) => s.via))).toEqual(new Set(["outbox", "form"]));
  expect(refused.filter((s) => s.via === "outbox").every((s) => JSON.parse(s.body).error === "errors.unavailable")).toBe(true);
  const duringOutage = saves.filter((s) => s.phase === "outage");
  expect(Math.max(...duringOutage.map((s) => s.ms))).toBeLessThan(6_000);

  expect(pageSl.status).toBe(503);
  expect(pageSl.retryAfter).toBe("5");
  expect(pageSl.body).toContain('<html lang="sl"');
  expect(pageSl.body).toContain("Opora je trenutno nedosegljiva");
  expect(pageSl.body).toContain("Nič, kar ste shranili, ni izgubljeno.");
  expect(pageEn.status).toBe(503);
  expect(pageEn.body).toContain('<html lang="en"');
  expect(pageEn.body).toContain("Opora is briefly unavailable");
  expect(navigation.status).toBe(503);
  expect(navigation.retryAfter).toBe("5");
  expect(health.status).toBe(503);

  // The same process answers again once PostgreSQL is back.
  expect(app.alive()).toBe(true);
  const firstAfter = learners.map((_, index) => Math.min(...saves.filter((s) => s.learner === index && s.acknowledged && s.sentAt + s.ms >= upAt).map((s) => s.sentAt + s.ms)));
  const recoveryMs = Math.round(Math.max(...firstAfter) - upAt);
  expect(recoveryMs).toBeLessThan(10_000);
  expect((await request(`${APP_URL}/healthz`, {})).status).toBe(200);

  // Every acknowledged answer is the one stored.
  const stored = await db.quizAnswer.findMany({ where: { attemptId: { in: learners.map((l) => l.attemptId) } }, select: { attemptId: true, questionKey: true, response: true } });
  expect(new Map(stored.map((a) => [`${a.attemptId}|${a.questionKey}`, a.response]))).toEqual(acknowledged);

  // And the learners can submit: graded with what they saved.
  for (const { base, cookie } of learners) {
    const submitted = await request(`${APP_URL}${base}`, { cookie, method: "POST", fields: [["intent", "submit"]], headers: { Accept: "text/html" } });
    expect(submitted.status).toBe(302);
    expect(submitted.location).toBe(`${base}/result`);
    expect((await request(`${APP_URL}${base}/result`, { cookie, headers: { Accept: "text/html" } })).body).toContain("Rezultat");
  }
  expect(await db.quizAttempt.count({ where: { id: { in: learners.map((l) => l.attemptId) }, submittedAt: { not: null }, score: { not: null } } })).toBe(learners.length);

  console.log(
    `[faults] outage: PostgreSQL stopped in ${stoppedInMs} ms; ${duringOutage.length} saves sent during the outage, ${refused.length} refused with 503 ` +
      `(median ${Math.round(median(refused.map((s) => s.ms)))} ms, slowest ${Math.round(Math.max(...duringOutage.map((s) => s.ms)))} ms); ` +
      `every learner saving again ${recoveryMs} ms after PostgreSQL was up; ${saves.filter((s) => s.acknowledged).length} saves acknowledged in all`,
  );
});
