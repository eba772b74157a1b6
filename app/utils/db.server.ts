import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { env } from "./env.server.ts";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * Prisma 6.19 ends an interactive transaction by sending COMMIT or ROLLBACK and only then hands
 * the connection back to the pool. When that statement fails — the server terminated the session
 * because it is stopping or failing over — the connection is never handed back, and a few such
 * transactions leave the pool empty until the process restarts. Here a failed COMMIT or ROLLBACK
 * hands it back (pg's pool then drops a broken connection instead of reusing it). A failed
 * ROLLBACK is not an error: a transaction whose session is gone was rolled back by the server.
 * (It also spares Prisma's transaction timeout, which rolls back from a timer, a rejection no one
 * would handle.) A failed COMMIT is: the caller must not take the write as done.
 */
function releaseOnFailedEnd(transaction: Transaction): Transaction {
  const executeRaw = transaction.executeRaw.bind(transaction);
  // The adapter's commit() and rollback() each hand the connection back: only the first may.
  const handBack = { commit: transaction.commit.bind(transaction), rollback: transaction.rollback.bind(transaction) };
  let handedBack = false;
  const once = (end: () => Promise<void>) => async () => {
    if (handedBack) return;
    handedBack = true;
    await end();
  };
  transaction.commit = once(handBack.commit);
  transaction.rollback = once(handBack.rollback);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.sql !== "COMMIT" && query.sql !== "ROLLBACK") throw error;
      await transaction.rollback().catch(() => {});
      if (query.sql === "ROLLBACK") return 0;
      throw error;
    }
  };
  return transaction;
}

/** A Prisma client and the pg pool it draws connections from, which hand-written SQL shares (sql.server.ts). */
export function createDbClient(url: string, options: { max: number; connectionTimeoutMillis: number }) {
  const pool = new pg.Pool({ connectionString: url, ...options });
  // An idle connection the server closed is dropped by the pool; the next query opens another.
  pool.on("error", () => {});
  const factory = new PrismaPg(pool, { disposeExternalPool: true });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseOnFailedEnd(await startTransaction(isolationLevel));
    return adapter;
  };
  return Object.assign(new PrismaClient({ adapter: factory }), { pool });
}

// One client per process (and per Vite hot reload in development). A request waits at most
// connectionTimeoutMillis for a pooled connection; then it fails as "database unavailable" (503).
const globalForDb = globalThis as unknown as { __oporaDb?: ReturnType<typeof createDbClient> };
export const db = globalForDb.__oporaDb ?? createDbClient(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 });
if (env.NODE_ENV !== "production") globalForDb.__oporaDb = db;
