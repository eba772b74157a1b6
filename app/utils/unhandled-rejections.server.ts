import { isDatabaseUnavailable } from "./database-unavailable.server.ts";

/**
 * Keeps the server running when a promise nobody awaits fails because the database cannot be
 * reached. pg-boss 10 completes and fails jobs without awaiting either (timgit/pg-boss#577), so a
 * job that ends while PostgreSQL restarts would end the process, Node's default for an unhandled
 * rejection; the job instead stays active and pg-boss retries it once it expires. Every other
 * unhandled rejection still ends the process, as Node's default does.
 */
export function surviveDatabaseOutages(log: (line: string) => void = console.error) {
  process.on("unhandledRejection", (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    log(`[db] database unavailable in background work: ${String((reason as Error)?.message ?? reason).split("\n").at(-1)}`);
  });
}
