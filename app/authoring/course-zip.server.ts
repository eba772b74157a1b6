import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { zipSync } from "fflate";
import { loadCourseListing } from "~/content/load-course.server.ts";
import { isCourseTextFile, listingFromFiles } from "~/content/read-course-folder.server.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { assertCanAuthorCourse, assertMayAuthor } from "~/domain/course-authoring-access.server.ts";
import { PackageError, unpackZip } from "~/scorm/unpack.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { putFile, readStoredFile, scratchPath } from "~/utils/storage.server.ts";
import { assertCanCreateCourseIn } from "./create-course.server.ts";
import { isDraftPath, MAX_DRAFT_FILES, MAX_TEXT_FILE_BYTES } from "./draft-paths.ts";
import { checkDraftMedia } from "./draft-media.server.ts";

// A course moves between files and the browser as a zip of its folder (`<slug>/course.yaml`, …):
// the format `npm run courses:check` reads, checked by the same loader.

/** Limits for an uploaded course zip: a course is text and a few images, far smaller than SCORM. */
const COURSE_ZIP_LIMITS = { maxEntries: MAX_DRAFT_FILES, maxTotalBytes: 200 * 1024 * 1024, maxFileBytes: 50 * 1024 * 1024 };

/** The course folder as a zip: the latest published version, or the draft. */
export async function exportCourseZip({ actor, slug, from }: { actor: Actor; slug: string; from: "published" | "draft" }) {
  const course = await assertCanAuthorCourse(actor, slug);
  const files: Record<string, Uint8Array> = {};
  if (from === "draft") {
    const rows = await db.draftFile.findMany({ where: { courseId: course.id }, select: { path: true, text: true, asset: { select: { sha256: true } } } });
    if (!rows.length) throw new DomainError("NOT_FOUND", "authoring.draft.none");
    for (const row of rows) files[`${slug}/${row.path}`] = row.text !== null ? Buffer.from(row.text, "utf8") : readStoredFile(row.asset?.sha256 ?? "");
  } else {
    const latest = await db.courseVersion.findFirst({ where: { courseId: course.id, publishedAt: { not: null } }, orderBy: { number: "desc" }, select: { id: true, number: true, sourceFiles: true } });
    if (!latest?.sourceFiles) throw new DomainError("NOT_FOUND", "authoring.draft.noSource");
    for (const [path, text] of Object.entries(latest.sourceFiles as Record<string, string>)) files[`${slug}/${path}`] = Buffer.from(text, "utf8");
    const assets = await db.courseAsset.findMany({ where: { courseVersionId: latest.id }, select: { path: true, assetId: true } });
    const hashes = new Map((await db.asset.findMany({ where: { id: { in: assets.map((a) => a.assetId) } }, select: { id: true, sha256: true } })).map((a) => [a.id, a.sha256]));
    for (const asset of assets) files[`${slug}/${asset.path}`] = readStoredFile(hashes.get(asset.assetId) ?? "");
  }
  // A fixed date keeps the bytes of an unchanged course the same from one export to the next.
  const bytes = zipSync(files, { level: 6, mtime: new Date("2020-01-01T00:00:00Z") });
  return { filename: `${slug}-${from}.zip`, bytes };
}

export type CourseZipImport = { slug: string; created: boolean; files: number };

/**
 * Reads a course zip into the draft of the course its course.yaml names, creating the course (owned
 * by `organisationId`) when there is none. A zip with any problem changes nothing; the error lists
 * the problems as `file:line: message`.
 */
