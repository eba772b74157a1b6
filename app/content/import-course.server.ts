import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db, type Tx } from "~/utils/db.server.ts";
import { putFile } from "~/utils/storage.server.ts";
import type { LoadedCourse, LoadedItem } from "./types.ts";

export type ImportResult =
  | { slug: string; status: "created" | "new-version"; version: number }
  | { slug: string; status: "unchanged"; version: number }
  | { slug: string; status: "skipped-edited"; version: number };

const MEDIA_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif", ".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt" };

function itemRow(item: LoadedItem) {
  switch (item.type) {
    case "lesson": {
      const { id, title, ...content } = item.lesson;
      return { key: id, kind: "LESSON" as const, title, content };
    }
    case "quiz": {
      const { id, title, ...content } = item.quiz;
      return { key: id, kind: "QUIZ" as const, title, content };
    }
    case "case": {
      const { id, title, ...content } = item.case;
      return { key: id, kind: "CASE" as const, title, content };
    }
  }
}

/**
 * Course-level settings as stored on each version (CourseMeta in domain/catalogue.server.ts): what
 * pages read (title, pass mark, support…). The source files have a column of their own; kept in
 * here too, every page that read a title parsed them (half a megabyte for the bundled course).
 */
function courseMeta(course: LoadedCourse) {
  const { dir: _dir, modules, contentHash: _hash, assets: _assets, slug: _slug, sourceFiles: _sources, ...meta } = course;
  return { ...meta, recertification: { modules: modules.filter((m) => m.isRecertification).map((m) => m.id), retake: modules.filter((m) => m.retakeOnRenewal).map((m) => m.id) } };
}

/** Stores a course's images and videos (or finds them stored), returning what CourseAsset rows need. */
export function storeCourseAssets(course: LoadedCourse) {
  return course.assets.map((asset) => {
    if ("stored" in asset) return { path: asset.path, ...asset.stored };
    const bytes = readFileSync(asset.absolutePath);
    return { path: asset.path, mediaType: MEDIA_TYPES[extname(asset.path).toLowerCase()] ?? "application/octet-stream", ...putFile(bytes) };
  });
}

/**
 * Writes one new, published version of a course: its modules, items, assets and source files.
 * The caller holds the course's import lock and decides the number and source.
 */
export async function writeCourseVersion(
  tx: Tx,
  { courseId, number, course, assets, source, now }: { courseId: string; number: number; course: LoadedCourse; assets: ReturnType<typeof storeCourseAssets>; source: "FILES" | "EDITOR"; now: Date },
) {
  const version = await tx.courseVersion.create({
    data: { courseId, number, contentHash: course.contentHash, source, publishedAt: now, createdAt: now, meta: courseMeta(course) as object, sourceFiles: course.sourceFiles },
    select: { id: true, number: true },
  });
  for (const module of course.modules) {
    const created = await tx.module.create({
      data: {
        courseVersionId: version.id,
        key: module.id,
        position: module.position,
        isRecertification: module.isRecertification,
        title: module.title as object,
        meta: { folder: module.folder, summary: module.summary, outcomes: module.outcomes } as object,
      },
      select: { id: true },
    });
    await tx.contentItem.createMany({
      data: module.items.map((item) => {
        const row = itemRow(item);
        return { courseVersionId: version.id, moduleId: created.id, key: row.key, kind: row.kind, position: item.position, required: item.required, title: row.title as object, content: row.content as object };
      }),
    });
  }
  for (const asset of assets) {
    const stored = await tx.asset.upsert({ where: { sha256: asset.sha256 }, create: { sha256: asset.sha256, mediaType: asset.mediaType, size: asset.size }, update: {}, select: { id: true } });
    await tx.courseAsset.create({ data: { courseVersionId: version.id, path: asset.path, assetId: stored.id } });
  }
  return version;
}

/** Serialises imports and publications of one course across processes (inside a transaction). */
export function lockCourseForImport(tx: Tx, slug: string) {
  return tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`course-import:${slug}`}))`;
}

/**
 * Imports a validated course folder. Idempotent: a new version is created only when the files'
 * hash differs from the last imported one. A course published from the browser since the last
 * import is left alone unless `force` is set, so file imports never silently undo a trainer's work.
 * Learners keep the version they enrolled in; new enrolments get the newest.
 */
export async function importCourse(course: LoadedCourse, { force = false, clock = systemClock }: { force?: boolean; clock?: Clock } = {}): Promise<ImportResult> {
  const assets = storeCourseAssets(course);
  return db.$transaction(
    async (tx) => {
      // Several app processes may start together: one imports, the others then see "unchanged".
      await lockCourseForImport(tx, course.slug);
      const existing = await tx.course.findUnique({
        where: { slug: course.slug },
        select: { id: true, lastImportedHash: true, editedSinceImport: true, versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, number: true, sourceFiles: true } } },
      });
      const latest = existing?.versions[0];
      if (existing && latest && existing.lastImportedHash === course.contentHash && !force) {
        // Versions imported before versions kept their files get them now, so they can be exported.
        if (latest.sourceFiles === null) await tx.courseVersion.update({ where: { id: latest.id }, data: { sourceFiles: course.sourceFiles } });
        return { slug: course.slug, status: "unchanged", version: latest.number };
      }
      if (existing?.editedSinceImport && !force) return { slug: course.slug, status: "skipped-edited", version: latest?.number ?? 0 };
      const now = clock.now();
      const courseId =
        existing?.id ??
        (await tx.course.create({ data: { slug: course.slug, createdAt: now }, select: { id: true } })).id;
      const version = await writeCourseVersion(tx, { courseId, number: (latest?.number ?? 0) + 1, course, assets, source: "FILES", now });
      await tx.course.update({ where: { id: courseId }, data: { lastImportedHash: course.contentHash, editedSinceImport: false } });
      return { slug: course.slug, status: existing ? "new-version" : "created", version: version.number };
    },
    { timeout: 60_000 },
  );
}
