import pg from "pg";
import { isRouteErrorResponse, type ServerBuild } from "react-router";
import { afterAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { guardDatabaseErrors, isDatabaseUnavailable } from "../../app/utils/database-unavailable.server.ts";
import { createDbClient, db } from "../../app/utils/db.server.ts";

// The errors PostgreSQL, pg and Prisma really produce when the database goes away, each caught
// from a real server: refused connections, a connection terminated by the server (what a shutdown
// or failover sends every session), a pool whose connections are all taken. Other failures must
// stay what they are.

const clients: PrismaClient[] = [];
function client(url: string, pool: { max?: number; connectionTimeoutMillis?: number } = {}) {
  const prisma = createDbClient(url, { max: pool.max ?? 2, connectionTimeoutMillis: pool.connectionTimeoutMillis ?? 5_000 });
  clients.push(prisma);
  return prisma;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

async function caught(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/** A transaction whose session the server terminates half way, as a shutdown does; its error. */
async function terminatedTransaction(victim: PrismaClient, name: string) {
  const inFlight = caught(() =>
    victim.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('application_name', ${name}, true)`;
        await tx.$queryRaw`SELECT pg_sleep(5)::text`;
      },
      { timeout: 20_000 },
    ),
  );
  // Terminated while its query runs, as when PostgreSQL stops: between two statements the session
  // would merely be gone, and the next statement would fail on a closed connection instead.
  await expect
    .poll(async () => (await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = ${name} AND state = 'active' AND query LIKE '%pg_sleep%'`)[0].n)
    .toBe(1n);
  await db.$queryRaw`SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = ${name}`;
  return inFlight;
}

describe("isDatabaseUnavailable", () => {
  it("recognises a server that refuses connections, through Prisma's queries, raw queries and transactions", async () => {
    const refused = client("postgresql://opora:x@127.0.0.1:1/opora");
    expect(isDatabaseUnavailable(await caught(() => refused.user.count()))).toBe(true);
    expect(isDatabaseUnavailable(await caught(() => refused.$queryRaw`SELECT 1`))).toBe(true);
    expect(isDatabaseUnavailable(await caught(() => refused.$transaction((tx) => tx.user.count())))).toBe(true);
    // pg itself (pg-boss uses it directly).
    const plain = new pg.Client({ connectionString: "postgresql://opora:x@127.0.0.1:1/opora" });
    expect(isDatabaseUnavailable(await caught(() => plain.connect()))).toBe(true);
  });

  it("recognises a session the server terminated (57P01, sent to every session when PostgreSQL stops)", async () => {
    const error = await terminatedTransaction(client(process.env.DATABASE_URL!), "opora-victim");
    expect(error).toMatchObject({ code: "P2010" });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("recognises a pool whose every connection stayed busy past the connection timeout", async () => {
    const small = client(process.env.DATABASE_URL!, { max: 1, connectionTimeoutMillis: 300 });
    const holding = small.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(1)::text`, { timeout: 10_000 });
    // Let the transaction take the only connection first.
    await new Promise((resolve) => setImmediate(resolve));
    const error = await caught(() => small.user.count());
    await holding;
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("leaves every other failure alone", async () => {
    expect(isDatabaseUnavailable(await caught(() => db.$queryRaw`SELECT * FROM no_such_table`))).toBe(false);
    expect(isDatabaseUnavailable(await caught(() => db.user.findUniqueOrThrow({ where: { id: "nobody" } })))).toBe(false);
    const email = `same-${Date.now()}@example.org`;
    await db.user.create({ data: { email, name: "A", profession: "NURSE", passwordHash: "x" } });
    expect(isDatabaseUnavailable(await caught(() => db.user.create({ data: { email, name: "B", profession: "NURSE", passwordHash: "x" } })))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe("the app's database client", () => {
  it("gets connections again after more terminated transactions than its pool holds", async () => {
    const app = client(process.env.DATABASE_URL!, { max: 2, connectionTimeoutMillis: 2_000 });
    for (let round = 0; round < 3; round++) expect(isDatabaseUnavailable(await terminatedTransaction(app, `opora-app-${round}`))).toBe(true);
    expect(await app.$transaction((tx) => tx.$queryRaw<Array<{ ok: number }>>`SELECT 1 AS ok`)).toEqual([{ ok: 1 }]);
    expect(await app.user.count()).toBeGreaterThanOrEqual(0);
  });
});

describe("guardDatabaseErrors", () => {
  const unreachable = Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" });
  const build = {
    entry: { module: {} },
    routes: {
      page: { id: "page", path: "page", module: { default: () => null, loader: async () => { throw unreachable; }, action: async () => { throw new Error("a bug"); } } },
      resource: { id: "resource", path: "resource", module: { action: async () => { throw unreachable; } } },
      ok: { id: "ok", path: "ok", module: { default: () => null, loader: async () => ({ fine: true }) } },
    },
  } as unknown as ServerBuild;
  const guarded = guardDatabaseErrors(build);
  const call = (id: string, kind: "loader" | "action", request: Request) => (guarded.routes[id]!.module[kind] as (args: { request: Request }) => Promise<unknown>)({ request });

  it("turns it into a 503 page error in the visitor's language, and leaves other errors and results as they were", async () => {
    const english = new Request("http://opora.test/page", { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    const thrown = await caught(() => call("page", "loader", english));
    expect(thrown).toMatchObject({ type: "DataWithResponseInit", data: { message: "errors.unavailable", locale: "en" }, init: { status: 503, headers: { "Retry-After": "5" } } });
    expect(await caught(() => call("page", "loader", new Request("http://opora.test/page")))).toMatchObject({ data: { locale: "sl" } });
    expect(await caught(() => call("page", "action", english))).toMatchObject({ message: "a bug" });
    expect(isRouteErrorResponse(await caught(() => call("page", "action", english)))).toBe(false);
    expect(await call("ok", "loader", english)).toEqual({ fine: true });
    expect(guarded.routes.ok!.module.action).toBeUndefined();
  });

  it("answers a resource route with a 503 of its own: JSON for programs, a short page for browsers", async () => {
    const json = (await caught(() => call("resource", "action", new Request("http://opora.test/resource", { method: "POST" })))) as Response;
    expect(json.status).toBe(503);
    expect(json.headers.get("Retry-After")).toBe("5");
    expect(await json.json()).toEqual({ ok: false, error: "errors.unavailable" });
    const html = (await caught(() => call("resource", "action", new Request("http://opora.test/resource", { method: "POST", headers: { Accept: "text/html", "Accept-Language": "en" } })))) as Response;
    expect(html.status).toBe(503);
    expect(await html.text()).toContain("We cannot reach our database at the moment.");
  });
});
