import { z } from "zod";
import type { Locale } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { readLimitedForm } from "~/utils/limited-form.server.ts";
import { recordAudit } from "./audit.server.ts";
import { type ImportDelimiter, type ImportEncoding, type ImportFileProblem, type ImportRow, MAX_IMPORT_BYTES, parseInvitationFile } from "./invitation-import.ts";
import { sendInvitationOrAddMember } from "./invitations.server.ts";
import { departmentsInScope, type OrganiserScope } from "./organiser-scope.server.ts";
import { assertCanManageOrganisation } from "./organisations.server.ts";

// Organisers invite many people at once from a CSV file. The preview and the import read the same
// bytes the same way (the confirm form carries the file back), so nothing is kept on the server
// between the two steps, and the import decides each row afresh: importing a file twice invites
// nobody twice.

/** What happens to a row: invited, an existing account added, skipped (member or already invited), or not imported. */
export type ImportOutcome = "invite" | "addExisting" | "member" | "pending" | "error";
export type InvitationImportRow = ImportRow & { outcome: ImportOutcome };
export type InvitationImportCounts = { invite: number; addExisting: number; skipped: number; errors: number };
export type InvitationImportResult = { ok: false; problem: ImportFileProblem } | { ok: true; encoding: ImportEncoding; delimiter: ImportDelimiter; rows: InvitationImportRow[]; counts: InvitationImportCounts };

/** Everyone imported joins as a learner; organisers change roles per person afterwards. */
const IMPORT_ROLES = ["LEARNER"] as const;
/** Rows invited at once: each waits for its email to be handed to the SMTP server. */
const CONCURRENT_INVITATIONS = 4;
/** The import holds a lock for its whole run; a run of 5,000 invitations takes minutes, not this long. */
const IMPORT_TIMEOUT_MS = 30 * 60_000;

export async function getInvitationImportPage({ actor, organisationId }: { actor: Actor; organisationId: string }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  const organisation = await db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { id: true, name: true, departments: { select: { id: true, name: true }, orderBy: { name: "asc" } } } });
  const departments = departmentsInScope(scope, organisation.departments);
  return { ...organisation, departments, scopeDepartments: scope.departmentIds ? departments : null };
}

function countOutcomes(rows: InvitationImportRow[]): InvitationImportCounts {
  const count = (...outcomes: ImportOutcome[]) => rows.filter((row) => outcomes.includes(row.outcome)).length;
  return { invite: count("invite"), addExisting: count("addExisting"), skipped: count("member", "pending"), errors: count("error") };
}

/**
 * Reads the file and tells, for each good row, whether its person is a member, invited, has an
 * account or is new. A department organiser's file names one of their departments on every row:
 * another department is unknown to them, none is missing.
 */
async function decideRows(organisationId: string, scope: OrganiserScope, file: Uint8Array, now: Date): Promise<InvitationImportResult> {
  const departments = departmentsInScope(scope, await db.department.findMany({ where: { organisationId }, select: { id: true, name: true } }));
  const parsed = parseInvitationFile(file, departments);
  if (!parsed.ok) return parsed;
  if (scope.departmentIds) for (const row of parsed.rows) if (!row.department && !row.problems.includes("unknownDepartment")) row.problems.push("departmentRequired");
  const emails = parsed.rows.filter((row) => !row.problems.length).map((row) => row.email);
  const [accounts, pending] = await Promise.all([
    db.user.findMany({ where: { email: { in: emails } }, select: { email: true, memberships: { where: { organisationId, endedAt: null }, select: { id: true } } } }),
    // An invitation still open counts; an expired one is sent again.
    db.invitation.findMany({ where: { organisationId, email: { in: emails }, acceptedAt: null, expiresAt: { gt: now } }, select: { email: true } }),
  ]);
  const accountByEmail = new Map(accounts.map((account) => [account.email, account]));
  const invited = new Set(pending.map((invitation) => invitation.email));
  const rows = parsed.rows.map((row): InvitationImportRow => {
    if (row.problems.length) return { ...row, outcome: "error" };
    const account = accountByEmail.get(row.email);
    if (account?.memberships.length) return { ...row, outcome: "member" };
    if (account) return { ...row, outcome: "addExisting" };
    return { ...row, outcome: invited.has(row.email) ? "pending" : "invite" };
  });
  return { ok: true, encoding: parsed.encoding, delimiter: parsed.delimiter, rows, counts: countOutcomes(rows) };
}

/** Every row of the file with what importing it would do; nothing is written. */
export async function previewInvitationImport({ actor, organisationId, file, clock = systemClock }: { actor: Actor; organisationId: string; file: Uint8Array; clock?: Clock }) {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  return decideRows(organisationId, scope, file, clock.now());
}

