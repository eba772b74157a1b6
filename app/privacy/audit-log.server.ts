import { z } from "zod";
import { formatCertificateCode } from "~/certificates/code.ts";
import { addDays, localDate } from "~/certificates/expiry.ts";
import { isCalendarDay } from "~/cpd/period.ts";
import { assertCanManageWholeOrganisation } from "~/domain/organisations.server.ts";
import { formatDateTime, type Locale, pick, type Translate, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { toCsv } from "~/utils/csv.ts";
import { startOfLocalDay } from "~/utils/local-time.ts";
import { actionLabel } from "./audit-labels.ts";

export { actionLabel };

import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { ROLES } from "~/utils/roles.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

// Reading the audit log: admins see every event, organisers their organisation's, and each person
// the events about them ("Who has seen my record"). Events are written by recordAudit
// (app/domain/audit.server.ts) and recordRecordAccess (./record-access.server.ts).

export const AUDIT_PAGE_SIZE = 50;
/** The most rows one CSV download holds, newest first. */
export const AUDIT_CSV_LIMIT = 10_000;
/** Times on the admin page and the learner's page; an organisation's page uses its own zone. */
export const PLATFORM_TIME_ZONE = "Europe/Ljubljana";

/** Action codes with words in the dictionaries (`audit.action.<code>`); any other code is shown as it is. */
export const KNOWN_AUDIT_ACTIONS = [
  "person.view",
  "certificate.pdf",
  "certificate.credential",
  "certificate.revoke",
  "certificate.renewal-start",
  "certificates.export",
  "membership.create",
  "membership.update",
  "invitation.create",
  "invitation.accept",
  "organisation.create",
  "department.create",
  "membership.leave",
  "membership.end",
  "certificate.reissue",
  "account.email-change",
  "account.deletion-request",
  "account.deletion-cancel",
  "account.delete",
  "retention.run",
  "invitations.import",
  "certificates.export-download",
  "people.export",
  "rule.create",
  "rule.archive",
  "course.assign",
  "assignment.extend",
  "assignment.exempt",
  "account.reminders",
  "referral.create",
  "referral.delete",
] as const;

const CURSOR = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const DaySchema = z.preprocess(blankToUndefined, z.string().refine(isCalendarDay, "audit.invalidDate").optional());

/** The filters of the audit pages and their CSV, as they arrive in the query string. */
export const AuditLogQuerySchema = z
  .object({
    action: z.preprocess(blankToUndefined, z.string().max(80, "audit.invalidAction").regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, "audit.invalidAction").optional()),
    organisation: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "audit.unknownOrganisation").optional()),
    from: DaySchema,
    to: DaySchema,
    person: z.preprocess(blankToUndefined, z.string().max(254, "validation.tooLong").optional()),
    before: z.preprocess(blankToUndefined, z.string().regex(CURSOR, "audit.invalidCursor").optional()),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: "audit.periodOrder", path: ["to"] });

export const AUDIT_QUERY_KEYS = ["action", "organisation", "from", "to", "person", "before"] as const;
export type AuditLogQuery = Partial<Record<(typeof AUDIT_QUERY_KEYS)[number], string>>;

export function auditQueryFrom(searchParams: URLSearchParams): AuditLogQuery {
  return Object.fromEntries(AUDIT_QUERY_KEYS.flatMap((key) => (searchParams.has(key) ? [[key, searchParams.get(key) ?? ""]] : [])));
}

type Scope = { organisationId: string | null; organisationName: string | null; slug: string; timeZone: string };

/** Admins read the whole log; otherwise only organisers of `organisationId` read its events. */
async function scopeFor(actor: Actor, organisationId: string | undefined): Promise<Scope> {
  if (!organisationId) {
    if (!actor.isAdmin) throw new DomainError("FORBIDDEN", "errors.forbidden");
    return { organisationId: null, organisationName: null, slug: "all", timeZone: PLATFORM_TIME_ZONE };
  }
  // The organisation's log tells of every department and of its organisers: not a department organiser's.
  await assertCanManageWholeOrganisation(actor, organisationId);
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true, slug: true, timeZone: true } });
  return { organisationId, organisationName: organisation.name, slug: organisation.slug, timeZone: organisation.timeZone };
}

