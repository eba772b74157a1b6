// How close the lesson page comes to the machine's ceiling: the page as a signed-in learner gets it,
// against a bare node:http server that returns the very same bytes, under the same load.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cannon, type Summary, stopChild } from "./lib.ts";

// The bare server runs in a process of its own, as the app does, so that neither shares an event
// loop with the load generator.
const BARE_SERVER = `
const { readFileSync } = require("node:fs");
const [file, type, port] = process.argv.slice(1);
const body = readFileSync(file);
require("node:http").createServer((req, res) => {
  res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
  res.end(body);
}).listen(Number(port), "127.0.0.1", () => console.log("listening"));
`;

export type LessonThroughput = { bytes: number; app: Summary; bare: Summary; ratio: number };

/**
 * Fetches `path` once with `cookie`, serves those bytes on `barePort`, then loads each for
 * `duration` seconds with `connections` connections (after a short warm-up) and compares req/s.
 */
export async function measureLessonThroughput({ base, path, cookie, barePort, duration, connections }: { base: string; path: string; cookie: string; barePort: number; duration: number; connections: number }): Promise<LessonThroughput> {
  const page = await fetch(base + path, { headers: { cookie }, redirect: "manual" });
  const body = Buffer.from(await page.arrayBuffer());
  if (page.status !== 200) throw new Error(`the lesson page answered ${page.status}`);
  const contentType = page.headers.get("content-type") ?? "text/html; charset=utf-8";
  const dir = mkdtempSync(join(tmpdir(), "opora-bench-lesson-"));
  writeFileSync(join(dir, "page.html"), body);
  const bare = spawn("node", ["-e", BARE_SERVER, join(dir, "page.html"), contentType, String(barePort)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    bare.stdout.once("data", () => resolve());
    bare.once("exit", (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  try {
    const bareUrl = `http://127.0.0.1:${barePort}${path}`;
    await cannon(base + path, cookie, 2, connections);
    const app = await cannon(base + path, cookie, duration, connections);
    await cannon(bareUrl, cookie, 2, connections);
    const bareFigures = await cannon(bareUrl, cookie, duration, connections);
    return { bytes: body.length, app, bare: bareFigures, ratio: app.rps / bareFigures.rps };
  } finally {
    await stopChild(bare);
    rmSync(dir, { recursive: true, force: true });
  }
}
