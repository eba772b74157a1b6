import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Prisma } from "../../generated/prisma/client.ts";
import { env } from "./env.server.ts";

// Large downloads read through plain pg connections of their own rather than through Prisma: a CSV
// as the bytes PostgreSQL's COPY writes, other downloads as rows of the driver's values (text columns
// as they arrive), without Prisma's conversion of every value, which was most of a 100,000-row
// download's time. The pool is small and lets its connections go when idle: downloads are rare, and
// each holds its connection while it is sent.
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

/** A Prisma.sql value written into the statement, as `parameter` would send it. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // In brackets, so that a negative number after a minus cannot start a comment.
  if (typeof value === "number" && Number.isFinite(value)) return `(${value})`;
  if (Array.isArray(value)) return value.length ? `ARRAY[${value.map(literal).join(", ")}]` : "'{}'";
  throw new Error(`a value of type ${typeof value} cannot be written into a statement`);
}

/**
 * A query with its values written in as literals, for the one statement that takes no parameters:
 * COPY. Strings go through pg's escapeLiteral (quotes doubled, backslashes in an E'' string), so
 * a value cannot end its literal whatever it holds.
 */
export function inlineSql(query: Prisma.Sql) {
  let text = query.strings[0];
  for (let i = 0; i < query.values.length; i++) text += literal(query.values[i]) + query.strings[i + 1];
  return text;
}

/**
 * One transaction on a pooled connection, with the settings a long read needs: it is planned to be
 * read to the end, sorts in memory (32 MB rather than the default 4 MB: a 45,000-person export sorted
 * on disk took 590 ms, in memory 390 ms; at most POOL_SIZE of these run at once), ends if left idle or
 * running for `timeout` ms, writes dates in ISO form and, with `timeZone`, casts instants to that
 * zone's calendar days. The transaction is rolled back at the end; a connection that cannot even do
 * that, or whose read did not finish, is closed rather than handed to the next download.
 */
async function* readTransaction<T>(timeout: number, timeZone: string | undefined, body: (client: pg.PoolClient) => AsyncGenerator<T>): AsyncGenerator<T> {
  const client = await cursorPool().connect();
  // A connection lost between batches is reported here; the next query fails with it.
  const onError = () => {};
  client.on("error", onError);
  let finished = false;
  try {
    await client.query("BEGIN");
    const ms = String(Math.trunc(timeout));
    await client.query(
      `SELECT set_config('cursor_tuple_fraction', '1', true), set_config('work_mem', '32MB', true), set_config('idle_in_transaction_session_timeout', $1, true), set_config('statement_timeout', $1, true), set_config('DateStyle', 'ISO', true)${timeZone ? ", set_config('TimeZone', $2, true)" : ""}`,
      timeZone ? [ms, timeZone] : [ms],
    );
    yield* body(client);
    finished = true;
  } finally {
    // Read to the end: roll back and hand the connection on. Failed or abandoned (the download was
    // stopped): the connection may be in the middle of a query, so it is closed, which also stops
    // PostgreSQL's work on it.
    const closed = finished
      ? await client.query("ROLLBACK").then(
          () => undefined,
          (error: Error) => error,
        )
      : new Error("the read was not finished");
    client.off("error", onError);
    client.release(closed);
  }
}

/**
 * A query's rows as CSV for Excel, written by PostgreSQL itself (COPY … TO STDOUT: `;` between
 * fields, a field quoted when it holds `;`, `"`, CR or LF, NULL as an empty field) and passed on as
 * bytes, lines ended by CRLF. Nothing is decoded or re-encoded on the way, which makes this several
 * times cheaper per row than reading the rows and writing each field; the query must therefore
 * produce the cells as they are to appear (translated, formula-safe). Chunks are about 64 KB.
 */
export async function* copyCsvLines(query: Prisma.Sql, { timeout = 10 * 60_000, timeZone }: { timeout?: number; timeZone?: string }): AsyncGenerator<Buffer> {
  yield* readTransaction(timeout, timeZone, async function* (client) {
    const rows = client.query(copyTo(`COPY (${inlineSql(query)}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')`));
    // The loop below sees the COPY's errors; this keeps one that arrives after a stopped download
    // (its connection being closed) from being an unhandled 'error' event.
    rows.on("error", () => {});
    let pending: Buffer[] = [];
    let size = 0;
    let lines = 0;
    for await (const chunk of rows as AsyncIterable<Buffer>) {
      pending.push(chunk);
      size += chunk.length;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
      if (size >= COPY_PIECE) {
        yield withCrlf(pending, size, lines);
        pending = [];
        size = 0;
        lines = 0;
      }
    }
    if (size) yield withCrlf(pending, size, lines);
  });
}

const COPY_PIECE = 65_536;

/** Chunks of COPY's output as one buffer, each LF (which ends its lines) as CRLF. */
function withCrlf(chunks: Buffer[], size: number, lines: number) {
  const out = Buffer.allocUnsafe(size + lines);
  let written = 0;
  for (const chunk of chunks) {
    let from = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
      written += chunk.copy(out, written, from, at);
      out[written++] = 13;
      out[written++] = 10;
      from = at + 1;
    }
    written += chunk.copy(out, written, from);
  }
  return out;
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
 * ended by the server if the reader stops asking for that long; stopping early closes its connection.
 */
export async function* cursorBatches<Row extends unknown[] = unknown[]>(
  query: Prisma.Sql,
  { batchSize, timeout = 10 * 60_000, timeZone }: { batchSize: number; timeout?: number; timeZone?: string },
): AsyncGenerator<Row[]> {
  const size = Math.trunc(batchSize);
  const deadline = Date.now() + timeout;
  yield* readTransaction(timeout, timeZone, async function* (client) {
    let next: Promise<pg.QueryArrayResult<Row>> | undefined;
    const fetch = () => {
      const result =
        Date.now() > deadline
          ? Promise.reject(new Error(`the cursor's transaction ran out of time (${timeout} ms)`))
          : client.query<Row>({ text: `FETCH ${size} FROM opora_rows`, rowMode: "array" });
      result.catch(() => {}); // the reader sees a failure when it asks for the batch, not before
      return result;
    };
    await client.query(`DECLARE opora_rows NO SCROLL CURSOR FOR ${query.text}`, query.values.map(parameter));
    next = fetch();
    while (next) {
      const batch: pg.QueryArrayResult<Row> = await next;
      const { rows } = batch;
      next = rows.length === size ? fetch() : undefined;
      if (rows.length) yield rows;
    }
  });
}
