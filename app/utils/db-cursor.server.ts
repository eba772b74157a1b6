import type { Prisma } from "../../generated/prisma/client.ts";
import { db } from "./db.server.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a rejection nobody waits for is not a crash; the reader sees it when it asks
  return { promise, resolve, reject };
}

/**
 * A query's rows in batches from a server-side cursor: PostgreSQL plans and sorts the whole result
 * once and hands it over `batchSize` rows at a time, so a 100,000-row download neither sits in memory
 * nor repeats an index walk per batch. The cursor lives in a transaction that stays open while the
 * reader asks for batches, for at most `timeout` ms (then the next batch fails); stopping early
 * closes it.
 */
export async function* cursorBatches<T>(query: Prisma.Sql, { batchSize, timeout = 10 * 60_000 }: { batchSize: number; timeout?: number }): AsyncGenerator<T[]> {
  let ask = deferred<boolean>();
  let batch = deferred<T[]>();
  const finished = db.$transaction(
    async (tx) => {
      // Cursors are planned for the first 10 % of rows by default; this one is read to the end.
      await tx.$executeRaw`SET LOCAL cursor_tuple_fraction = 1`;
      await tx.$executeRaw`DECLARE opora_rows NO SCROLL CURSOR FOR ${query}`;
      for (;;) {
        if (!(await ask.promise)) return;
        ask = deferred();
        const rows = await tx.$queryRawUnsafe<T[]>(`FETCH ${Math.trunc(batchSize)} FROM opora_rows`);
        const answered = batch;
        batch = deferred();
        answered.resolve(rows);
        if (rows.length < batchSize) return;
      }
    },
    { timeout, maxWait: 10_000 },
  );
  finished.catch((error) => batch.reject(error));
  try {
    for (;;) {
      const next = batch;
      ask.resolve(true);
      const rows = await next.promise;
      if (rows.length) yield rows;
      if (rows.length < batchSize) return;
    }
  } finally {
    ask.resolve(false);
    await finished.catch(() => {});
  }
}
