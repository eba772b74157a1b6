// Run by tests/integration/unhandled-rejections.test.ts: a process with the server's guard whose
// background work leaves a promise unawaited, as pg-boss 10's worker does with complete and fail.
import pg from "pg";
import { surviveDatabaseOutages } from "../../app/utils/unhandled-rejections.server.ts";

surviveDatabaseOutages((line) => console.log(line));
if (process.argv[2] === "database") {
  // A real refusal from pg: nothing listens on port 1.
  void new pg.Pool({ connectionString: "postgresql://opora:x@127.0.0.1:1/opora" }).query("SELECT 1");
} else {
  void Promise.reject(new Error("a bug in background work"));
}
setTimeout(() => console.log("still running"), 500);
