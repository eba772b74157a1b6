// One generated learner: the person, their membership, their enrolment in the course and where
// they stand in it (not started, in progress, completed), the certificate a completion issued,
// a renewal cycle or revocation for some, and the reminders the app would already have sent.
import { newCertificateCode } from "../../../app/certificates/code.ts";
import { addDays, addMonthsClamped, expiryDate } from "../../../app/certificates/expiry.ts";
import type { ProfessionValue } from "../../../app/utils/roles.ts";
import type { Rows } from "./bulk-insert.ts";
import type { CoursePlan, PlanItem } from "./course-plan.ts";
import { asciiFold, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, type ProfessionWeights, REVOCATION_REASONS, SURNAMES } from "./names.ts";
import { type ChunkRows, emptyChunk, finishItem, type Learning, startItem } from "./progress.ts";
import type { Random } from "./random.ts";

export const DEMO_DOMAIN = "demo.opora.test";
const HOUR = 36e5;
const DAY = 864e5;
const MONTH = 30.44 * DAY;

export type DemoOrganisation = {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  size: number;
  organiserId: string;
  departments: Array<{ id: string; name: string; size: number; professions: ProfessionWeights }>;
};

export type LearnerContext = {
  random: Random;
  newId: () => string;
  /** the moment the data is generated "at": every generated time is before it */
  nowMs: number;
  plan: CoursePlan;
  organisations: DemoOrganisation[];
  passwordHash: string;
  /** completions before this have had raw answers and case choices removed (the retention job) */
  retentionCutoffMs: number;
  /** days before expiry on which the app reminds holders (EXPIRY_MILESTONES) */
  expiryMilestones: readonly number[];
  /** days before expiry from which a renewal may start */
  renewalOpensDaysBefore: number;
};

const FEMALE_SHARE: Record<ProfessionValue, number> = { NURSE: 0.87, MIDWIFE: 0.99, PHYSICIAN: 0.62, OTHER: 0.6 };
const DEFAULT_PROFESSIONS: ProfessionWeights = [["NURSE", 60], ["PHYSICIAN", 22], ["MIDWIFE", 6], ["OTHER", 12]];

/** Learners `from` to `from + count - 1` (numbered from 1), as rows for every table. */
export function generateLearners(ctx: LearnerContext, from: number, count: number, out: ChunkRows = emptyChunk()): ChunkRows {
  const organisationWeights = ctx.organisations.map((o) => [o, o.size] as const);
  for (let n = from; n < from + count; n++) generateLearner(ctx, n, out, ctx.random.weighted(organisationWeights));
  return out;
}

