// The generated organisations: hospitals, health centres and a psychiatric hospital with their
// departments, each with one organiser and one trainer who sign in with the demo password.
import type { DemoOrganisation } from "./learners.ts";
import { DEMO_DOMAIN } from "./learners.ts";
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, ORGANISATIONS, SURNAMES, slugify } from "./names.ts";
import type { ChunkRows } from "./progress.ts";
import type { Random } from "./random.ts";

export const TIME_ZONE = "Europe/Ljubljana";
const DAY = 864e5;

/** The sign-in of a generated organisation's organiser; `findGeneratedOrganisations` relies on it. */
export function organiserEmail(slug: string) {
  return `organiser@${slug}.${DEMO_DOMAIN}`;
}

export function trainerEmail(slug: string) {
  return `trainer@${slug}.${DEMO_DOMAIN}`;
}

/** The organisation names and slugs `count` organisations get (the list repeats with a number). */
export function organisationNames(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const template = ORGANISATIONS[i % ORGANISATIONS.length];
    const round = Math.floor(i / ORGANISATIONS.length);
    const name = round ? `${template.name} ${round + 1}` : template.name;
    return { template, name, slug: slugify(name) };
  });
}

export function generateOrganisations({ random, newId, nowMs, count, passwordHash, out }: { random: Random; newId: () => string; nowMs: number; count: number; passwordHash: string; out: ChunkRows }) {
  const organisations: DemoOrganisation[] = [];
  const staff: Array<{ organisation: string; email: string; role: string }> = [];
  organisationNames(count).forEach(({ template, name, slug }, index) => {
    const id = newId();
    const createdAt = new Date(nowMs - (4 * 365 - index * 20) * DAY);
    out.Organisation.push({ id, name, slug, timeZone: TIME_ZONE, createdAt });
    const departments = template.departments.slice(0, random.int(...template.departmentCount)).map((department) => {
      const row = { id: newId(), organisationId: id, name: department.name, createdAt };
      out.Department.push(row);
      return { id: row.id, name: department.name, size: department.size * random.between(0.7, 1.3), professions: department.professions };
    });
    const person = (email: string, roles: string[], profession: "NURSE" | "PHYSICIAN") => {
      const userId = newId();
      const female = random.chance(0.75);
      const name = `${random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)} ${random.pick(SURNAMES)}`;
      out.User.push({ id: userId, email, name, profession, locale: "sl", passwordHash, emailVerifiedAt: createdAt, createdAt, updatedAt: createdAt });
      out.Membership.push({ id: newId(), userId, organisationId: id, departmentId: null, roles, createdAt });
      return userId;
    };
    const organiserId = person(organiserEmail(slug), ["ORGANISER"], "NURSE");
    person(trainerEmail(slug), ["TRAINER", "LEARNER"], random.chance(0.5) ? "NURSE" : "PHYSICIAN");
    staff.push({ organisation: name, email: organiserEmail(slug), role: "organiser" }, { organisation: name, email: trainerEmail(slug), role: "trainer" });
    organisations.push({ id, slug, name, timeZone: TIME_ZONE, size: template.size, organiserId, departments });
  });
  return { organisations, staff };
}
