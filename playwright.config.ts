import { defineConfig, devices } from "@playwright/test";

// Driven by scripts/test.mjs, which provides a fresh database (E2E_DATABASE_URL), a production
// build and a Chromium (CHROMIUM_PATH). The app delivers email to a real SMTP server (smtp-sink).
const port = Number(process.env.E2E_PORT ?? 3100);
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2525);
const mailApiPort = Number(process.env.E2E_MAIL_API_PORT ?? 2526);
export const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: chromium,
    locale: "sl-SI",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 800 } }, testIgnore: /\.mobile\.spec\.ts$/ },
    { name: "phone", use: { ...devices["Pixel 7"], browserName: "chromium", launchOptions: chromium }, testMatch: /\.mobile\.spec\.ts$/ },
  ],
  webServer: [
    {
      command: "node tests/support/smtp-sink.mjs",
      url: `http://127.0.0.1:${mailApiPort}/`,
      env: { E2E_SMTP_PORT: String(smtpPort), E2E_MAIL_API_PORT: String(mailApiPort) },
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      command: "node scripts/start.mjs",
      url: `${baseURL}/healthz`,
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: baseURL,
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
        SEED_DEMO: "1",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
        NODE_ENV: "production",
        MAIL_FROM: "Opora <no-reply@opora.test>",
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