type ParsedQuery = z.infer<typeof AuditLogQuerySchema>;

function parseQuery(query: AuditLogQuery): { ok: true; value: ParsedQuery } | { ok: false; problem: { field: string; messageKey: string } } {
  const parsed = AuditLogQuerySchema.safeParse(query);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: { field: String(issue?.path[0] ?? "from"), messageKey: issue?.message ?? "audit.invalidDate" } };
}

/** The events the filters select within the scope (without paging). `personFound` is false when no email matched. */
async function filterWhere(scope: Scope, query: ParsedQuery) {
  const and: Prisma.AuditEventWhereInput[] = [];
  // An organisation's page never reads another organisation's events, whatever the query says.
  const organisationId = scope.organisationId ?? query.organisation;
  if (organisationId) and.push({ organisationId });
  if (query.action) and.push({ action: query.action });
  if (query.from) and.push({ at: { gte: startOfLocalDay(query.from, scope.timeZone) } });
  if (query.to) and.push({ at: { lt: startOfLocalDay(addDays(query.to, 1), scope.timeZone) } });
  let personFound: boolean | null = null;
  if (query.person) {
    const needle = query.person.normalize("NFC").toLowerCase();
    const people = await db.user.findMany({ where: { email: { contains: needle } }, select: { id: true }, take: 50 });
    const ids = people.map((person) => person.id);
    personFound = ids.length > 0;
    and.push({ OR: [{ subjectUserId: { in: ids } }, { actorId: { in: ids } }] });
  }
  return { where: { AND: and } satisfies Prisma.AuditEventWhereInput, personFound };
}

function cursorWhere(cursor: string | undefined): Prisma.AuditEventWhereInput {
  const match = cursor?.match(CURSOR);
  if (!match) return {};
  const at = new Date(Number(match[1]));
  return { OR: [{ at: { lt: at } }, { at, id: { lt: match[2] } }] };
}

export const EVENT_FIELDS = { id: true, at: true, actorId: true, organisationId: true, action: true, subjectType: true, subjectId: true, subjectUserId: true, data: true } as const;
type EventRow = Prisma.AuditEventGetPayload<{ select: typeof EVENT_FIELDS }>;

async function pageOf(where: Prisma.AuditEventWhereInput, before: string | undefined) {
  const events = await db.auditEvent.findMany({ where: { AND: [where, cursorWhere(before)] }, orderBy: [{ at: "desc" }, { id: "desc" }], take: AUDIT_PAGE_SIZE + 1, select: EVENT_FIELDS });
  const page = events.slice(0, AUDIT_PAGE_SIZE);
  const last = page.at(-1);
  return { page, nextCursor: events.length > AUDIT_PAGE_SIZE && last ? `${last.at.getTime()}.${last.id}` : null };
}

/** One audit page: the filter choices, the events (newest first, 50 at a time) and any problem with the filters. */
export async function getAuditLog({ actor, organisationId, query, locale }: { actor: Actor; organisationId?: string; query: AuditLogQuery; locale: Locale }) {
  const scope = await scopeFor(actor, organisationId);
  const t = translator(locale);
  const actions = [...KNOWN_AUDIT_ACTIONS].map((value) => ({ value, label: actionLabel(t, value) })).sort((a, b) => a.label.localeCompare(b.label, locale));
  const organisations = scope.organisationId ? [] : await db.organisation.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  const base = { scope: { organisationId: scope.organisationId, organisationName: scope.organisationName, timeZone: scope.timeZone }, filters: query, actions, organisations };
  const parsed = parseQuery(query);
  if (!parsed.ok) return { ...base, problem: parsed.problem, personFound: null, rows: [], nextCursor: null };
  const { where, personFound } = await filterWhere(scope, parsed.value);
  const { page, nextCursor } = await pageOf(where, parsed.value.before);
  const rows = await describeEvents(page, { locale, timeZone: scope.timeZone, viewerId: null });
  return { ...base, problem: null, personFound, rows, nextCursor };
}

