import { db } from "../../app/utils/db.server.ts";
import { hashPassword } from "../../app/utils/password.server.ts";
import type { Role } from "../../app/utils/roles.ts";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const TEST_PASSWORD = "correct horse battery";

export async function createUser(overrides: { email?: string; name?: string; isAdmin?: boolean; verified?: boolean } = {}) {
  return db.user.create({
    data: {
      email: overrides.email ?? `person-${unique()}@example.org`,
      name: overrides.name ?? "Test Person",
      profession: "NURSE",
      isAdmin: overrides.isAdmin ?? false,
      passwordHash: await hashPassword(TEST_PASSWORD),
      emailVerifiedAt: overrides.verified === false ? null : new Date(),
    },
  });
}

export async function createOrganisationWithMembers(roles: Record<string, Role[]>) {
  const organisation = await db.organisation.create({ data: { name: `Hospital ${unique()}`, slug: `hospital-${unique()}`, departments: { create: [{ name: "Emergency" }, { name: "Paediatrics" }] } }, include: { departments: true } });
  const people: Record<string, Awaited<ReturnType<typeof createUser>>> = {};
  for (const [key, memberRoles] of Object.entries(roles)) {
    const user = await createUser({ name: key });
    await db.membership.create({ data: { userId: user.id, organisationId: organisation.id, roles: memberRoles } });
    people[key] = user;
  }
  return { organisation, people };
}
