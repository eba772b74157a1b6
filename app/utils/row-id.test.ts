import { describe, expect, it } from "vitest";
import { newRowId } from "./sql.server.ts";

describe("newRowId", () => {
  it("looks like Prisma's cuid(): 25 characters, c, the time, then random base 36", () => {
    const before = Date.now();
    const id = newRowId();
    expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(Number.parseInt(id.slice(1, 9), 36)).toBeGreaterThanOrEqual(before);
  });

  it("never repeats, also across refills of its random pool", () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newRowId()));
    expect(ids.size).toBe(5_000);
    // Every base-36 character turns up in the random part: the pool is not stuck on a few bytes.
    const seen = new Set([...ids].flatMap((id) => [...id.slice(9)]));
    expect(seen.size).toBe(36);
  });
});
