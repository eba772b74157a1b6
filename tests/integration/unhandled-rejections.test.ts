import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// The server's guard against unhandled rejections (app/utils/unhandled-rejections.server.ts), in a
// process of its own: a database refusal nobody awaited is logged and the process lives on; any
// other unhandled rejection still ends it.
function run(kind: "database" | "bug") {
  return spawnSync(process.execPath, ["--import", "tsx", "tests/support/unhandled-rejection-child.ts", kind], { encoding: "utf8", env: process.env, timeout: 30_000 });
}

describe("unhandled rejections in background work", () => {
  it("survives one caused by the database being unreachable", () => {
    const child = run("database");
    expect(child.stdout).toContain("[db] database unavailable in background work: connect ECONNREFUSED 127.0.0.1:1");
    expect(child.stdout).toContain("still running");
    expect(child.status).toBe(0);
  });

  it("still ends the process for any other", () => {
    const child = run("bug");
    expect(child.stderr).toContain("a bug in background work");
    expect(child.stdout).not.toContain("still running");
    expect(child.status).not.toBe(0);
  });
});
