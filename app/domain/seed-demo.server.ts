import { issueCertificate } from "~/certificates/issue-certificate.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { hashPassword } from "~/utils/password.server.ts";
import type { ProfessionValue, Role } from "~/utils/roles.ts";

export const DEMO_PASSWORD = "opora-demo-2026";

/** `organiserDepartments`: an organiser who sees only these departments (ADR 0014). */
type DemoPerson = { email: string; name: string; profession: ProfessionValue; isAdmin?: boolean; organisation?: string; department?: string; roles?: Role[]; organiserDepartments?: string[]; locale?: string };

export const DEMO_ORGANISATIONS = [
  { slug: "splosna-bolnisnica-demo", name: "Splošna bolnišnica Demo", departments: ["Emergency", "Gynaecology", "Paediatrics"] },
  { slug: "zdravstveni-dom-demo", name: "Zdravstveni dom Demo", departments: ["Family medicine"] },
];

export const DEMO_PEOPLE: DemoPerson[] = [
  { email: "admin@opora.test", name: "Ana Administrator", profession: "OTHER", isAdmin: true },
  { email: "trainer@opora.test", name: "Tina Trenerka", profession: "NURSE", organisation: "splosna-bolnisnica-demo", roles: ["TRAINER", "LEARNER"] },
  { email: "organiser@opora.test", name: "Olga Organizatorka", profession: "NURSE", organisation: "splosna-bolnisnica-demo", roles: ["ORGANISER"] },
  { email: "learner@opora.test", name: "Luka Učenec", profession: "NURSE", organisation: "splosna-bolnisnica-demo", department: "Emergency", roles: ["LEARNER"] },
  { email: "learner2@opora.test", name: "Maja Kovač", profession: "MIDWIFE", organisation: "splosna-bolnisnica-demo", department: "Gynaecology", roles: ["LEARNER"] },
  // The emergency ward's head nurse: an organiser of Emergency's people (Luka) only, not of Gynaecology's (Maja).
  { email: "organiser-dept@opora.test", name: "Darja Glavna", profession: "NURSE", organisation: "splosna-bolnisnica-demo", department: "Emergency", roles: ["ORGANISER", "LEARNER"], organiserDepartments: ["Emergency"] },
  { email: "trainer-b@opora.test", name: "Boris Trener", profession: "PHYSICIAN", organisation: "zdravstveni-dom-demo", roles: ["TRAINER"] },
  { email: "organiser-b@opora.test", name: "Barbara Organizatorka", profession: "PHYSICIAN", organisation: "zdravstveni-dom-demo", roles: ["ORGANISER"] },
  { email: "learner-b@opora.test", name: "Bojan Učenec", profession: "PHYSICIAN", organisation: "zdravstveni-dom-demo", department: "Family medicine", roles: ["LEARNER"] },
];

/** Creates the demo organisations and accounts if they are missing; never changes existing ones. */
export async function seedDemo({ clock = systemClock }: { clock?: Clock } = {}) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const organisations = new Map<string, { id: string; departments: Map<string, string> }>();
  for (const organisation of DEMO_ORGANISATIONS) {
    const row = await db.organisation.upsert({
      where: { slug: organisation.slug },
      create: { slug: organisation.slug, name: organisation.name, createdAt: clock.now() },
      update: {},
      select: { id: true },
    });
    const departments = new Map<string, string>();
    for (const name of organisation.departments) {
      const department = await db.department.upsert({ where: { organisationId_name: { organisationId: row.id, name } }, create: { organisationId: row.id, name }, update: {}, select: { id: true } });
      departments.set(name, department.id);
    }
    organisations.set(organisation.slug, { id: row.id, departments });
  }
  let created = 0;
  for (const person of DEMO_PEOPLE) {
    const existing = await db.user.findUnique({ where: { email: person.email }, select: { id: true } });
    const user =
      existing ??
      (await db.user.create({
        data: { email: person.email, name: person.name, profession: person.profession, isAdmin: person.isAdmin ?? false, passwordHash, emailVerifiedAt: clock.now(), locale: person.locale ?? "sl", createdAt: clock.now() },
        select: { id: true },
      }));
    if (!existing) created++;
    if (person.organisation) {
      const organisation = organisations.get(person.organisation)!;
      await db.membership.upsert({
        where: { userId_organisationId: { userId: user.id, organisationId: organisation.id } },
        create: {
          userId: user.id,
          organisationId: organisation.id,
          roles: person.roles ?? ["LEARNER"],
          departmentId: person.department ? organisation.departments.get(person.department) : null,
          organiserDepartmentIds: (person.organiserDepartments ?? []).map((name) => organisation.departments.get(name)!),
          createdAt: clock.now(),
        },
        update: {},
      });
    }
  }
  await seedDemoCertificate(clock);
  return { created };
}

/**
 * Bojan (Zdravstveni dom Demo) completed the bundled course 400 days ago, so the demo has a real
 * certificate to download and verify. Skipped when the course is not imported.
 */
async function seedDemoCertificate(clock: Clock) {
  const [user, course] = await Promise.all([
    db.user.findUnique({ where: { email: "learner-b@opora.test" }, select: { id: true, memberships: { select: { organisationId: true } } } }),
    db.course.findUnique({ where: { slug: "recognising-trafficking" }, select: { id: true, versions: { orderBy: { number: "desc" }, take: 1, select: { id: true } } } }),
  ]);
  if (!user || !course?.versions[0] || (await db.enrolment.count({ where: { userId: user.id, courseId: course.id } }))) return;
  const completedAt = new Date(clock.now().getTime() - 400 * 864e5);
  await db.$transaction(async (tx) => {
    const enrolment = await tx.enrolment.create({
      data: { userId: user.id, courseId: course.id, courseVersionId: course.versions[0].id, organisationId: user.memberships[0]?.organisationId ?? null, source: "SELF", createdAt: completedAt, startedAt: completedAt, completedAt },
      select: { id: true },
    });
    await issueCertificate(tx, { enrolmentId: enrolment.id, now: completedAt });
  });
}
