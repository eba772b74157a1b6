import pg from "pg";
import type { Prisma } from "../../generated/prisma/client.ts";
import { env } from "./env.server.ts";

// Large downloads read through plain pg connections of their own rather than through Prisma: rows
// come as arrays of the driver's values (text columns as they arrive), without Prisma's conversion
// of every value, which was most of a 100,000-row download's time. The pool is small and lets its
// connections go when idle: downloads are rare, and each holds its connection while it is sent.
const POOL_SIZE = 4;
let pool: pg.Pool | undefined;

function cursorPool() {
  if (!pool) {
    pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: POOL_SIZE, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle connection the server closed is dropped by the pool; the next download opens another.
    pool.on("error", () => {});
  }
  return pool;
}

/** Prisma.sql values as pg sends them: instants in UTC, as Prisma stores them in `timestamp` columns. */
function parameter(value: unknown) {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * A query's rows in batches from a server-side cursor: PostgreSQL plans and sorts the whole result
 * once and hands it over `batchSize` rows at a time, so a 100,000-row download neither sits in memory
 * nor repeats an index walk per batch. Each row is an array of the select list's values. The next
 * batch is asked for as soon as one is handed over, so PostgreSQL sends it while the reader works;
 * at most two batches are held at once.
 *
 * Dates and times cast to text are in ISO form; with `timeZone`, an instant cast to a date is its
 * calendar day there (`("at" AT TIME ZONE 'UTC')::date::text` for Prisma's UTC timestamps), which
 * PostgreSQL works out far faster than to_char or a second AT TIME ZONE per value.
 *
 * The cursor's transaction stays open for at most `timeout` ms (then the next batch fails), and is
 * ended by the server if the reader stops asking for that long; stopping early closes it.
 */
export async function* cursorBatches<Row extends unknown[] = unknown[]>(
  query: Prisma.Sql,
  { batchSize, timeout = 10 * 60_000, timeZone }: { batchSize: number; timeout?: number; timeZone?: string },
): AsyncGenerator<Row[]> {
  const size = Math.trunc(batchSize);
  const deadline = Date.now() + timeout;
  const client = await cursorPool().connect();
  // A connection lost between batches is reported here; the next query fails with it.
  const onError = () => {};
  client.on("error", onError);
  let next: Promise<pg.QueryArrayResult<Row>> | undefined;
  const fetch = () => {
    const result =
      Date.now() > deadline
        ? Promise.reject(new Error(`the cursor's transaction ran out of time (${timeout} ms)`))
        : client.query<Row>({ text: `FETCH ${size} FROM opora_rows`, rowMode: "array" });
    result.catch(() => {}); // the reader sees a failure when it asks for the batch, not before
    return result;
  };
  try {
    await client.query("BEGIN");
    // Cursors are planned for the first 10 % of rows by default; this one is read to the end. Its
    // sort gets 32 MB rather than the default 4 MB: a 45,000-person export sorted on disk took
    // 590 ms, in memory 390 ms (at most POOL_SIZE of these run at once).
    await client.query(
      `SELECT set_config('cursor_tuple_fraction', '1', true), set_config('work_mem', '32MB', true), set_config('idle_in_transaction_session_timeout', $1, true), set_config('DateStyle', 'ISO', true)${timeZone ? ", set_config('TimeZone', $2, true)" : ""}`,
      timeZone ? [String(Math.trunc(timeout)), timeZone] : [String(Math.trunc(timeout))],
    );
    await client.query(`DECLARE opora_rows NO SCROLL CURSOR FOR ${query.text}`, query.values.map(parameter));
    next = fetch();
    while (next) {
      const { rows }: pg.QueryArrayResult<Row> = await next;
      next = rows.length === size ? fetch() : undefined;
      if (rows.length) yield rows;
    }
  } finally {
    await next?.catch(() => {});
    // A connection that cannot even roll back is closed rather than handed to the next download.
    const closed = await client.query("ROLLBACK").then(
      () => undefined,
      (error: Error) => error,
    );
    client.off("error", onError);
    client.release(closed);
  }
}
