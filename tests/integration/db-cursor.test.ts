import { expect, it } from "vitest";
import { Prisma } from "../../generated/prisma/client.ts";
import { copyCsvLines, cursorBatches, inlineSql } from "../../app/utils/db-cursor.server.ts";
import { csvField, formulaSafeSql } from "../../app/utils/csv.ts";
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
  // The connection is closed, not handed back: its server process ends when it reads the close.
  await expect.poll(openTransactions).toBe(0);
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
  await expect.poll(openTransactions).toBe(0);
  expect(await readAll(cursorBatches(Prisma.sql`SELECT 1`, { batchSize: 2 }))).toEqual([[1]]);
});

it("stops a reader that outlives its time", async () => {
  const reader = cursorBatches(Prisma.sql`SELECT n FROM generate_series(1, 10) AS n`, { batchSize: 2, timeout: 50 });
  await reader.next();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await expect(readAll(reader)).rejects.toThrow();
  await expect.poll(openTransactions).toBe(0);
});

const decode = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8");
async function copied(query: Prisma.Sql, options: { timeZone?: string } = {}) {
  const chunks: Buffer[] = [];
  for await (const chunk of copyCsvLines(query, options)) chunks.push(chunk);
  return decode(chunks);
}

// Values that would break out of a literal written carelessly, or change the statement around it.
const awkward: unknown[] = [
  "it's",
  "back\\slash",
  "\\' OR 1=1 --",
  "'; DROP TABLE \"User\"; --",
  "$1 $$ dollar $$",
  "E'\\x41'",
  "semi;colon",
  'say "hi"',
  "two\nlines",
  "čšž ČŠŽ 🙂",
  -3,
  0.1,
  true,
  null,
  new Date("2027-03-01T10:00:00.123Z"),
];

it("writes the same values into a COPY as a parameterised query receives", async () => {
  for (const value of awkward) {
    const query = Prisma.sql`SELECT (${value})::text AS v`;
    const [[expected]] = await readAll(cursorBatches<[string | null]>(query, { batchSize: 1 }));
    const [[got]] = await readAll(cursorBatches<[string | null]>(Prisma.raw(inlineSql(query)), { batchSize: 1 }));
    expect(got, String(value)).toBe(expected);
  }
  // A negative number after a minus stays a number, not the start of a comment.
  expect(await readAll(cursorBatches<[number]>(Prisma.raw(inlineSql(Prisma.sql`SELECT 1 -${-3}::int`)), { batchSize: 1 }))).toEqual([[4]]);
  // Lists, as the department organiser's scope passes them.
  const scope = (ids: string[]) => inlineSql(Prisma.sql`SELECT cardinality(${ids}::text[]), 'b' = ANY(${ids}::text[])`);
  expect(await readAll(cursorBatches(Prisma.raw(scope(["a", "b'c", "b"])), { batchSize: 1 }))).toEqual([[3, true]]);
  expect(await readAll(cursorBatches(Prisma.raw(scope([])), { batchSize: 1 }))).toEqual([[0, false]]);
  expect(() => inlineSql(Prisma.sql`SELECT ${Number.NaN}`)).toThrow();
});

it("has PostgreSQL write CSV as Excel reads it: the same cells as csvField, formula-safe, lines ended by CRLF", async () => {
  const texts = ["plain", "semi;colon", 'say "hi"', "two\nlines", "=HYPERLINK(\"http://x\")", "+386 1", "-5", "@sum", "\tTab", "čšž", "", null];
  const values = Prisma.join(texts.map((text, i) => Prisma.sql`(${i}, ${text}::text)`));
  const csv = await copied(Prisma.sql`SELECT ${Prisma.raw(formulaSafeSql("t"))}, n FROM (VALUES ${values}) AS v(n, t) ORDER BY n`);
  // Every LF becomes CRLF, also the one inside the quoted cell (Excel shows either as a line break).
  expect(csv).toBe(texts.map((text, i) => `${csvField(text)};${i}\r\n`).join("").replace('"two\nlines"', '"two\r\nlines"'));
  expect(csv.split("\r\n").filter(Boolean)).toHaveLength(texts.length + 1); // the line break inside a quoted cell stays in its cell
});

it("sends a large COPY in pieces, and a reader that stops early leaves nothing running", async () => {
  const query = Prisma.sql`SELECT n, repeat('x', 100) FROM generate_series(1, 20000) AS n`;
  const sizes: number[] = [];
  let lines = 0;
  for await (const chunk of copyCsvLines(query, {})) {
    sizes.push(chunk.length);
    for (const byte of chunk) if (byte === 10) lines++;
  }
  expect(lines).toBe(20000);
  expect(sizes.length).toBeGreaterThan(10);
  expect(Math.max(...sizes)).toBeLessThan(256 * 1024);

  const running = async () => Number((await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT n, repeat%'`)[0].n);
  const reader = copyCsvLines(Prisma.sql`SELECT n, repeat('x', 100) FROM generate_series(1, 2000000) AS n`, {});
  expect((await reader.next()).done).toBe(false);
  expect(await running()).toBe(1);
  await reader.return(undefined);
  await expect.poll(running, { timeout: 10_000 }).toBe(0);
  expect(await copied(Prisma.sql`SELECT 1`)).toBe("1\r\n");
});

it("fails with the query's error and leaves the pool usable", async () => {
  await expect(copied(Prisma.sql`SELECT 1 / (n - 3) FROM generate_series(1, 5) AS n`)).rejects.toThrow(/division by zero/);
  await expect.poll(openTransactions).toBe(0);
  expect(await copied(Prisma.sql`SELECT (${new Date("2027-03-28T22:30:00Z")}::timestamp(3) AT TIME ZONE 'UTC')::date`, { timeZone: "Europe/Ljubljana" })).toBe("2027-03-29\r\n");
});
