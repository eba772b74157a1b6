import { defineConfig } from "vitest/config";

// Fault tests (tests/faults): the built app as a child process against an embedded PostgreSQL of
// their own (.data/fault-pg), which they stop, start, and under which they kill the app. They need
// `npm run build` first, so scripts/test.mjs runs them after the build, one file at a time.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    name: "faults",
    include: ["tests/faults/**/*.test.ts"],
    setupFiles: ["tests/faults/setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