/** The same events as a CSV file (UTF-8, ";"), at most AUDIT_CSV_LIMIT of them. Bad filters are refused with a 400. */
export async function auditLogCsvFile({ actor, organisationId, query, locale, clock = systemClock }: { actor: Actor; organisationId?: string; query: AuditLogQuery; locale: Locale; clock?: Clock }) {
  const scope = await scopeFor(actor, organisationId);
  const parsed = parseQuery({ ...query, before: undefined });
  if (!parsed.ok) throw new DomainError("INVALID", parsed.problem.messageKey, parsed.problem.field);
  const { where } = await filterWhere(scope, parsed.value);
  const events = await db.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: AUDIT_CSV_LIMIT, select: EVENT_FIELDS });
  const rows = await describeEvents(events, { locale, timeZone: scope.timeZone, viewerId: null });
  const t = translator(locale);
  const header = [t("audit.time", { zone: scope.timeZone }), t("audit.actor"), t("audit.role"), t("audit.organisation"), t("audit.action"), t("audit.actionCode"), t("audit.subject"), t("audit.details")];
  const body = toCsv([header, ...rows.map((row) => [row.localTime, row.actor, row.role, row.organisation, row.actionLabel, row.action, row.subject, row.summary])]);
  return { body, filename: `opora-audit-${scope.slug}-${localDate(clock.now(), scope.timeZone)}.csv`, count: rows.length };
}

/** "Who has seen my record": every event about the signed-in person, whoever's it was, newest first. */
export async function getMyRecordAccess({ actor, before, locale }: { actor: Actor; before?: string; locale: Locale }) {
  if (before && !CURSOR.test(before)) throw new DomainError("INVALID", "audit.invalidCursor");
  const { page, nextCursor } = await pageOf({ subjectUserId: actor.id }, before);
  const rows = await describeEvents(page, { locale, timeZone: PLATFORM_TIME_ZONE, viewerId: actor.id });
  return { rows, nextCursor, timeZone: PLATFORM_TIME_ZONE };
}

export type AuditRow = Awaited<ReturnType<typeof describeEvents>>[number];

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
const unique = (values: Array<string | null | undefined>) => [...new Set(values.filter((value): value is string => Boolean(value)))];

/**
 * Events in words for the viewer's language: who (name and the capacity they acted in), where, what
 * and about whom. Names are looked up in a few batched queries, so a page costs the same for 1 or 50.
 * With `viewerId`, the viewer's own actions read "You" and they are not named as the subject.
 */
