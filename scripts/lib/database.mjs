// Which database Opora uses: DATABASE_URL when set, else the embedded PostgreSQL under .data/.
import { resolve } from "node:path";
import { startEmbeddedPostgres } from "./embedded-db.mjs";

const PROJECT_DIR = new URL("../../", import.meta.url).pathname;

export async function connectDatabase({ log = () => {} } = {}) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres({
    dataDir: resolve(PROJECT_DIR, ".data/pg"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 5455),
    database: "opora",
    log: (line) => log(`[postgres] ${line}`),
  });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
