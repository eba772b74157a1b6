import { expect, it } from "vitest";
import { Prisma } from "../../generated/prisma/client.ts";
import { cursorBatches } from "../../app/utils/db-cursor.server.ts";
import { db } from "../../app/utils/db.server.ts";

const openTransactions = async () =>
  Number((await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)[0].n);

it("reads a query in batches, and a reader that stops early leaves no transaction open", async () => {
  const query = Prisma.sql`SELECT n FROM generate_series(1, 12000) AS n ORDER BY n`;
  const sizes: number[] = [];
  for await (const rows of cursorBatches<{ n: number }>(query, { batchSize: 5000 })) sizes.push(rows.length);
  expect(sizes).toEqual([5000, 5000, 2000]);

  const reader = cursorBatches<{ n: number }>(query, { batchSize: 5000 });
  const first = await reader.next();
  expect(first.value?.[0]).toEqual({ n: 1 });
  expect(await openTransactions()).toBe(1);
  await reader.return(undefined);
  expect(await openTransactions()).toBe(0);
});