function generateLearner(ctx: LearnerContext, n: number, out: ChunkRows, organisation: DemoOrganisation) {
  const { random, nowMs } = ctx;
  const department = random.chance(0.03) ? null : random.weighted(organisation.departments.map((d) => [d, d.size] as const));
  const profession = random.weighted(department?.professions ?? DEFAULT_PROFESSIONS);
  const first = random.pick(random.chance(FEMALE_SHARE[profession]) ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const last = random.pick(SURNAMES);
  const hasLicence = random.chance(profession === "PHYSICIAN" ? 0.8 : profession === "OTHER" ? 0.05 : 0.35);
  const locale = random.chance(0.05) ? "en" : "sl";
  const userId = ctx.newId();
  const person = { userId, name: `${first} ${last}`, locale };

  const enrolled = random.chance(0.86);
  const joinedBeforeMs = enrolled ? enrolCourse(ctx, out, organisation, person) : nowMs - random.between(0, 36) * MONTH;
  const createdMs = Math.max(nowMs - 48 * MONTH, joinedBeforeMs - random.between(0, 400) * DAY);
  out.User.push({
    id: userId,
    email: `${asciiFold(first)}.${asciiFold(last)}.${n}@${DEMO_DOMAIN}`,
    name: person.name,
    profession,
    locale,
    licenceNumber: hasLicence ? String(random.int(10000, 99999)) : null,
    passwordHash: ctx.passwordHash,
    emailVerifiedAt: new Date(createdMs + random.between(1, 600) * 60_000),
    createdAt: new Date(createdMs),
    updatedAt: new Date(createdMs),
  });
  // A few have left the organisation since: their records stay, its organisers see no new activity.
  const endedMs = random.chance(0.015) ? createdMs + random.next() * (nowMs - createdMs) : null;
  out.Membership.push({ id: ctx.newId(), userId, organisationId: organisation.id, departmentId: department?.id ?? null, roles: ["LEARNER"], createdAt: new Date(createdMs), endedAt: endedMs === null ? null : new Date(endedMs) });
}

type Person = { userId: string; name: string; locale: string };

/** Enrols the person and plays out the course; returns when they enrolled. */
function enrolCourse(ctx: LearnerContext, out: ChunkRows, organisation: DemoOrganisation, person: Person): number {
  const { random, nowMs, plan } = ctx;
  const status = random.weighted([["completed", 57], ["in-progress", 24], ["not-started", 19]] as const);
  // Completions (and so certificates) spread evenly over the last 30 months.
  const finishedMs = nowMs - random.between(1, 30 * 30.44) * DAY;
  let createdMs: number;
  if (status === "completed") createdMs = finishedMs - random.between(2, 120) * DAY;
  else if (status === "in-progress") createdMs = nowMs - random.between(3, 365) * DAY;
  else createdMs = nowMs - random.between(0, 300) * DAY;
  const assigned = random.chance(0.62);
  const enrolment: Rows["Enrolment"] = {
    id: ctx.newId(),
    userId: person.userId,
    courseId: plan.courseId,
    cycle: 1,
    kind: "INITIAL",
    courseVersionId: plan.versionId,
    organisationId: organisation.id,
    source: assigned ? "ASSIGNED" : "SELF",
    assignedById: assigned ? organisation.organiserId : null,
    dueAt: assigned ? new Date(createdMs + random.pick([30, 60, 90, 120, 180]) * DAY) : null,
    createdAt: new Date(createdMs),
  };
  out.Enrolment.push(enrolment);
  if (status === "not-started") return createdMs;

  const learning: Learning = { random, newId: ctx.newId, out, enrolmentId: enrolment.id as string, userId: person.userId, locale: person.locale, keepDetails: true };
  if (status === "in-progress") {
    const startedMs = createdMs + random.between(0, Math.min(14, (nowMs - createdMs) / DAY / 2)) * DAY;
    const lastMs = startedMs + random.next() * Math.max(0, nowMs - 2 * HOUR - startedMs);
    playPartly(learning, enrolment, plan.initialItems, startedMs, lastMs);
    return createdMs;
  }
  const startedMs = createdMs + random.between(0, Math.min(14, (finishedMs - createdMs) / DAY / 2)) * DAY;
  learning.keepDetails = finishedMs >= ctx.retentionCutoffMs;
  playThrough(learning, enrolment, plan.initialItems, startedMs, finishedMs);
  const certificate = issueCertificate(ctx, out, organisation, person, enrolment, finishedMs, null);
  renewOrRevoke(ctx, out, organisation, person, certificate);
  return createdMs;
}

/** Every item done, in order, the last at `endMs`. */
function playThrough(learning: Learning, enrolment: Rows["Enrolment"], items: PlanItem[], startMs: number, endMs: number) {
  const times = items.map(() => startMs + learning.random.next() * (endMs - startMs)).sort((a, b) => a - b);
  times[times.length - 1] = endMs;
  const firstRow = learning.out.ItemProgress.length;
  let seconds = 0;
  items.forEach((item, index) => {
    seconds += finishItem(learning, item, index ? times[index - 1] : startMs, times[index]);
  });
  Object.assign(enrolment, { startedAt: startedAt(learning, firstRow, startMs), completedAt: new Date(endMs), lastItemKey: items[items.length - 1].key, timeSpentSeconds: Math.round(seconds) });
}

/** Some items done between `startMs` and `lastMs`, and the next one begun (always, when none is done). */
function playPartly(learning: Learning, enrolment: Rows["Enrolment"], items: PlanItem[], startMs: number, lastMs: number) {
  const { random } = learning;
  const done = random.int(0, items.length - 1);
  const times = Array.from({ length: done }, () => startMs + random.next() * (lastMs - startMs)).sort((a, b) => a - b);
  const firstRow = learning.out.ItemProgress.length;
  let seconds = 0;
  for (let index = 0; index < done; index++) seconds += finishItem(learning, items[index], index ? times[index - 1] : startMs, times[index]);
  let lastItemKey = done ? items[done - 1].key : null;
  if (!done || random.chance(0.6)) {
    seconds += startItem(learning, items[done], done ? times[done - 1] + random.between(1, 60) * 60_000 : startMs);
    lastItemKey = items[done].key;
  }
  Object.assign(enrolment, { startedAt: startedAt(learning, firstRow, startMs), lastItemKey, timeSpentSeconds: Math.round(seconds) });
}

/** The enrolment began with its first item at the latest (a lesson is opened before it counts as read). */
function startedAt(learning: Learning, firstRow: number, startMs: number) {
  let earliest = startMs;
  for (let i = firstRow; i < learning.out.ItemProgress.length; i++) earliest = Math.min(earliest, new Date(learning.out.ItemProgress[i].startedAt).getTime());
  return new Date(earliest);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
let expiryChecks = 0;

/** localDate (app/certificates/expiry.ts) with one formatter per time zone: a new one per call took a third of the generation time. */
function localDay(instant: Date, timeZone: string) {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** expiryDate, faster (see localDay); checked against expiryDate itself now and then, so the two cannot drift apart. */
function certificateExpiry(issuedAt: Date, months: number, timeZone: string) {
  const expiresOn = addMonthsClamped(localDay(issuedAt, timeZone), months);
  if (expiryChecks++ % 200 === 0 && expiresOn !== expiryDate(issuedAt, months, timeZone)) throw new Error(`expiry of ${issuedAt.toISOString()}: ${expiresOn} ≠ ${expiryDate(issuedAt, months, timeZone)}`);
  return expiresOn;
}

type IssuedCertificate = { row: Rows["Certificate"]; issuedMs: number; expiresOn: string; timeZone: string };

/** The certificate a completion issues, as app/certificates/issue-certificate.server.ts builds it. */
function issueCertificate(ctx: LearnerContext, out: ChunkRows, organisation: DemoOrganisation, person: Person, enrolment: Rows["Enrolment"], issuedMs: number, previous: IssuedCertificate | null): IssuedCertificate {
  const { meta } = ctx.plan;
  const issuedAt = new Date(issuedMs);
  const expiresOn = certificateExpiry(issuedAt, meta.validityMonths, organisation.timeZone);
  const row: Rows["Certificate"] = {
    id: ctx.newId(),
    code: newCertificateCode((size) => ctx.random.bytes(size)),
    enrolmentId: enrolment.id as string,
    userId: person.userId,
    courseId: ctx.plan.courseId,
    courseVersionId: ctx.plan.versionId,
    organisationId: organisation.id,
    holderName: person.name,
    courseTitle: meta.title as object,
    courseVersion: ctx.plan.versionNumber,
    issuerName: organisation.name,
    timeZone: organisation.timeZone,
    issuedAt,
    expiresOn,
    cpdCredits: meta.cpd.credits,
    cpdCategory: (meta.cpd.categoryId ? { ...meta.cpd.category, id: meta.cpd.categoryId } : meta.cpd.category) as object,
    supersedesId: previous?.row.id ?? null,
  };
  out.Certificate.push(row);
  if (previous) previous.row.supersededAt = issuedAt;
  return { row, issuedMs, expiresOn, timeZone: organisation.timeZone };
}

/**
 * A few certificates are revoked by the organiser. Of those whose renewal window has opened, many
 * holders started renewing and most of them passed, which issued a certificate superseding the
 * first. The reminders the app sent along the way are recorded last, once the ends are known.
 */
function renewOrRevoke(ctx: LearnerContext, out: ChunkRows, organisation: DemoOrganisation, person: Person, first: IssuedCertificate) {
  const { random, nowMs, plan } = ctx;
  const today = localDay(new Date(nowMs), first.timeZone);
  const opensOn = addDays(first.expiresOn, -ctx.renewalOpensDaysBefore);
  let second: IssuedCertificate | null = null;
  if (random.chance(0.004)) {
    const revokedMs = first.issuedMs + random.next() * Math.min(300 * DAY, nowMs - first.issuedMs);
    const reason = random.pick(REVOCATION_REASONS);
    Object.assign(first.row, { revokedAt: new Date(revokedMs), revokedById: organisation.organiserId, revocationReason: reason });
    out.AuditEvent.push({ id: ctx.newId(), at: new Date(revokedMs), actorId: organisation.organiserId, organisationId: organisation.id, action: "certificate.revoke", subjectType: "Certificate", subjectId: first.row.id as string, subjectUserId: person.userId, data: { holder: person.userId, reason } });
  } else if (today >= opensOn && random.chance(today >= first.expiresOn ? 0.6 : 0.45)) {
    const createdMs = Math.max(first.issuedMs, Date.parse(`${opensOn}T06:00:00Z`)) + random.next() * (nowMs - Math.max(first.issuedMs, Date.parse(`${opensOn}T06:00:00Z`)));
    const renewal: Rows["Enrolment"] = {
      id: ctx.newId(),
      userId: person.userId,
      courseId: plan.courseId,
      cycle: 2,
      kind: "RENEWAL",
      renewsCertificateId: first.row.id,
      courseVersionId: plan.versionId,
      organisationId: organisation.id,
      source: "SELF",
      createdAt: new Date(createdMs),
    };
    out.Enrolment.push(renewal);
    const learning: Learning = { random, newId: ctx.newId, out, enrolmentId: renewal.id as string, userId: person.userId, locale: person.locale, keepDetails: true };
    const daysSince = (nowMs - createdMs) / DAY;
    if (daysSince > 2 && random.chance(0.7)) {
      const finishedMs = createdMs + random.between(0.05, Math.min(30, daysSince - 1)) * DAY;
      playThrough(learning, renewal, plan.renewalItems, createdMs + random.between(0, 0.04) * DAY, finishedMs);
      second = issueCertificate(ctx, out, organisation, person, renewal, finishedMs, first);
    } else if (random.chance(0.6)) {
      const startedMs = createdMs + random.between(0, 0.04) * DAY;
      playPartly(learning, renewal, plan.renewalItems, startedMs, startedMs + random.next() * Math.max(0, nowMs - 2 * HOUR - startedMs));
    }
  }
  recordNotices(ctx, out, first, today);
  if (second) recordNotices(ctx, out, second, today);
}

/** "Certificate issued" and every expiry reminder already due while the certificate was current. */
function recordNotices(ctx: LearnerContext, out: ChunkRows, certificate: IssuedCertificate, today: string) {
  const { row } = certificate;
  const endMs = Math.min(...[row.supersededAt, row.revokedAt].map((at) => (at ? new Date(at).getTime() : Number.POSITIVE_INFINITY)));
  const notice = (milestone: string, kind: string, atMs: number) => {
    const at = new Date(Math.min(atMs, ctx.nowMs));
    out.Notification.push({ id: ctx.newId(), userId: row.userId, kind, subjectId: row.id as string, milestone, claimedAt: at, sentAt: at });
  };
  notice("issued", "certificate-issued", certificate.issuedMs + 30_000);
  for (const days of ctx.expiryMilestones) {
    const date = addDays(certificate.expiresOn, -days);
    const atMs = Date.parse(`${date}T05:00:00Z`);
    if (date <= today && atMs >= certificate.issuedMs && atMs < endMs) notice(`${days}d`, "certificate-expiry", atMs);
  }
}
