import { createWriteStream } from "node:fs";
import { Zip, ZipPassThrough } from "fflate";
import { z } from "zod";
import { recordAudit } from "~/domain/audit.server.ts";
import { departmentInScope, departmentsInScope, type OrganiserScope, scopeUserWhere } from "~/domain/organiser-scope.server.ts";
import { assertCanManageOrganisation } from "~/domain/organisations.server.ts";
import { isLocale, LOCALES, pick, translator } from "~/i18n/index.ts";
import { enqueue } from "~/jobs/queue.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { toCsv } from "~/utils/csv.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { putFileFromPath, scratchPath, storedFileStream } from "~/utils/storage.server.ts";
import { CERTIFICATE_PUBLIC_FIELDS, renderStoredCertificate } from "./certificates.server.ts";
import { formatCertificateCode } from "./code.ts";
import { type CertificateState, certificateState, localDate } from "./expiry.ts";

// An organiser downloads every certificate matching a filter as one ZIP of PDFs (with an index
// CSV). Rendering a thousand PDFs takes a while, so a job builds it while the page shows progress.

const DateSchema = z.iso.date({ error: "exports.badDate" }).optional();
export const ExportFilterSchema = z
  .object({
    courseId: z.string().min(1).max(40).optional(),
    departmentId: z.string().min(1).max(40).optional(),
    state: z.enum(["current", "valid", "expiring", "expired", "revoked", "superseded", "all"]).default("current"),
    issuedFrom: DateSchema,
    issuedTo: DateSchema,
    locale: z.enum(LOCALES).default("sl"),
  })
  .refine((f) => !f.issuedFrom || !f.issuedTo || f.issuedFrom <= f.issuedTo, { error: "exports.badPeriod", path: ["issuedTo"] });
export type ExportFilter = z.infer<typeof ExportFilterSchema>;

const STATES_OF: Record<ExportFilter["state"], CertificateState[] | null> = {
  current: ["valid", "expiring"],
  valid: ["valid"],
  expiring: ["expiring"],
  expired: ["expired"],
  revoked: ["revoked"],
  superseded: ["superseded"],
  all: null,
};

export async function requestCertificateExport({ actor, organisationId, filter, clock = systemClock }: { actor: Actor; organisationId: string; filter: ExportFilter; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  if (filter.courseId && !(await db.course.count({ where: { id: filter.courseId } }))) throw new DomainError("INVALID", "exports.unknownCourse", "courseId");
  if (filter.departmentId && (!(await db.department.count({ where: { id: filter.departmentId, organisationId } })) || !departmentInScope(scope, filter.departmentId))) throw new DomainError("INVALID", "org.unknownDepartment", "departmentId");
  const now = clock.now();
  const created = await db.$transaction(async (tx) => {
    // The requester's departments go with the export, so the job, running later without them, stays within them.
    const row = await tx.certificateExport.create({ data: { organisationId, requestedById: actor.id, filter, departmentIds: scope.departmentIds ?? [], createdAt: now }, select: { id: true } });
    await recordAudit(tx, { actorId: actor.id, organisationId, action: "certificates.export", subjectType: "CertificateExport", subjectId: row.id, data: filter, at: now });
    return row;
  });
  await enqueue("certificate-export", { exportId: created.id }, { singletonKey: created.id });
  return created;
}

/** Whether an organiser sees everyone an export holds: a department organiser, only exports limited to departments of theirs. */
function exportWithinScope(scope: OrganiserScope, exportDepartmentIds: string[]) {
  return scope.departmentIds === null || (exportDepartmentIds.length > 0 && exportDepartmentIds.every((id) => scope.departmentIds!.includes(id)));
}

async function findExport(actor: Actor, organisationId: string, exportId: string) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const row = await db.certificateExport.findFirst({ where: { id: exportId, organisationId } });
  if (!row || !exportWithinScope(scope, row.departmentIds)) throw new DomainError("NOT_FOUND", "errors.notFound");
  return row;
}

/** Progress of an export, for the page that waits on it. */
export async function getCertificateExport({ actor, organisationId, exportId }: { actor: Actor; organisationId: string; exportId: string }) {
  const row = await findExport(actor, organisationId, exportId);
  return { id: row.id, status: row.status, total: row.total, done: row.done, sizeBytes: row.sizeBytes, error: row.error, createdAt: row.createdAt, finishedAt: row.finishedAt, filter: row.filter as ExportFilter };
}

/** What the export form offers (the organisation's courses with certificates, its departments) and recent exports. */
export async function certificateExportPage({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const [organisation, courseIds, exports] = await Promise.all([
    db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true, departments: { orderBy: { name: "asc" }, select: { id: true, name: true } } } }),
    db.certificate.findMany({ where: { organisationId, enrolment: { user: scopeUserWhere(scope, organisationId) } }, distinct: ["courseId"], select: { courseId: true, courseTitle: true }, orderBy: { courseId: "asc" } }),
    db.certificateExport.findMany({ where: { organisationId, ...(scope.departmentIds ? { departmentIds: { isEmpty: false } } : {}) }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, status: true, total: true, done: true, createdAt: true, departmentIds: true } }),
  ]);
  const departments = departmentsInScope(scope, organisation.departments);
  return {
    organisation: { ...organisation, departments },
    scopeDepartments: scope.departmentIds ? departments : null,
    courses: courseIds.map((c) => ({ id: c.courseId, title: c.courseTitle as Record<string, string> })),
    exports: exports
      .filter((e) => exportWithinScope(scope, e.departmentIds))
      .slice(0, 10)
      .map(({ departmentIds: _, ...e }) => e),
  };
}

