import { db } from "~/utils/db.server.ts";

// For load balancers and monitoring: 200 when PostgreSQL answers, 503 when it does not.
export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2_000))]);
    return Response.json({ status: "ok", db: "ok" }, { headers });
  } catch {
    return Response.json({ status: "error", db: "down" }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
  }
}