export async function importCourseZip({ actor, zipPath, organisationId, clock = systemClock }: { actor: Actor; zipPath: string; organisationId: string | null; clock?: Clock }): Promise<CourseZipImport> {
  // Unpacking and checking a zip is real work: people who cannot author anything are refused first.
  await assertMayAuthor(actor);
  const folder = scratchPath("course-zip");
  let texts: Map<string, string>;
  let binaries: Map<string, Uint8Array>;
  try {
    ({ texts, binaries } = await unpackZip(zipPath, folder, { limits: COURSE_ZIP_LIMITS, marker: { name: "course.yaml", missing: "course.zip.no_course_file" } }, async ({ root, files }, dir) => {
      const texts = new Map<string, string>();
      const binaries = new Map<string, Uint8Array>();
      for (const file of files) {
        const path = file.path.slice(root.length);
        if (!file.path.startsWith(root) || !isDraftPath(path)) throw new DomainError("INVALID", "authoring.zip.badPath", undefined, file.path);
        const bytes = await readFile(join(dir, file.path));
        if (isCourseTextFile(path)) {
          if (bytes.byteLength > MAX_TEXT_FILE_BYTES) throw new DomainError("INVALID", "authoring.draft.tooLarge", undefined, path);
          texts.set(path, decodeUtf8(bytes, path));
        } else binaries.set(path, bytes);
      }
      return { texts, binaries };
    }));
  } catch (error) {
    if (error instanceof PackageError) throw new DomainError("INVALID", error.code, undefined, error.detail);
    throw error;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  const slugInZip = /^slug:\s*["']?([a-z0-9-]+)/m.exec(texts.get("course.yaml") ?? "")?.[1] ?? "";
  const media = await checkDraftMedia(binaries);
  const knownCourseSlugs = new Set((await db.course.findMany({ select: { slug: true } })).map((c) => c.slug));
  const listing = listingFromFiles(texts, new Map([...media].map(([path, file]) => [path, file.sha256])));
  const { problems } = loadCourseListing(listing, {
    knownCourseSlugs,
    displayDir: slugInZip || "course",
    folderName: slugInZip,
    dir: "",
    asset: (path) => ({ path, stored: media.get(path) as { sha256: string; mediaType: string; size: number } }),
  });
  if (problems.length) {
    const shown = problems.slice(0, 20).map((p) => `${p.file}:${p.line}: ${p.message}`);
    if (problems.length > shown.length) shown.push(`… ${problems.length - shown.length} more`);
    throw new DomainError("INVALID", "authoring.zip.problems", undefined, shown.join("\n"));
  }

  const existing = await db.course.findUnique({ where: { slug: slugInZip }, select: { id: true } });
  const course = existing ? await assertCanAuthorCourse(actor, slugInZip) : null;
  if (!existing) await assertCanCreateCourseIn(actor, organisationId);
  for (const file of media.values()) putFile(file.bytes);
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const courseId =
      course?.id ??
      (await tx.course.create({ data: { slug: slugInZip, ownerOrganisationId: organisationId, visibility: organisationId ? "OWNER_ONLY" : "ALL_ORGANISATIONS", createdAt: now }, select: { id: true } })).id;
    const assetIds = new Map<string, string>();
    for (const [path, file] of media) {
      const asset = await tx.asset.upsert({ where: { sha256: file.sha256 }, create: { sha256: file.sha256, mediaType: file.mediaType, size: file.size }, update: {}, select: { id: true } });
      assetIds.set(path, asset.id);
    }
    await tx.draftFile.deleteMany({ where: { courseId } });
    await tx.draftFile.createMany({
      data: [
        ...[...texts].map(([path, text]) => ({ courseId, path, text, updatedAt: now, updatedById: actor.id })),
        ...[...assetIds].map(([path, assetId]) => ({ courseId, path, assetId, updatedAt: now, updatedById: actor.id })),
      ],
    });
    await recordAudit(tx, { actorId: actor.id, organisationId: organisationId ?? null, action: "course.draft.import", subjectType: "Course", subjectId: courseId, data: { files: texts.size + assetIds.size, created: !course }, at: now });
    return { slug: slugInZip, created: !course, files: texts.size + assetIds.size };
  });
}

function decodeUtf8(bytes: Uint8Array, path: string) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new DomainError("INVALID", "authoring.zip.notUtf8", undefined, path);
  }
}
