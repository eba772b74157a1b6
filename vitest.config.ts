import { defineConfig } from "vitest/config";

// Two projects: `unit` tests pure logic and never touches a database; `integration` runs against a
// real PostgreSQL (embedded when DATABASE_URL is unset), each test file in its own database copied
// from a migrated template (see tests/setup/global-setup.ts).
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "scripts/**/*.test.ts", "server/**/*.test.ts"],
          exclude: ["**/*.server.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["app/**/*.server.test.ts", "tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/per-file-db.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
