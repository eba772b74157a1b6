import { expect, it } from "vitest";

it("answers 503 with db down when PostgreSQL cannot be reached", async () => {
  // Nothing listens on port 1: the app's database is unreachable from the first query.
  process.env.DATABASE_URL = "postgresql://opora:x@127.0.0.1:1/opora";
  const { loader } = await import("../../app/routes/api/healthz.ts");
  const response = await loader();
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe("5");
  expect(await response.json()).toEqual({ status: "error", db: "down" });
});