/**
 * Invites the file's new people and adds its existing accounts as learners, through the same path
 * as a single invitation; skips members and people already invited; audits one event with the counts.
 * One import per organisation runs at a time (another started meanwhile, e.g. by a double submit,
 * is refused), so two runs of the same file cannot both invite someone.
 */
export async function importInvitations({ actor, organisationId, file, locale, clock = systemClock }: { actor: Actor; organisationId: string; file: Uint8Array; locale: Locale; clock?: Clock }): Promise<InvitationImportResult> {
  const scope = await assertCanManageOrganisation(actor, organisationId);
  // The lock lives in this transaction's connection; the invitations are written on others, each
  // committed as it is sent, so an interrupted import has sent what it says and a rerun finishes it.
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtextextended(${`invitation-import:${organisationId}`}, 0)) AS locked`;
      if (!locked) throw new DomainError("CONFLICT", "invitationImport.busy");
      const decided = await decideRows(organisationId, scope, file, clock.now());
      if (!decided.ok) return decided;
      const [organisation, inviter] = await Promise.all([
        db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } }),
        db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } }),
      ]);
      const rows = [...decided.rows];
      const todo = rows.map((row, index) => ({ row, index })).filter(({ row }) => row.outcome === "invite" || row.outcome === "addExisting");
      const invite = async ({ row, index }: (typeof todo)[number]) => {
        try {
          const result = await sendInvitationOrAddMember({ actor, organisationId, organisationName: organisation.name, inviterName: inviter.name, email: row.email, name: row.name, profession: row.profession, licenceNumber: row.licenceNumber, roles: [...IMPORT_ROLES], department: row.department?.id ?? null, locale, clock });
          rows[index] = { ...row, outcome: result.addedExistingUser ? "addExisting" : "invite" };
        } catch (error) {
          // They joined (another way) since the rows were decided.
          if (error instanceof DomainError && error.code === "CONFLICT") rows[index] = { ...row, outcome: "member" };
          else throw error;
        }
      };
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          try {
            await invite(todo[next++]);
          } catch (error) {
            next = todo.length;
            throw error;
          }
        }
      };
      // On a failure the other workers finish their current row and stop, all before the lock is released.
      const workers = await Promise.allSettled(Array.from({ length: Math.min(CONCURRENT_INVITATIONS, todo.length) }, worker));
      const failed = workers.find((outcome) => outcome.status === "rejected");
      if (failed) throw failed.reason;
      const counts = countOutcomes(rows);
      await recordAudit(tx, {
        actorId: actor.id,
        organisationId,
        action: "invitations.import",
        subjectType: "Organisation",
        subjectId: organisationId,
        data: { rows: rows.length, invited: counts.invite, addedExisting: counts.addExisting, skipped: counts.skipped, rowErrors: counts.errors },
        at: clock.now(),
      });
      return { ...decided, rows, counts };
    },
    { maxWait: 10_000, timeout: IMPORT_TIMEOUT_MS },
  );
}

// The confirm form carries the file as base64: a third larger than the file, plus the form's other fields.
const FORM_LIMIT = Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 64 * 1024;
const PreviewFormSchema = z.object({ intent: z.literal("preview"), file: z.instanceof(File, { message: "invitationImport.chooseFile" }).refine((file) => file.size > 0, "invitationImport.chooseFile") });
const ImportFormSchema = z.object({ intent: z.literal("import"), content: z.base64("errors.badRequest").min(1, "errors.badRequest") });

/**
 * The uploaded file (preview) or the file carried back by the confirm form (import), with the body
 * read up to a limit: nothing larger than the largest allowed file is parsed.
 */
export async function readInvitationImportForm(request: Request): Promise<{ intent: "preview" | "import"; file: Uint8Array }> {
  const form = await readLimitedForm(request, FORM_LIMIT, { tooLarge: "invitationImport.file.tooLarge", unreadable: "errors.badRequest", field: "file" });
  const fields = Object.fromEntries(form);
  if (fields.intent === "import") {
    const parsed = ImportFormSchema.safeParse(fields);
    if (!parsed.success) throw new DomainError("INVALID", "errors.badRequest");
    return { intent: "import", file: new Uint8Array(Buffer.from(parsed.data.content, "base64")) };
  }
  const parsed = PreviewFormSchema.safeParse(fields);
  if (!parsed.success) throw new DomainError("INVALID", parsed.error.issues.some((issue) => issue.path[0] === "file") ? "invitationImport.chooseFile" : "errors.badRequest", "file");
  if (parsed.data.file.size > MAX_IMPORT_BYTES) throw new DomainError("INVALID", "invitationImport.file.tooLarge", "file");
  return { intent: "preview", file: new Uint8Array(await parsed.data.file.arrayBuffer()) };
}

/** The file's bytes for the confirm form. */
export function encodeImportFile(file: Uint8Array) {
  return Buffer.from(file).toString("base64");
}
