import { loadCourseListing } from "~/content/load-course.server.ts";
import { listingFromFiles } from "~/content/read-course-folder.server.ts";
import { lockCourseForImport, storeCourseAssets, writeCourseVersion } from "~/content/import-course.server.ts";
import type { Problem } from "~/content/types.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { assertCanAuthorCourse } from "~/domain/course-authoring-access.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db, type Tx } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { type DraftFileState, diffFiles } from "./draft-diff.ts";
import { readCourseSettings } from "./course-settings.ts";
import { isDraftPath, MAX_DRAFT_FILES, MAX_TEXT_FILE_BYTES } from "./draft-paths.ts";

// A course's draft is its folder in the course file format (courses/README.md), held as rows of
// DraftFile. Editor pages change files; "Publish" checks the whole folder with the same loader as
// `npm run courses:check` and writes a new version as a file import would. See ADR 0012.

export type DraftFile = {
  path: string;
  /** Text of a YAML or Markdown file; null for an image, video or captions file. */
  text: string | null;
  asset: { sha256: string; mediaType: string; size: number } | null;
  revision: number;
  updatedAt: Date;
};

const FILE_SELECT = { path: true, text: true, revision: true, updatedAt: true, asset: { select: { sha256: true, mediaType: true, size: true } } } as const;

/**
 * The course's draft, started from its latest version when it has none. Only people who may change
 * the course see it.
 */
export async function openDraft({ actor, slug, clock = systemClock }: { actor: Actor; slug: string; clock?: Clock }) {
  const course = await assertCanAuthorCourse(actor, slug);
  let files = await db.draftFile.findMany({ where: { courseId: course.id }, select: FILE_SELECT, orderBy: { path: "asc" } });
  if (!files.length) {
    await seedDraftFromLatest(course.id, clock.now(), actor.id);
    files = await db.draftFile.findMany({ where: { courseId: course.id }, select: FILE_SELECT, orderBy: { path: "asc" } });
  }
  return { course, files: files as DraftFile[] };
}

