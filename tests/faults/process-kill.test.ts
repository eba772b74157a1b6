import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import { enrol } from "../../app/domain/enrol.server.ts";
import { saveQuizAnswer } from "../../app/domain/quiz-attempts.server.ts";
import type { QuizResponse } from "../../app/learning/quiz-logic.ts";
import { launchScorm } from "../../app/scorm/attempts.server.ts";
import { importScormPackage } from "../../app/scorm/import-package.server.ts";
import { db } from "../../app/utils/db.server.ts";
import { buildScormFixtures } from "../../scripts/build-scorm-fixtures.ts";
import { importFixtureCourse } from "../support/courses.ts";
import { createUser } from "../support/factories.ts";
import { answerFields, correctResponse } from "../support/responses.ts";
import { APP_URL, type AppProcess, CONTENT_URL, startApp } from "./support/app-process.ts";
import { type Answered, type QuizLearner, quizLearners, request, sessionCookieFor } from "./support/learners.ts";

// The app process is killed with SIGKILL (a crash, the kernel's OOM killer, a pulled plug) while
// learners submit quizzes, save answers and the SCORM runtime commits. No shutdown handler runs.
// After a restart every acknowledged answer and commit is there, no attempt is half graded, and
// each learner resumes from what was acknowledged (or from something newer the server kept).

const SCORM_SLUG = "kill-scorm";
let app: AppProcess;
let submitters: QuizLearner[];
let savers: QuizLearner[];
let players: Array<{ id: string; cookie: string; commitUrl: string }>;

