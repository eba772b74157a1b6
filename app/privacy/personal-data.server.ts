import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db, type Tx } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";

// Every table that holds something about a person, what their data download includes from it, and
// what deleting the account does to it. tests/integration/privacy.test.ts finds every column that
// can hold a person (user ids, emails, names) in the database and fails when one is not listed
// here, so a new table cannot forget either.
//
// Deleting an account erases what identifies the person and keeps the training records under the
// now anonymous account row: organisers' statistics (completions, scores, certificates issued)
// stay correct, and nothing in reports or exports points at a missing row.

export type Handling =
  /** rows are removed */
  | "delete"
  /** identifying fields are blanked; the row stays */
  | "erase"
  /** the row stays, pointing at the anonymous account (training records, statistics) */
  | "keep-pseudonymous";

export const PERSONAL_DATA = {
  User: { columns: ["id", "email", "name", "licenceNumber"], onDelete: "erase", why: "the account: name, email, profession, language, licence number" },
  Session: { columns: ["userId"], onDelete: "delete", why: "signed-in devices" },
  Token: { columns: ["userId"], onDelete: "delete", why: "email confirmation and password reset links" },
  Membership: { columns: ["userId"], onDelete: "keep-pseudonymous", why: "organisations, roles and departments (counts per department stay right)" },
  Invitation: { columns: ["email", "name", "licenceNumber", "invitedById"], onDelete: "delete", why: "invitations sent to the person's address (invitations they sent keep only their account id)" },
  Enrolment: { columns: ["userId", "assignedById"], onDelete: "keep-pseudonymous", why: "courses taken, dates and time spent" },
  QuizAttempt: { columns: ["userId"], onDelete: "keep-pseudonymous", why: "quiz attempts, answers and scores" },
  Certificate: { columns: ["userId", "holderName", "revokedById"], onDelete: "erase", why: "certificates: they still verify, as issued to a holder who withdrew, without the name" },
  AuditEvent: { columns: ["actorId", "subjectUserId"], onDelete: "erase", why: "actions by or about the person: kept for accountability, personal details removed from their data" },
  EmailMessage: { columns: ["userId", "to"], onDelete: "delete", why: "emails sent to the person" },
  Notification: { columns: ["userId"], onDelete: "delete", why: "reminders sent" },
  CertificateExport: { columns: ["requestedById"], onDelete: "keep-pseudonymous", why: "certificate downloads an organiser prepared" },
  ThrottleEvent: { columns: ["key"], onDelete: "delete", why: "failed log-ins, kept for a day against password guessing" },
  TrainingRule: { columns: ["createdById"], onDelete: "keep-pseudonymous", why: "training rules an organiser made" },
  DueDateExtension: { columns: ["createdById"], onDelete: "keep-pseudonymous", why: "later due dates granted, by or for the person" },
  ScormAttempt: { columns: ["userId"], onDelete: "keep-pseudonymous", why: "SCORM modules played: status, score, time and what the package saved" },
  ScormPackage: { columns: ["uploadedById"], onDelete: "keep-pseudonymous", why: "SCORM packages a trainer uploaded" },
  DraftFile: { columns: ["updatedById"], onDelete: "keep-pseudonymous", why: "course files a trainer last changed in the course editor" },
  CourseEditor: { columns: ["userId", "addedById"], onDelete: "delete", why: "platform-wide courses the person was named to edit (or named someone to)" },
} as const satisfies Record<string, { columns: readonly string[]; onDelete: Handling; why: string }>;

/**
 * Summaries computed in the database from the tables above and kept in step with them by triggers:
 * not a download section of their own (they repeat what the sections hold) and never edited
 * directly; deleting or changing a source row changes them.
 */
export const DERIVED_PERSONAL_DATA = {
  TrainingStatus: { columns: ["userId"], from: ["Enrolment", "Certificate", "QuizAttempt", "Membership", "User"], why: "each person's standing in a course for organisers' reports (ADR 0010)" },
} as const;

/** Tables reached through another table's person column, and the download section that holds them. */
export const PERSONAL_DATA_BY_PARENT = {
  ItemProgress: { via: "Enrolment", section: "ItemProgress" },
  QuizAnswer: { via: "QuizAttempt", section: "QuizAttempt" },
  CaseRun: { via: "Enrolment", section: "CaseRun" },
} as const;

