import { data, type ServerBuild } from "react-router";
import { translator } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { shortPage } from "./short-page.server.ts";

// When PostgreSQL cannot be reached (stopped, restarting, failing over, every pooled connection
// busy for longer than the pool's connection timeout) a request cannot be answered now but can be
// in a moment: that is a 503 with Retry-After, not a 500. The one place that decides is
// isDatabaseUnavailable; guardDatabaseErrors applies it to every loader and action, and
// server/index.mjs applies that to the build both listeners serve.

/** What clients are told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** SQLSTATEs of a server that is going away or not accepting connections. */
const SQLSTATES = new Set([
  "57P01", // admin_shutdown: the server is stopping (pg_ctl stop, a failover)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "53300", // too_many_connections
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08004", // sqlserver_rejected_establishment_of_sqlconnection
  "08006", // connection_failure
]);
/** Node socket errors of pg's connection (pg-boss and raw pg report them as they are). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** Prisma's: can't reach, timed out, operations timed out, server closed the connection, pool timeout. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** @prisma/adapter-pg's DriverAdapterError kinds for the same. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Errors pg and pg-pool throw without a code (the adapter passes them through unchanged). */
const MESSAGES = [/^timeout exceeded when trying to connect$/, /^Connection terminated (unexpectedly|due to connection timeout)$/, /^Client has encountered a connection error and is not queryable$/];

/**
 * Whether an error means the database cannot be reached right now (as opposed to a query that is
 * wrong, or a row that is missing). Looks through Prisma's wrappers (meta.driverAdapterError, cause).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown };
  if (typeof e.code === "string" && (SQLSTATES.has(e.code) || SOCKET_CODES.has(e.code) || PRISMA_CODES.has(e.code))) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string") {
    // P2028 is also "transaction already closed" (a slow transaction): only the wait for a connection counts.
    if (e.code === "P2028" && e.message.includes("Unable to start a transaction in the given time")) return true;
    if (MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  }
  const nested = [e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((next) => isDatabaseUnavailable(next, depth + 1));
}

/** A short description for the log: the first code or message found. */
function summary(error: unknown): string {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } }; message?: unknown };
  const cause = e?.meta?.driverAdapterError?.cause;
  return [e?.code, cause?.kind, cause?.code].filter((part) => typeof part === "string" && part !== "postgres").join(" ") || String(e?.message ?? error).split("\n")[0].slice(0, 120);
}

// One log line per burst: an outage fails every request, and a line each would bury the log.
const LOG_EVERY_MS = 10_000;
let lastLogged = 0;
let unlogged = 0;
function logUnavailable(error: unknown) {
  const now = Date.now();
  if (now - lastLogged < LOG_EVERY_MS) {
    unlogged++;
    return;
  }
  console.error(`[db] database unavailable (${summary(error)}); answering 503${unlogged ? ` (${unlogged} more since the last report)` : ""}`);
  lastLogged = now;
  unlogged = 0;
}

/**
 * What a loader or action throws instead: for pages, a 503 route error the error boundary shows in
 * the visitor's language (the locale travels with it: the root loader may have failed too); for
 * resource routes, a 503 response of its own (JSON, or a short page for a browser).
 */
export async function databaseUnavailable(request: Request, { resource }: { resource: boolean }) {
  const headers = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
  const locale = await resolveLocale(request, null);
  if (!resource) return data({ message: "errors.unavailable", locale }, { status: 503, headers });
  if (!(request.headers.get("Accept") ?? "").includes("text/html")) {
    return Response.json({ ok: false, error: "errors.unavailable" }, { status: 503, headers });
  }
  const t = translator(locale);
  const page = shortPage({ locale, title: t("errors.unavailableTitle"), paragraphs: [t("errors.unavailable")], link: { href: new URL(request.url).pathname, text: t("errors.tryAgain") } });
  return new Response(page, { status: 503, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

type RouteModule = ServerBuild["routes"][string] extends infer R ? (R extends { module: infer M } ? M : never) : never;
type DataFunction = (args: { request: Request }) => unknown;

/**
 * The build with every loader and action mapping "database unavailable" to a 503 (see
 * databaseUnavailable). Other errors pass through untouched, to the error boundary as before.
 */
export function guardDatabaseErrors(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module: RouteModule = route.module;
    // React Router's own test for a resource route (no component, no error boundary).
    const resource = module.default == null && module.ErrorBoundary == null;
    const guard = (handler: DataFunction | undefined) =>
      handler &&
      (async (args: { request: Request }) => {
        try {
          return await handler(args);
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          logUnavailable(error);
          throw await databaseUnavailable(args.request, { resource });
        }
      });
    routes[id] = { ...route, module: { ...module, loader: guard(module.loader as DataFunction | undefined), action: guard(module.action as DataFunction | undefined) } as RouteModule };
  }
  return { ...build, routes };
}
