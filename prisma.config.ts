import { defineConfig } from "prisma/config";
import { MigrationAdapter, poolConfig } from "./prisma/cli-workarounds.ts";

// The CLI runs its schema engine as WebAssembly through the pg driver adapter (engine: "js"):
// no engine binary is downloaded. See docs/decisions/0002-prisma-client-engine.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new MigrationAdapter(poolConfig(process.env.DATABASE_URL!)),
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