/** Everything Opora holds about the actor, as one JSON-ready object (the data download). */
export async function exportPersonalData({ actor, clock = systemClock }: { actor: Actor; clock?: Clock }) {
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { id: true, email: true, name: true, profession: true, locale: true, licenceNumber: true, emailVerifiedAt: true, isAdmin: true, createdAt: true, updatedAt: true, cpdSchemeId: true, cpdPeriodStartsOn: true, cpdTargetCredits: true, mutedNotices: true, deletionRequestedAt: true },
  });
  if (!user) throw new DomainError("NOT_FOUND", "errors.notFound");
  const enrolmentIds = (await db.enrolment.findMany({ where: { userId: actor.id }, select: { id: true } })).map((e) => e.id);
  const [sessions, tokens, memberships, invitations, enrolments, progress, quizAttempts, caseRuns, certificates, auditEvents, emails, notifications, certificateExports, trainingRules, extensions, scormAttempts, scormPackages, draftFiles, courseEditing] = await Promise.all([
    db.session.findMany({ where: { userId: actor.id }, select: { createdAt: true, expiresAt: true }, orderBy: { createdAt: "asc" } }),
    db.token.findMany({ where: { userId: actor.id }, select: { kind: true, createdAt: true, expiresAt: true, usedAt: true }, orderBy: { createdAt: "asc" } }),
    db.membership.findMany({ where: { userId: actor.id }, select: { roles: true, createdAt: true, endedAt: true, quizTimeFactor: true, organisation: { select: { name: true } }, department: { select: { name: true } } } }),
    db.invitation.findMany({ where: { email: user.email }, select: { createdAt: true, expiresAt: true, acceptedAt: true, roles: true, name: true, organisation: { select: { name: true } } } }),
    db.enrolment.findMany({ where: { userId: actor.id }, select: { id: true, cycle: true, kind: true, source: true, createdAt: true, startedAt: true, completedAt: true, dueAt: true, exemptedAt: true, exemptionReason: true, timeSpentSeconds: true, course: { select: { slug: true } }, courseVersion: { select: { number: true } }, organisation: { select: { name: true } } }, orderBy: { createdAt: "asc" } }),
    db.itemProgress.findMany({ where: { enrolmentId: { in: enrolmentIds } }, select: { enrolmentId: true, itemKey: true, startedAt: true, completedAt: true, timeSpentSeconds: true } }),
    db.quizAttempt.findMany({ where: { userId: actor.id }, select: { enrolmentId: true, itemKey: true, number: true, startedAt: true, submittedAt: true, closedBy: true, score: true, passed: true, answers: { select: { questionKey: true, response: true, points: true, answeredAt: true } } }, orderBy: { startedAt: "asc" } }),
    db.caseRun.findMany({ where: { enrolmentId: { in: enrolmentIds } }, select: { enrolmentId: true, itemKey: true, number: true, path: true, startedAt: true, endedAt: true, outcome: true } }),
    db.certificate.findMany({ where: { userId: actor.id }, select: { code: true, holderName: true, courseTitle: true, courseVersion: true, issuerName: true, issuedAt: true, expiresOn: true, cpdCredits: true, cpdCategory: true, revokedAt: true, revocationReason: true, supersededAt: true, reissuedAt: true }, orderBy: { issuedAt: "asc" } }),
    db.auditEvent.findMany({ where: { OR: [{ actorId: actor.id }, { subjectUserId: actor.id }] }, select: { at: true, action: true, actorId: true, subjectType: true, organisationId: true, data: true }, orderBy: { at: "asc" } }),
    db.emailMessage.findMany({ where: { OR: [{ userId: actor.id }, { to: user.email }] }, select: { to: true, subject: true, kind: true, createdAt: true, sentAt: true, error: true }, orderBy: { createdAt: "asc" } }),
    db.notification.findMany({ where: { userId: actor.id }, select: { kind: true, milestone: true, claimedAt: true, sentAt: true }, orderBy: { claimedAt: "asc" } }),
    db.certificateExport.findMany({ where: { requestedById: actor.id }, select: { createdAt: true, status: true, total: true, filter: true }, orderBy: { createdAt: "asc" } }),
    db.trainingRule.findMany({ where: { createdById: actor.id }, select: { courseId: true, departmentId: true, profession: true, dueWithinDays: true, recurEveryMonths: true, createdAt: true, archivedAt: true } }),
    db.dueDateExtension.findMany({ where: { OR: [{ createdById: actor.id }, { enrolmentId: { in: enrolmentIds } }] }, select: { enrolmentId: true, previousDueAt: true, dueAt: true, reason: true, createdAt: true } }),
    db.scormAttempt.findMany({ where: { userId: actor.id }, select: { enrolmentId: true, itemKey: true, scoId: true, number: true, completion: true, success: true, scoreScaled: true, scoreRaw: true, totalSeconds: true, startedAt: true, updatedAt: true, endedAt: true, cmi: true }, orderBy: { startedAt: "asc" } }),
    db.scormPackage.findMany({ where: { uploadedById: actor.id }, select: { title: true, version: true, createdAt: true }, orderBy: { createdAt: "asc" } }),
    db.draftFile.findMany({ where: { updatedById: actor.id }, select: { path: true, updatedAt: true, course: { select: { slug: true } } }, orderBy: { updatedAt: "asc" } }),
    db.courseEditor.findMany({ where: { OR: [{ userId: actor.id }, { addedById: actor.id }] }, select: { userId: true, createdAt: true, course: { select: { slug: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  const actorNames = await namesOf(auditEvents.map((e) => e.actorId).filter((id): id is string => Boolean(id)));
  return {
    generatedAt: clock.now().toISOString(),
    about: "Everything Opora holds about you. Keys follow the tables described in the privacy notice (/privacy).",
    User: user,
    Session: sessions,
    Token: tokens,
    Membership: memberships.map(({ organisation, department, ...m }) => ({ ...m, organisation: organisation.name, department: department?.name ?? null })),
    Invitation: invitations.map(({ organisation, ...i }) => ({ ...i, organisation: organisation.name })),
    Enrolment: enrolments.map(({ course, courseVersion, organisation, ...e }) => ({ ...e, course: course.slug, courseVersion: courseVersion.number, organisation: organisation?.name ?? null })),
    ItemProgress: progress,
    QuizAttempt: quizAttempts,
    CaseRun: caseRuns,
    Certificate: certificates,
    AuditEvent: auditEvents.map(({ actorId, ...e }) => ({ ...e, actor: actorId === actor.id ? "you" : actorId ? (actorNames.get(actorId) ?? "a deleted account") : "Opora" })),
    EmailMessage: emails,
    Notification: notifications,
    CertificateExport: certificateExports,
    TrainingRule: trainingRules,
    DueDateExtension: extensions,
    ScormAttempt: scormAttempts,
    ScormPackage: scormPackages,
    DraftFile: draftFiles.map((f) => ({ course: f.course.slug, path: f.path, updatedAt: f.updatedAt })),
    CourseEditor: courseEditing.map((e) => ({ course: e.course.slug, role: e.userId === actor.id ? "editor" : "named an editor", since: e.createdAt })),
  };
}
export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>;

async function namesOf(ids: string[]) {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

/** The address an erased account keeps: unique, never deliverable (RFC 2606 reserves .invalid). */
export function erasedEmail(userId: string) {
  return `deleted-${userId}@erased.invalid`;
}

/** Replaces every occurrence of the given strings inside a JSON value (audit data mentioning the person). */
export function scrubJson(value: unknown, needles: string[]): unknown {
  if (typeof value === "string") return needles.some((n) => n && value.toLowerCase().includes(n.toLowerCase())) ? "[erased]" : value;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, needles));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, needles)]));
  return value;
}

/**
 * Erases a person's personal data in one transaction (see PERSONAL_DATA for what happens where).
 * Called when a learner's grace period ends or by an admin; the caller has checked who may.
 */
export async function erasePersonalData(tx: Tx, userId: string, now: Date) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true, licenceNumber: true, deletedAt: true } });
  if (user.deletedAt) return false;
  const needles = [user.email, user.name, user.licenceNumber ?? ""].filter((n) => n.trim().length >= 3);
  await tx.session.deleteMany({ where: { userId } });
  await tx.token.deleteMany({ where: { userId } });
  await tx.invitation.deleteMany({ where: { email: user.email } });
  await tx.emailMessage.deleteMany({ where: { OR: [{ userId }, { to: user.email }] } });
  await tx.notification.deleteMany({ where: { userId } });
  await tx.courseEditor.deleteMany({ where: { userId } });
  await tx.courseEditor.updateMany({ where: { addedById: userId }, data: { addedById: null } });
  await tx.throttleEvent.deleteMany({ where: { key: { contains: user.email } } });
  await tx.certificate.updateMany({ where: { userId }, data: { holderName: "", holderWithdrawnAt: now } });
  // Organisers no longer list the person; what they completed stays in the organisation's records.
  await tx.membership.updateMany({ where: { userId, endedAt: null }, data: { endedAt: now } });
  // Certificates the person revoked as an organiser keep the reason, which names nobody by itself.
  // Events by or about the person, and any other whose data names them (an invitation to their address).
  const mentioning = await tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "AuditEvent" WHERE data::text ILIKE $1`, `%${user.email}%`);
  const events = await tx.auditEvent.findMany({ where: { OR: [{ actorId: userId }, { subjectUserId: userId }, { id: { in: mentioning.map((e) => e.id) } }] }, select: { id: true, data: true } });
  for (const event of events) await tx.auditEvent.update({ where: { id: event.id }, data: { data: scrubJson(event.data, needles) as object } });
  await tx.user.update({
    where: { id: userId },
    data: { email: erasedEmail(userId), name: "", licenceNumber: null, passwordHash: null, emailVerifiedAt: null, cpdSchemeId: null, cpdPeriodStartsOn: null, cpdTargetCredits: null, isAdmin: false, deletedAt: now, deletionRequestedAt: null },
  });
  return true;
}
