import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "./db.server.ts";
import { sqlRows } from "./sql.server.ts";

export type CurrentMembership = { organisationId: string; organisationName: string; roles: string[] };

/** The organisations someone is part of now, oldest first: the menu on every page (one plain SQL statement). */
export function currentMemberships(userId: string) {
  return sqlRows<CurrentMembership>(
    db.pool,
    Prisma.sql`SELECT o.id AS "organisationId", o.name AS "organisationName", m.roles FROM "Membership" m JOIN "Organisation" o ON o.id = m."organisationId"
      WHERE m."userId" = ${userId} AND m."endedAt" IS NULL ORDER BY m."createdAt"`,
  );
}
