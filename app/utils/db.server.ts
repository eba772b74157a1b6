import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { env } from "./env.server.ts";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function createClient(url: string) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: env.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 }),
  });
}

// One client per process (and per Vite hot reload in development).
const globalForDb = globalThis as unknown as { __oporaDb?: PrismaClient };
export const db: PrismaClient = globalForDb.__oporaDb ?? createClient(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalForDb.__oporaDb = db;