beforeAll(async () => {
  const learners = await quizLearners("kill-quiz", 16);
  submitters = learners.slice(0, 8);
  savers = learners.slice(8);
  // Submitters answered everything, correctly, before the crash.
  for (const learner of submitters) {
    for (const question of learner.questions) await saveQuizAnswer({ actor: learner.actor, attemptId: learner.attemptId, questionKey: question.id, response: correctResponse(question) });
  }
  const zips = mkdtempSync(join(tmpdir(), "opora-fault-zips-"));
  await buildScormFixtures(zips);
  await importFixtureCourse(SCORM_SLUG);
  await importScormPackage({ actor: "operator", courseSlug: SCORM_SLUG, moduleKey: "basics", zipPath: join(zips, "minimal-12.zip") });
  players = [];
  for (let n = 0; n < 8; n++) {
    const user = await createUser({ name: `Player ${n}` });
    const actor = { id: user.id, isAdmin: false };
    await enrol({ actor, slug: SCORM_SLUG });
    const launched = await launchScorm({ actor, slug: SCORM_SLUG, itemKey: "basics-package" });
    players.push({ id: user.id, cookie: await sessionCookieFor(user.id), commitUrl: `${CONTENT_URL}${new URL(launched.runUrl).pathname}/commit` });
  }
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

/** What a SCO commits as its seq-th commit: 1.2 suspend_data of 4,000 characters and a location that both name the commit. */
function commitOf(player: number, seq: number) {
  const suspend = `player ${player} commit ${seq}|`.padEnd(4_000, "x");
  return { seq, cmi: { core: { lesson_status: "incomplete", lesson_location: `page-${seq}`, session_time: "00:00:05" }, suspend_data: suspend }, terminated: false };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("after SIGKILL mid-submission and mid-commit, keeps every acknowledged answer and commit and never half-grades", async () => {
  onTestFailed(() => console.error(`[faults] app output:\n${app.output()}`));
  const pid = app.pid;
  let killed = false;

  // SCORM runtimes: one commit at a time each, the next as soon as the last is acknowledged.
  const committed = players.map(() => ({ acknowledged: 0, inFlight: 0 }));
  const committing = players.map(async (player, index) => {
    for (let seq = 1; !killed; seq++) {
      committed[index].inFlight = seq;
      const answer = await request(player.commitUrl, { method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(commitOf(index, seq)) });
      if (answer.status === 200 && JSON.parse(answer.body).ok === true) committed[index].acknowledged = seq;
      else if (!killed) throw new Error(`commit refused: ${answer.status} ${answer.body}`);
    }
  });

  // Learners still answering, as the quiz page's outbox saves.
  const answers = new Map<string, { acknowledged?: QuizResponse; inFlight?: QuizResponse }>();
  const answering = savers.map(async (learner) => {
    for (let round = 0; !killed; round++) {
      for (const question of learner.questions) {
        const response: QuizResponse = question.kind === "short_answer" ? { text: `round ${round}` } : correctResponse(question);
        const key = `${learner.attemptId}|${question.id}`;
        answers.set(key, { ...answers.get(key), inFlight: response });
        const answer = await request(`${APP_URL}${learner.base}/answer`, { cookie: learner.cookie, method: "POST", fields: answerFields(question.id, response), headers: { Accept: "application/json" } });
        if (answer.status === 200) answers.set(key, { acknowledged: response });
        if (killed) return;
        if (answer.status !== 200) throw new Error(`save refused: ${answer.status} ${answer.body}`);
      }
    }
  });

  await until(() => committed.every((c) => c.acknowledged >= 3) && savers.every((l) => l.questions.every((q) => answers.get(`${l.attemptId}|${q.id}`)?.acknowledged)), "every runtime and learner has been acknowledged");

  // Every submitter submits at once; the process dies as the first of them is answered.
  const submissions: Array<Answered | null> = submitters.map(() => null);
  const submitting = submitters.map(async (learner, index) => {
    submissions[index] = await request(`${APP_URL}${learner.base}`, { cookie: learner.cookie, method: "POST", fields: [["intent", "submit"]], headers: { Accept: "text/html" } });
  });
  await until(() => submissions.some((s) => s !== null), "a submission has been answered");
  killed = true;
  await app.kill();
  await Promise.all([...submitting, ...committing, ...answering]);
  const submittedBeforeKill = submissions.filter((s) => s?.status === 302).length;
  const cutOff = submissions.filter((s) => s?.status === 0).length;

  // The database as the crash left it.
  const attempts = await db.quizAttempt.findMany({
    where: { id: { in: [...submitters, ...savers].map((l) => l.attemptId) } },
    select: { id: true, enrolmentId: true, submittedAt: true, closedBy: true, score: true, passed: true, answers: { select: { questionKey: true, points: true, response: true } } },
  });
  for (const attempt of attempts) {
    if (attempt.submittedAt) {
      expect(attempt, "a graded attempt").toMatchObject({ closedBy: "SUBMITTED", score: expect.any(Number), passed: expect.any(Boolean) });
      expect(attempt.answers.every((a) => a.points !== null)).toBe(true);
    } else {
      expect(attempt, "an open attempt").toMatchObject({ closedBy: null, score: null, passed: null });
      expect(attempt.answers.every((a) => a.points === null)).toBe(true);
    }
    const quizDone = await db.itemProgress.findUnique({ where: { enrolmentId_itemKey: { enrolmentId: attempt.enrolmentId, itemKey: "basics-quiz" } }, select: { completedAt: true } });
    expect(Boolean(quizDone?.completedAt), "the quiz counts as done exactly when the attempt passed").toBe(attempt.passed === true);
  }
  submissions.forEach((answer, index) => {
    if (answer?.status === 302) expect(attempts.find((a) => a.id === submitters[index].attemptId)?.submittedAt, "an acknowledged submission").not.toBeNull();
  });
  for (const [key, { acknowledged, inFlight }] of answers) {
    const [attemptId, questionKey] = key.split("|");
    const stored = attempts.find((a) => a.id === attemptId)?.answers.find((a) => a.questionKey === questionKey)?.response;
    // The save cut off by the crash may or may not have been committed; an acknowledged one always was.
    expect([acknowledged, inFlight].filter(Boolean)).toContainEqual(stored);
  }
  const gradedAtKill = attempts.filter((a) => a.submittedAt && submitters.some((l) => l.attemptId === a.id)).length;
  const scorm = await db.scormAttempt.findMany({ where: { userId: { in: players.map((p) => p.id) } }, select: { userId: true, seq: true, location: true, cmi: true } });
  for (const [index, player] of players.entries()) {
    const row = scorm.find((a) => a.userId === player.id)!;
    expect(row.seq).toBeGreaterThanOrEqual(committed[index].acknowledged);
    // Whichever commit is stored, it is stored whole: its suspend_data, location and seq agree.
    expect((row.cmi as { cmi: { suspend_data: string } }).cmi.suspend_data).toBe(commitOf(index, row.seq).cmi.suspend_data);
    expect(row.location).toBe(`page-${row.seq}`);
  }

  // Restarted, the app shows each learner where they were.
  const restarting = Date.now();
  app = await startApp();
  const restartMs = Date.now() - restarting;
  expect(app.pid).not.toBe(pid);
  for (const [index, learner] of submitters.entries()) {
    const page = await request(`${APP_URL}${learner.base}?review`, { cookie: learner.cookie, headers: { Accept: "text/html" } });
    if (submissions[index]?.status === 302) {
      expect(page.status).toBe(302);
      expect(page.location).toBe(`${learner.base}/result`);
      continue;
    }
    if (page.status === 302) continue; // submitted just before the crash, the answer lost on the way
    expect(page.status).toBe(200);
    expect(page.body.match(/>Odgovorjeno</g)).toHaveLength(learner.questions.length);
    const submitted = await request(`${APP_URL}${learner.base}`, { cookie: learner.cookie, method: "POST", fields: [["intent", "submit"]], headers: { Accept: "text/html" } });
    expect(submitted.location).toBe(`${learner.base}/result`);
  }
  // Every submitter answered everything correctly: all passed with full marks, whenever graded.
  expect(await db.quizAttempt.findMany({ where: { id: { in: submitters.map((l) => l.attemptId) } }, select: { score: true, passed: true } })).toEqual(submitters.map(() => ({ score: 100, passed: true })));
  for (const learner of submitters) expect((await request(`${APP_URL}${learner.base}/result`, { cookie: learner.cookie, headers: { Accept: "text/html" } })).body).toContain("Rezultat");

  for (const [index, player] of players.entries()) {
    const stored = scorm.find((a) => a.userId === player.id)!;
    const page = await request(`${APP_URL}/learn/${SCORM_SLUG}/scorm/basics-package`, { cookie: player.cookie, headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    // The page's data names the launch it frames (the frame itself loads once the page runs).
    const runUrl = page.body.match(/http:\/\/localhost:\d+\/scorm-content\/run\/[A-Za-z0-9_-]{43}/)?.[0];
    expect(runUrl, "the player launches the runtime").toBeTruthy();
    const runtime = await request(runUrl!, {});
    const launch = JSON.parse(runtime.body.match(/<script type="application\/json" id="opora-scorm-launch">(.*?)<\/script>/s)![1]);
    expect(launch.ackSeq).toBe(stored.seq);
    expect(launch.seed.cmi.core).toMatchObject({ entry: "resume", lesson_location: `page-${stored.seq}` });
    expect(launch.seed.cmi.suspend_data).toBe(commitOf(index, stored.seq).cmi.suspend_data);
  }

  console.log(
    `[faults] kill: ${submittedBeforeKill} of ${submitters.length} submissions acknowledged before SIGKILL, ${cutOff} cut off (${gradedAtKill} graded in the database, whole); ` +
      `SCORM commits acknowledged per runtime: ${committed.map((c) => c.acknowledged).join(", ")} (stored: ${players.map((p) => scorm.find((a) => a.userId === p.id)!.seq).join(", ")}); restart took ${restartMs} ms`,
  );
});
