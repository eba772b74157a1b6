import PgBoss from "pg-boss";
import { env } from "~/utils/env.server.ts";

/** Installed by scripts/lib/migrate.mjs (installJobSchema), which names the same schema. */
const JOB_SCHEMA = "pgboss";

// Background work runs on pg-boss, in the same PostgreSQL as everything else: a job survives a
// restart, and with several app processes each job runs once. Jobs carry ids only; the handler
// reads the current state, so a retried or late job does the right thing (docs/decisions/0008).

export type JobName = "certificate-issued" | "notification-sweep" | "certificate-export" | "retention" | "training-rules";
export const JOB_NAMES: JobName[] = ["certificate-issued", "notification-sweep", "certificate-export", "retention", "training-rules"];

let boss: Promise<PgBoss> | null = null;
/** Whether this process runs workers and the scheduler (the app server) or only sends (tests, scripts). */
let working = false;

function connect(): Promise<PgBoss> {
  if (!boss) {
    boss = (async () => {
      const instance = new PgBoss({ connectionString: env.DATABASE_URL, schema: JOB_SCHEMA, max: working ? 4 : 2, supervise: working, schedule: working, migrate: false });
      instance.on("error", (error) => console.error("[jobs]", error));
      await instance.start();
      for (const name of JOB_NAMES) {
        if (!(await instance.getQueue(name))) await instance.createQueue(name, { name, retryLimit: 5, retryDelay: 30, retryBackoff: true }).catch(ignoreExists);
      }
      return instance;
    })();
    boss.catch(() => {
      boss = null;
    });
  }
  return boss;
}

function ignoreExists(error: unknown) {
  // Two processes creating the same queue at once: the loser's insert hits the unique key.
  if (!/already exists|duplicate key/i.test(String(error))) throw error;
}

/**
 * Queues a job. `singletonKey` keeps one queued job per key (e.g. one export per request), so a
 * double submit does not run the work twice.
 */
export async function enqueue(name: JobName, data: Record<string, unknown>, options: { singletonKey?: string; startAfter?: Date } = {}) {
  const instance = await connect();
  return instance.send(name, data, { singletonKey: options.singletonKey, startAfter: options.startAfter });
}

export type JobHandlers = Record<JobName, (data: Record<string, unknown>) => Promise<void>>;

/**
 * Runs queued jobs in this process until `stopJobs`, and schedules the notification sweep every
 * 15 minutes and retention daily at 03:15 Ljubljana time (pg-boss's scheduler sends each scheduled
 * job once across all processes). A sweep also runs at start, which is how reminders due while the
 * app was down go out.
 */
export async function startWorkers(handlers: JobHandlers) {
  if (boss) await stopJobs();
  working = true;
  const instance = await connect();
  for (const name of JOB_NAMES) {
    await instance.work(name, { pollingIntervalSeconds: 2, batchSize: 1 }, async ([job]) => {
      await handlers[name](job.data as Record<string, unknown>);
    });
  }
  await instance.schedule("notification-sweep", "*/15 * * * *", {});
  await instance.schedule("retention", "15 3 * * *", {}, { tz: "Europe/Ljubljana" });
  // Renewals fall due by the day; new members and rules are applied when they happen.
  await instance.schedule("training-rules", "30 2 * * *", {}, { tz: "Europe/Ljubljana" });
  await instance.send("notification-sweep", {}, { singletonKey: "startup", singletonSeconds: 60 });
  return stopJobs;
}

/**
 * Runs every job waiting in the queue, in this process, until none is left (tests and scripts
 * that need the outcome of a job before they go on).
 */
export async function drainJobs(handlers: JobHandlers) {
  const instance = await connect();
  let ran = 0;
  for (;;) {
    let found = false;
    for (const name of JOB_NAMES) {
      const jobs = await instance.fetch<Record<string, unknown>>(name, { batchSize: 10 });
      for (const job of jobs ?? []) {
        found = true;
        ran++;
        try {
          await handlers[name](job.data);
          await instance.complete(name, job.id);
        } catch (error) {
          await instance.fail(name, job.id, { message: String(error) });
          throw error;
        }
      }
    }
    if (!found) return ran;
  }
}

export async function stopJobs() {
  const current = boss;
  boss = null;
  working = false;
  if (current) await (await current).stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
}
