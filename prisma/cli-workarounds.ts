// Workarounds that let the Prisma 6.19 CLI run its schema engine as WebAssembly through
// @prisma/adapter-pg, so no engine binary is ever downloaded. Used only by the CLI (prisma.config.ts):
// the app itself applies migrations with scripts/lib/migrate.mjs. Each hack is tied to an upstream bug;
// drop it when the bug is fixed.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

// prisma/orm#27403: adapter-pg cannot map catalog types (`name`, `regclass`, …) that the schema
// engine reads while introspecting; present them as text (OID 25), and name[] as text[].
const CATALOG_TYPES_AS_TEXT = new Set([18, 19, 22, 30, 194, 2205, 2206]);
function presentCatalogTypesAsText<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as { fields?: Array<{ dataTypeID: number }> })?.fields ?? []) {
      if (CATALOG_TYPES_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = 25;
      else if (field.dataTypeID === 1003) field.dataTypeID = 1009;
    }
  }
  return result;
}
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  const callbackIndex = args.findIndex((a) => typeof a === "function");
  if (callbackIndex >= 0) {
    const callback = args[callbackIndex] as (err: unknown, res: unknown) => void;
    args[callbackIndex] = (err: unknown, res: unknown) => callback(err, err ? res : presentCatalogTypesAsText(res));
    return originalQuery.apply(this, args);
  }
  const out = originalQuery.apply(this, args) as Promise<unknown> | undefined;
  return out && typeof out.then === "function" ? out.then(presentCatalogTypesAsText) : out;
};

// The WASM engine leaves 10 s and 60 s timers pending after it is done, which keeps the CLI alive
// that long. Unref long timers in the CLI process (they still fire while it runs for other reasons).
const originalSetTimeout = globalThis.setTimeout;
(globalThis as { setTimeout: unknown }).setTimeout = function (fn: () => void, ms?: number, ...rest: unknown[]) {
  const timer = (originalSetTimeout as (...a: unknown[]) => NodeJS.Timeout)(fn, ms, ...rest);
  if ((ms ?? 0) >= 10_000) timer?.unref?.();
  return timer;
};

export function poolConfig(url: string, database?: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? u.pathname.slice(1),
    idleTimeoutMillis: 200, // let the CLI exit promptly
  };
}

// adapter-pg's connectToShadowDb() reuses the main connection string, so the "shadow" database
// would be the real one. Create a throw-away database instead and drop it afterwards.
export class MigrationAdapter extends PrismaPg {
  async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_shadow_${crypto.randomUUID().replace(/-/g, "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg(poolConfig(process.env.DATABASE_URL!, database)).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}
