import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The production server as operators run it (`npm start`: scripts/start.mjs applies migrations,
// imports courses, serves the build), as a child process the test can kill. Ports are the fault
// tests' own, so other suites' servers on this machine are never touched.

export const APP_PORT = Number(process.env.FAULT_APP_PORT ?? 3600);
export const CONTENT_PORT = APP_PORT + 1;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;
export const CONTENT_URL = `http://localhost:${CONTENT_PORT}`;

export type AppProcess = {
  pid: number;
  /** milliseconds from spawning to the first healthy answer */
  startedInMs: number;
  output(): string;
  /** SIGKILL to every process of the app: no shutdown handler runs, requests in flight are cut off. */
  kill(): Promise<void>;
  /** SIGTERM, as a deployment stops it. */
  stop(): Promise<void>;
  alive(): boolean;
};

function exited(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Starts the built app on APP_PORT against the test file's database and waits until it answers. */
export async function startApp(): Promise<AppProcess> {
  const started = Date.now();
  // A process group of its own: `kill` reaches every process of the app at once (start.mjs may run
  // the server as a child of its own, with the server's memory settings).
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(APP_PORT),
      HOST: "127.0.0.1",
      PUBLIC_URL: APP_URL,
      CONTENT_ORIGIN: "",
      CONTENT_PORT: String(CONTENT_PORT),
      WEB_CONCURRENCY: "1",
      // No course folder to import at start (the tests import their fixture course themselves).
      COURSES_DIR: mkdtempSync(join(tmpdir(), "opora-fault-courses-")),
      SEED_DEMO: "0",
      // Production mode without a real controller or mail server: the demo placeholders and mailbox.
      OPORA_DEMO: "1",
      SMTP_URL: "",
      CREDENTIAL_KEYS_DIR: mkdtempSync(join(tmpdir(), "opora-fault-keys-")),
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const app: AppProcess = {
    pid: child.pid ?? 0,
    startedInMs: 0,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill() {
      process.kill(-app.pid, "SIGKILL");
      await exited(child);
    },
    async stop() {
      if (!app.alive()) return;
      child.kill("SIGTERM");
      await exited(child);
    },
  };
  for (;;) {
    if (!app.alive()) throw new Error(`the app exited while starting:\n${output}`);
    if (Date.now() - started > 150_000) {
      await app.kill();
      throw new Error(`the app did not become healthy in 150 s:\n${output}`);
    }
    const healthy = await fetch(`${APP_URL}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  app.startedInMs = Date.now() - started;
  return app;
}
