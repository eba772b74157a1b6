import { randomFillSync } from "node:crypto";
import pg from "pg";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { Tx } from "./db.server.ts";

// Hand-written SQL on the same pooled connections as Prisma, for the few queries every request or
// every exam answer runs. Prisma's client spends 1–2.5 ms of CPU on each query it builds (its query
// compiler runs as WebAssembly on the main thread), plain pg about a tenth of that; on two cores
// that difference is most of a page's cost (ADR 0014). Everything else stays with Prisma.

/** `timestamp` columns hold UTC instants (Prisma writes them so): read them back as such. */
const UTC_TIMESTAMP = 1114;
const parseUtcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === UTC_TIMESTAMP ? parseUtcTimestamp : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** Values as Prisma would send them: instants as UTC ISO text, which a `timestamp` column takes without shifting. */
function parameter(value: unknown) {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * An id for a row inserted in plain SQL, shaped like the ids Prisma's cuid() gives (25 characters:
 * "c", the time in base 36, then random base-36 characters), so both kinds sort and look alike.
 */
export function newRowId() {
  // Random bytes come from a pool filled 4 KB at a time: one call into the system's generator per
  // 256 ids rather than per id (a save of an answer spent ~0.25 ms here).
  if (randomAt + 16 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomAt = 0;
  }
  let random = "";
  for (let end = randomAt + 16; randomAt < end; randomAt++) random += BASE36[RANDOM_POOL[randomAt] % 36];
  return `c${Date.now().toString(36).padStart(8, "0")}${random}`;
}

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const RANDOM_POOL = Buffer.alloc(4096);
let randomAt = RANDOM_POOL.length;

export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/**
 * Where plain SQL runs: a pg connection (the pool, or one transaction's client), or a Prisma
 * interactive transaction, for steps shared by both kinds of transaction (completing a course).
 * Both give timestamps as Dates, jsonb as values and arrays as arrays; cast counts to int.
 */
export type SqlOn = Queryable | Pick<Tx, "$queryRaw">;

/** Rows of a `Prisma.sql` query, as objects keyed by column name. Counts should be cast to int in SQL. */
export async function sqlRows<Row extends object>(on: SqlOn, query: Prisma.Sql): Promise<Row[]> {
  if ("$queryRaw" in on) return on.$queryRaw<Row[]>(query);
  const result = await on.query<Row & pg.QueryResultRow>({ text: query.text, values: query.values.map(parameter), types });
  return result.rows;
}

/** The first row of a query, or undefined. */
export async function sqlRow<Row extends object>(on: SqlOn, query: Prisma.Sql): Promise<Row | undefined> {
  return (await sqlRows<Row>(on, query))[0];
}

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK when it
 * throws. A connection whose ROLLBACK fails (the server went away) is dropped, not reused.
 */
export async function sqlTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((failed: Error) => (broken = failed));
    throw error;
  } finally {
    client.release(broken);
  }
}
