import { expect, it } from "vitest";
import { Prisma } from "../../generated/prisma/client.ts";
import { cursorBatches } from "../../app/utils/db-cursor.server.ts";
import { db } from "../../app/utils/db.server.ts";

const openTransactions = async () =>
  Number((await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)[0].n);

async function readAll<Row extends unknown[]>(batches: AsyncIterable<Row[]>) {
  const rows: Row[] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

it("reads a query in batches, and a reader that stops early leaves no transaction open", async () => {
  const query = Prisma.sql`SELECT n, 'row ' || n FROM generate_series(1, 12000) AS n ORDER BY n`;
  const sizes: number[] = [];
  let last: unknown[] = [];
  for await (const rows of cursorBatches<[number, string]>(query, { batchSize: 5000 })) {
    sizes.push(rows.length);
    last = rows[rows.length - 1];
  }
  expect(sizes).toEqual([5000, 5000, 2000]);
  expect(last).toEqual([12000, "row 12000"]);

  const reader = cursorBatches<[number, string]>(query, { batchSize: 5000 });
  const first = await reader.next();
  expect(first.value?.[0]).toEqual([1, "row 1"]);
  expect(await openTransactions()).toBe(1);
  await reader.return(undefined);
  expect(await openTransactions()).toBe(0);
});

it("passes the query's values, instants in UTC as Prisma stores them", async () => {
  const at = new Date("2027-03-01T10:00:00.123Z");
  const query = Prisma.sql`SELECT ${"a;b"}::text, ${at}::timestamp(3)::text`;
  expect(await readAll(cursorBatches(query, { batchSize: 10 }))).toEqual([["a;b", "2027-03-01 10:00:00.123"]]);
});

it("reads an instant's calendar day in the time zone asked for", async () => {
  // 22:30 UTC on the last Sunday of March is already Monday in Ljubljana (summer time, UTC+2).
  const query = Prisma.sql`SELECT (${new Date("2027-03-28T22:30:00Z")}::timestamp(3) AT TIME ZONE 'UTC')::date::text`;
  expect(await readAll(cursorBatches(query, { batchSize: 10, timeZone: "Europe/Ljubljana" }))).toEqual([["2027-03-29"]]);
  expect(await readAll(cursorBatches(query, { batchSize: 10, timeZone: "UTC" }))).toEqual([["2027-03-28"]]);
});

it("fails with the query's error and gives its connection back", async () => {
  // The third row divides by zero: the first batch arrives, the second fails.
  const broken = cursorBatches(Prisma.sql`SELECT 1 / (n - 3) FROM generate_series(1, 5) AS n`, { batchSize: 2 });
  await expect(readAll(broken)).rejects.toThrow(/division by zero/);
  expect(await openTransactions()).toBe(0);
  expect(await readAll(cursorBatches(Prisma.sql`SELECT 1`, { batchSize: 2 }))).toEqual([[1]]);
});

it("stops a reader that outlives its time", async () => {
  const reader = cursorBatches(Prisma.sql`SELECT n FROM generate_series(1, 10) AS n`, { batchSize: 2, timeout: 50 });
  await reader.next();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await expect(readAll(reader)).rejects.toThrow();
  expect(await openTransactions()).toBe(0);
});