async function seedDraftFromLatest(courseId: string, now: Date, actorId: string) {
  const latest = await db.courseVersion.findFirst({
    where: { courseId, publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: { id: true, sourceFiles: true },
  });
  const texts = (latest?.sourceFiles ?? null) as Record<string, string> | null;
  if (!latest || !texts) throw new DomainError("CONFLICT", "authoring.draft.noSource");
  const assets = await db.courseAsset.findMany({ where: { courseVersionId: latest.id }, select: { path: true, assetId: true } });
  await db.draftFile.createMany({
    data: [
      ...Object.entries(texts).map(([path, text]) => ({ courseId, path, text, updatedAt: now, updatedById: actorId })),
      ...assets.map((asset) => ({ courseId, path: asset.path, assetId: asset.assetId, updatedAt: now, updatedById: actorId })),
    ],
    // Two tabs opening the editor at once both try; the second adds nothing.
    skipDuplicates: true,
  });
}

/** One file change: the revision the editor loaded (0 for a new file), and the new text or asset, or removal. */
export type DraftChange = { path: string; expectedRevision: number } & ({ text: string } | { assetSha256: string } | { remove: true });

/**
 * Applies changes to a draft, all or none. Each file must still be at the revision the editor
 * loaded; otherwise nothing is saved and the error names the file, so two trainers editing the
 * same lesson never silently overwrite each other.
 */
export async function saveDraftFiles({ actor, slug, changes, clock = systemClock }: { actor: Actor; slug: string; changes: DraftChange[]; clock?: Clock }) {
  const course = await assertCanAuthorCourse(actor, slug);
  if (!changes.length) return { revisions: {} as Record<string, number> };
  for (const change of changes) {
    if (!isDraftPath(change.path)) throw new DomainError("INVALID", "authoring.draft.badPath", "path", change.path);
    if ("text" in change && Buffer.byteLength(change.text, "utf8") > MAX_TEXT_FILE_BYTES) throw new DomainError("INVALID", "authoring.draft.tooLarge", "text", change.path);
  }
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const paths = changes.map((change) => change.path);
    // Row locks in path order, so two saves touching the same files queue instead of deadlocking.
    const current = await tx.$queryRaw<Array<{ path: string; revision: number; updatedAt: Date; updatedById: string | null }>>`
      SELECT "path", "revision", "updatedAt", "updatedById" FROM "DraftFile"
      WHERE "courseId" = ${course.id} AND "path" = ANY(${paths}::text[]) ORDER BY "path" FOR UPDATE`;
    const byPath = new Map(current.map((row) => [row.path, row]));
    for (const change of changes) {
      const row = byPath.get(change.path);
      if ((row?.revision ?? 0) !== change.expectedRevision) throw await conflict(change.path, row);
    }
    const revisions: Record<string, number> = {};
    const added = changes.filter((change) => !byPath.has(change.path) && !("remove" in change)).length;
    if (added) {
      const count = await tx.draftFile.count({ where: { courseId: course.id } });
      if (count + added > MAX_DRAFT_FILES) throw new DomainError("INVALID", "authoring.draft.tooManyFiles");
    }
    for (const change of changes) {
      const where = { courseId_path: { courseId: course.id, path: change.path } };
      if ("remove" in change) {
        if (byPath.has(change.path)) await tx.draftFile.delete({ where });
        revisions[change.path] = 0;
        continue;
      }
      const content = "text" in change ? { text: change.text, assetId: null } : { text: null, assetId: await assetIdOf(tx, change.assetSha256) };
      const saved = await tx.draftFile.upsert({
        where,
        create: { courseId: course.id, path: change.path, ...content, updatedAt: now, updatedById: actor.id },
        update: { ...content, revision: { increment: 1 }, updatedAt: now, updatedById: actor.id },
        select: { revision: true },
      });
      revisions[change.path] = saved.revision;
    }
    await recordAudit(tx, { actorId: actor.id, organisationId: course.ownerOrganisationId, action: "course.draft.save", subjectType: "Course", subjectId: course.id, data: { files: paths }, at: now });
    return { revisions };
  });
}

async function assetIdOf(tx: Tx, sha256: string) {
  const asset = await tx.asset.findUnique({ where: { sha256 }, select: { id: true } });
  if (!asset) throw new DomainError("INVALID", "authoring.draft.unknownAsset");
  return asset.id;
}

async function conflict(path: string, row: { updatedAt: Date; updatedById: string | null } | undefined) {
  if (!row) return new DomainError("CONFLICT", "authoring.draft.conflictRemoved", undefined, path);
  const editor = row.updatedById ? await db.user.findUnique({ where: { id: row.updatedById }, select: { name: true, deletedAt: true } }) : null;
  const who = editor && !editor.deletedAt ? editor.name : "";
  return new DomainError("CONFLICT", "authoring.draft.conflict", undefined, JSON.stringify({ path, who, at: row.updatedAt.toISOString() }));
}

/** Checks a draft exactly as `npm run courses:check` checks a folder. */
async function checkDraft(tx: Tx | typeof db, course: { id: string; slug: string }) {
  const rows = await tx.draftFile.findMany({ where: { courseId: course.id }, select: FILE_SELECT });
  const texts = new Map<string, string>();
  const binaries = new Map<string, string>();
  const stored = new Map<string, { sha256: string; mediaType: string; size: number }>();
  for (const row of rows) {
    if (row.text !== null) texts.set(row.path, row.text);
    else if (row.asset) {
      binaries.set(row.path, row.asset.sha256);
      stored.set(row.path, row.asset);
    }
  }
  const knownCourseSlugs = new Set((await tx.course.findMany({ select: { slug: true } })).map((c) => c.slug));
  const listing = listingFromFiles(texts, binaries);
  // Every editor page shows the draft's problems; checking a whole course takes a few hundred ms,
  // so the last result per course is kept while its files (and the other courses) stay the same.
  const cacheKey = `${listing.contentHash}:${[...knownCourseSlugs].sort().join(",")}`;
  const cached = checkCache.get(course.id);
  if (cached?.key === cacheKey) return { ...cached.result, rows };
  const result = loadCourseListing(listing, {
    knownCourseSlugs,
    displayDir: course.slug,
    folderName: course.slug,
    dir: "",
    asset: (path) => {
      const asset = stored.get(path);
      if (!asset) throw new Error(`draft asset ${path} vanished while checking`);
      return { path, stored: asset };
    },
  });
  checkCache.set(course.id, { key: cacheKey, result });
  if (checkCache.size > 50) checkCache.delete(checkCache.keys().next().value as string);
  return { ...result, rows };
}

