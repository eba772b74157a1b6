// Run by tests/integration/notification-sweep-processes.test.ts: one app process's scheduled
// notification sweep (the pg-boss job's handler), with its own database pool. It connects, says
// "ready", and sweeps when the test writes a line, so that several processes start together.
import { jobHandlers } from "../../app/jobs/handlers.server.ts";
import { fixedClock } from "../../app/utils/clock.server.ts";
import { db } from "../../app/utils/db.server.ts";

await db.$queryRaw`SELECT 1`;
console.log("ready");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy();
await jobHandlers(fixedClock(process.argv[2]))["notification-sweep"]({});
await db.$disconnect();
console.log("done");