export async function describeEvents(events: EventRow[], { locale, timeZone, viewerId }: { locale: Locale; timeZone: string; viewerId: string | null }) {
  const t = translator(locale);
  const dataOf = (event: EventRow) => (event.data && typeof event.data === "object" && !Array.isArray(event.data) ? (event.data as Record<string, unknown>) : {});
  const actorIds = unique(events.map((e) => e.actorId));
  const organisationIds = unique(events.flatMap((e) => [e.organisationId, e.subjectType === "Organisation" ? e.subjectId : null]));
  const [users, organisations, certificates, departments, memberships] = await Promise.all([
    db.user.findMany({ where: { id: { in: unique([...actorIds, ...events.map((e) => e.subjectUserId ?? (e.subjectType === "User" ? e.subjectId : null))]) } }, select: { id: true, name: true, email: true, isAdmin: true, deletedAt: true } }),
    db.organisation.findMany({ where: { id: { in: organisationIds } }, select: { id: true, name: true } }),
    db.certificate.findMany({ where: { id: { in: unique(events.map((e) => (e.subjectType === "Certificate" ? e.subjectId : null))) } }, select: { id: true, code: true, courseTitle: true } }),
    db.department.findMany({ where: { id: { in: unique(events.map((e) => dataOf(e).departmentId as string | undefined)) } }, select: { id: true, name: true } }),
    db.membership.findMany({ where: { userId: { in: actorIds }, organisationId: { in: organisationIds } }, select: { userId: true, organisationId: true, roles: true } }),
  ]).then(([u, o, c, d, m]) => [byId(u), byId(o), byId(c), byId(d), m] as const);

  const person = (id: string | null) => {
    const user = id ? users.get(id) : undefined;
    if (!user) return null;
    return user.deletedAt ? t("audit.deletedPerson") : `${user.name} (${user.email})`;
  };
  const roleOf = (event: EventRow) => {
    const stated = dataOf(event).role;
    if (stated === "ADMIN") return t("audit.roleAdmin");
    if (typeof stated === "string" && (ROLES as readonly string[]).includes(stated)) return t(`role.${stated}`);
    const actor = event.actorId ? users.get(event.actorId) : undefined;
    if (!actor) return null;
    const roles = memberships.find((m) => m.userId === actor.id && m.organisationId === event.organisationId)?.roles ?? [];
    const role = ["ORGANISER", "TRAINER", "LEARNER"].find((r) => roles.includes(r));
    return role ? t(`role.${role}`) : actor.isAdmin ? t("audit.roleAdmin") : null;
  };
  const subjectOf = (event: EventRow) => {
    const data = dataOf(event);
    const subjectUserId = event.subjectUserId ?? (event.subjectType === "User" ? event.subjectId : null);
    const about = subjectUserId && subjectUserId !== viewerId ? person(subjectUserId) : null;
    switch (event.subjectType) {
      case "Certificate": {
        const certificate = certificates.get(event.subjectId);
        const what = certificate ? `${pick(certificate.courseTitle as Record<string, string>, locale)} (${formatCertificateCode(certificate.code)})` : t("audit.subjectCertificate");
        return about ? `${about}: ${what}` : what;
      }
      case "Organisation":
        return organisations.get(event.subjectId)?.name ?? null;
      case "Department":
        return typeof data.name === "string" ? data.name : null;
      case "Invitation":
        return about ?? (typeof data.email === "string" ? data.email : null);
      case "CertificateExport":
        return t("audit.subjectExport");
      default:
        return about;
    }
  };

  return events.map((event) => {
    const actorName = event.actorId === null ? t("audit.system") : event.actorId === viewerId ? t("audit.you") : (person(event.actorId) ?? t("audit.deletedPerson"));
    return {
      id: event.id,
      at: event.at.toISOString(),
      time: formatDateTime(event.at, locale, timeZone),
      localTime: localDateTime(event.at, timeZone),
      actor: actorName,
      role: roleOf(event),
      organisation: event.organisationId ? (organisations.get(event.organisationId)?.name ?? null) : null,
      action: event.action,
      actionLabel: actionLabel(t, event.action, viewerId !== null && event.subjectUserId === viewerId),
      subject: subjectOf(event),
      summary: summarise(dataOf(event), t, (id) => departments.get(id)?.name),
    };
  });
}

/** YYYY-MM-DD HH:mm in a time zone, as spreadsheets sort it. */
function localDateTime(instant: Date, timeZone: string) {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
  return `${localDate(instant, timeZone)} ${time}`;
}

// Shown elsewhere (the role column) or only an id the reader cannot use.
const UNSHOWN_DATA = new Set(["role", "holder"]);
const SUMMARY_LENGTH = 300;

/** An event's data in words: known keys read as sentences, others as "key: value". */
export function summarise(data: Record<string, unknown>, t: Translate, departmentName: (id: string) => string | undefined = () => undefined) {
  const roles = (value: unknown) => ([] as unknown[]).concat(value ?? []).map((role) => (typeof role === "string" && (ROLES as readonly string[]).includes(role) ? t(`role.${role}`) : plain(role))).join(", ");
  const parts = Object.entries(data)
    .filter(([key]) => !UNSHOWN_DATA.has(key))
    .map(([key, value]) => {
      switch (key) {
        case "roles":
          return `${t("field.roles")}: ${roles(value)}`;
        case "before":
          return `${t("audit.dataBefore")}: ${roles(value)}`;
        case "departmentId":
          return `${t("field.department")}: ${typeof value === "string" ? (departmentName(value) ?? value) : t("org.noDepartment")}`;
        case "quizTimeFactor":
          return `${t("audit.dataExtraTime")}: ${value === 1 || typeof value !== "number" ? t("org.extraTimeNone") : t("org.extraTimePercent", { percent: Math.round((value - 1) * 100) })}`;
        default: {
          const labelKey = `audit.data.${key}`;
          const label = t(labelKey);
          return `${label === labelKey ? key : label}: ${plain(value)}`;
        }
      }
    });
  const text = parts.join("; ");
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text;
}

function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${key} ${plain(inner)}`).join(", ");
  return String(value);
}