export async function downloadCertificateExport({ actor, organisationId, exportId, clock = systemClock }: { actor: Actor; organisationId: string; exportId: string; clock?: Clock }) {
  const row = await findExport(actor, organisationId, exportId);
  if (row.status !== "DONE" || !row.storageKey) throw new DomainError("CONFLICT", "exports.notReady");
  await recordAudit(db, { actorId: actor.id, organisationId, action: "certificates.export-download", subjectType: "CertificateExport", subjectId: row.id, data: { certificates: row.total }, at: clock.now() });
  return { stream: storedFileStream(row.storageKey), size: row.sizeBytes ?? undefined, filename: `opora-certificates-${localDate(row.createdAt, "UTC")}-${row.id.slice(-6)}.zip` };
}

/** Certificates of an organisation matching a filter, of the requester's departments' people, oldest first. */
async function matchingCertificates(organisationId: string, filter: ExportFilter, departmentIds: string[], now: Date) {
  const scope: OrganiserScope = { departmentIds: departmentIds.length ? departmentIds : null };
  const rows = await db.certificate.findMany({
    where: {
      organisationId,
      ...(filter.courseId ? { courseId: filter.courseId } : {}),
      AND: [
        { enrolment: { user: scopeUserWhere(scope, organisationId) } },
        ...(filter.departmentId ? [{ enrolment: { user: { memberships: { some: { organisationId, departmentId: filter.departmentId } } } } }] : []),
      ],
    },
    select: { ...CERTIFICATE_PUBLIC_FIELDS, id: true },
    orderBy: [{ issuedAt: "asc" }, { code: "asc" }],
  });
  const states = STATES_OF[filter.state];
  return rows
    .map((row) => ({ row, state: certificateState(row, now, row.timeZone), issuedOn: localDate(row.issuedAt, row.timeZone) }))
    .filter(({ state, issuedOn }) => (!states || states.includes(state)) && (!filter.issuedFrom || issuedOn >= filter.issuedFrom) && (!filter.issuedTo || issuedOn <= filter.issuedTo));
}

/** A holder's name as part of a file name on any system: no path separators, reserved or control characters. */
function safeFileName(text: string) {
  return [...text]
    .map((char) => (char.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(char) ? "_" : char))
    .join("")
    .slice(0, 80)
    .trim();
}

/**
 * The job: renders each PDF and streams it into a ZIP on disk (PDFs are already compressed, so
 * they are stored, not deflated again), recording progress as it goes. Running it again for a
 * finished export does nothing; a failed one is marked FAILED with the reason.
 */
export async function buildCertificateExport({ exportId, clock = systemClock }: { exportId: string; clock?: Clock }) {
  const row = await db.certificateExport.findUnique({ where: { id: exportId } });
  if (!row || row.status === "DONE") return;
  const filter = ExportFilterSchema.parse(row.filter);
  const locale = isLocale(filter.locale) ? filter.locale : "sl";
  const now = clock.now();
  const path = scratchPath(`${exportId}.zip`);
  try {
    const certificates = await matchingCertificates(row.organisationId, filter, row.departmentIds, now);
    await db.certificateExport.update({ where: { id: exportId }, data: { status: "RUNNING", total: certificates.length, done: 0, error: null } });
    const output = createWriteStream(path);
    const finished = new Promise<void>((resolve, reject) => {
      output.on("finish", resolve);
      output.on("error", reject);
    });
    let zipError: Error | null = null;
    const zip = new Zip((error, chunk, final) => {
      if (error) zipError = error;
      else output.write(chunk);
      if (final || error) output.end();
    });
    const add = (name: string, bytes: Uint8Array) => {
      const entry = new ZipPassThrough(name);
      entry.mtime = now;
      zip.add(entry);
      entry.push(bytes, true);
    };
    const t = translator(locale);
    const index = [[t("certificate.code"), t("check.holder"), t("check.course"), t("certificate.issued"), t("certificate.validUntil"), t("people.status"), t("certificate.cpd"), t("certificate.verifyAt")]];
    let lastReport = Date.now();
    for (const [position, { row: certificate, state, issuedOn }] of certificates.entries()) {
      const code = formatCertificateCode(certificate.code);
      const holder = certificate.holderWithdrawnAt ? t("check.holderWithdrawn") : certificate.holderName;
      add(certificate.holderWithdrawnAt ? `${code}.pdf` : `${code} ${safeFileName(holder)}.pdf`, await renderStoredCertificate(certificate, locale, now));
      index.push([code, holder, pick(certificate.courseTitle as Record<string, string>, locale), issuedOn, certificate.expiresOn, t(`check.state.${state}` as never), String(certificate.cpdCredits), `/verify/${certificate.code}`]);
      if (Date.now() - lastReport > 1000 || position === certificates.length - 1) {
        lastReport = Date.now();
        await db.certificateExport.update({ where: { id: exportId }, data: { done: position + 1 } });
      }
    }
    add("index.csv", new TextEncoder().encode(toCsv(index)));
    zip.end();
    await finished;
    if (zipError) throw zipError;
    const stored = await putFileFromPath(path);
    await db.certificateExport.update({ where: { id: exportId }, data: { status: "DONE", storageKey: stored.sha256, sizeBytes: stored.size, finishedAt: clock.now() } });
  } catch (error) {
    console.error(`[exports] export ${exportId} failed:`, error);
    await db.certificateExport.update({ where: { id: exportId }, data: { status: "FAILED", error: String(error).slice(0, 300), finishedAt: clock.now() } });
  }
}