const checkCache = new Map<string, { key: string; result: ReturnType<typeof loadCourseListing> }>();

/** What the editor's course page shows: the draft's problems and what changed since the last publication. */
export async function draftStatus({ actor, slug }: { actor: Actor; slug: string }) {
  const { course } = await openDraft({ actor, slug });
  const { problems, rows } = await checkDraft(db, course);
  const published = await publishedFiles(course.id);
  const draft = new Map<string, DraftFileState>(rows.map((row) => [row.path, row.text !== null ? { text: row.text } : { sha256: row.asset?.sha256 ?? "" }]));
  return {
    problems: problems.map((problem) => ({ ...problem, file: problem.file.slice(course.slug.length + 1) })),
    changes: diffFiles(published.files, draft),
    publishedVersion: published.number,
  };
}

async function publishedFiles(courseId: string) {
  const latest = await db.courseVersion.findFirst({
    where: { courseId, publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: { id: true, number: true, sourceFiles: true },
  });
  const files = new Map<string, DraftFileState>();
  if (!latest) return { number: 0, files };
  for (const [path, text] of Object.entries((latest.sourceFiles ?? {}) as Record<string, string>)) files.set(path, { text });
  const assets = await db.courseAsset.findMany({ where: { courseVersionId: latest.id }, select: { path: true, assetId: true } });
  const hashes = new Map((await db.asset.findMany({ where: { id: { in: assets.map((a) => a.assetId) } }, select: { id: true, sha256: true } })).map((a) => [a.id, a.sha256]));
  for (const asset of assets) files.set(asset.path, { sha256: hashes.get(asset.assetId) ?? "" });
  return { number: latest.number, files };
}

export type PublishResult = { status: "published"; version: number } | { status: "unchanged"; version: number } | { status: "problems"; problems: Problem[] };

/**
 * Publishes the draft as the course's next version when it passes every check. Learners who began
 * an earlier version keep it; new enrolments get this one. SCORM modules, which have no file form,
 * carry over from the latest version after the draft's modules.
 */
export async function publishDraft({ actor, slug, clock = systemClock }: { actor: Actor; slug: string; clock?: Clock }): Promise<PublishResult> {
  const course = await assertCanAuthorCourse(actor, slug);
  const now = clock.now();
  return db.$transaction(
    async (tx) => {
      await lockCourseForImport(tx, course.slug);
      const { course: loaded, problems } = await checkDraft(tx, course);
      if (!loaded) return { status: "problems", problems: problems.map((p) => ({ ...p, file: p.file.slice(course.slug.length + 1) })) };
      const latest = await tx.courseVersion.findFirst({
        where: { courseId: course.id },
        orderBy: { number: "desc" },
        select: { id: true, number: true, contentHash: true, modules: { orderBy: { position: "asc" }, select: { key: true, isRecertification: true, title: true, meta: true, items: { orderBy: { position: "asc" } } } } },
      });
      const scormModules = (latest?.modules ?? []).filter((m) => m.items.some((item) => item.kind === "SCORM") && !loaded.modules.some((own) => own.id === m.key));
      if (latest && latest.contentHash === loaded.contentHash && !scormModules.length) return { status: "unchanged", version: latest.number };
      const version = await writeCourseVersion(tx, { courseId: course.id, number: (latest?.number ?? 0) + 1, course: loaded, assets: storeCourseAssets(loaded), source: "EDITOR", now });
      let position = loaded.modules.length;
      for (const module of scormModules) {
        const created = await tx.module.create({
          data: { courseVersionId: version.id, key: module.key, position: ++position, isRecertification: module.isRecertification, title: module.title as object, meta: module.meta as object },
          select: { id: true },
        });
        await tx.contentItem.createMany({
          data: module.items.map((item) => ({ courseVersionId: version.id, moduleId: created.id, key: item.key, kind: item.kind, position: item.position, required: item.required, title: item.title as object, content: item.content as object })),
        });
      }
      // A later file import of this course then leaves it alone unless forced.
      await tx.course.update({ where: { id: course.id }, data: { editedSinceImport: true } });
      await recordAudit(tx, { actorId: actor.id, organisationId: course.ownerOrganisationId, action: "course.publish", subjectType: "Course", subjectId: course.id, data: { version: version.number }, at: now });
      return { status: "published", version: version.number };
    },
    { timeout: 60_000 },
  );
}

/** Throws away the draft's changes: the next open starts again from the latest version. */
export async function discardDraft({ actor, slug, clock = systemClock }: { actor: Actor; slug: string; clock?: Clock }) {
  const course = await assertCanAuthorCourse(actor, slug);
  // A course never published has nothing to go back to: its draft is all there is.
  if (!(await db.courseVersion.findFirst({ where: { courseId: course.id, publishedAt: { not: null } }, select: { id: true } }))) throw new DomainError("CONFLICT", "editor.discard.nothingPublished");
  await db.$transaction(async (tx) => {
    await tx.draftFile.deleteMany({ where: { courseId: course.id } });
    await recordAudit(tx, { actorId: actor.id, organisationId: course.ownerOrganisationId, action: "course.draft.discard", subjectType: "Course", subjectId: course.id, at: clock.now() });
  });
}

/**
 * What an editor page needs: the files it edits (null when absent) with their revisions, every
 * path in the draft, the course settings it depends on (locales, outcomes) and the problems of the
 * whole draft, paths relative to the course folder.
 */
export async function getDraftView({ actor, slug, paths = [] }: { actor: Actor; slug: string; paths?: string[] | "all" }) {
  const { course } = await openDraft({ actor, slug });
  const { problems, rows } = await checkDraft(db, course);
  const byPath = new Map(rows.map((row) => [row.path, row]));
  const files: Record<string, { text: string | null; revision: number } | null> = {};
  for (const path of paths === "all" ? byPath.keys() : paths) {
    const row = byPath.get(path);
    files[path] = row ? { text: row.text, revision: row.revision } : null;
  }
  const courseYaml = byPath.get("course.yaml");
  const settings = readCourseSettings(courseYaml?.text ?? "");
  const usedIds = new Set<string>();
  for (const row of rows) for (const match of row.text?.matchAll(/(?<![\w-])id:\s*["']?([a-z0-9-]+)/g) ?? []) usedIds.add(match[1] as string);
  return {
    course: { id: course.id, slug: course.slug },
    files,
    paths: rows.map((row) => row.path).sort(),
    revisions: Object.fromEntries(rows.map((row) => [row.path, row.revision])) as Record<string, number>,
    /** Every id written in the draft (lessons, quizzes, questions, nodes…), for choosing new unique ones. */
    usedIds,
    courseRevision: courseYaml?.revision ?? 0,
    settings,
    problems: problems.map((problem) => ({ ...problem, file: problem.file.slice(course.slug.length + 1) })),
  };
}

/**
 * The draft as learners would get it once published, for "Preview as learner". Only a draft that
 * passes every check can be previewed whole (a broken one could not be published either); the
 * problems say what to fix first.
 */
export async function previewDraft({ actor, slug }: { actor: Actor; slug: string }) {
  const { course } = await openDraft({ actor, slug });
  const { course: loaded, problems } = await checkDraft(db, course);
  return { course: loaded, problems: problems.map((p) => ({ ...p, file: p.file.slice(course.slug.length + 1) })) };
}
