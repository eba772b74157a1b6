import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { assertCanAuthorCourse } from "~/domain/course-authoring-access.server.ts";
import { recordAudit } from "~/domain/audit.server.ts";
import { lockCourseForImport } from "~/content/import-course.server.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { DomainError } from "~/utils/errors.server.ts";
import { hashFile, putFileFromPath, scratchPath } from "~/utils/storage.server.ts";
import { ManifestError, missingLaunchFiles, parseManifest, type ParsedManifest, type ScormItem } from "./manifest.ts";
import { PackageError, scormLimitsFromEnv, unpackScormZip } from "./unpack.server.ts";

/** What a SCORM course item holds (ContentItem.content of kind SCORM). */
export type ScormItemContent = {
  packageId: string;
  version: "1.2" | "2004";
  edition: string | null;
  minutes: number;
  /** the package's launchable items in order; assets are shown but not tracked */
  scos: Array<Pick<ScormItem, "identifier" | "title" | "depth" | "parentTitles" | "scormType" | "launchUrl" | "masteryScore" | "dataFromLms" | "maxTimeAllowed" | "timeLimitAction" | "completionThreshold" | "scaledPassingScore" | "objectives" | "sharedData" | "isVisible">>;
};

const MODULE_KEY = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** Unpacks and checks a package; every problem is a DomainError naming it ("scorm.package.*", "scorm.manifest.*"). */
async function readPackage(zipPath: string, folder: string) {
  try {
    const unpacked = await unpackScormZip(zipPath, folder, scormLimitsFromEnv(process.env));
    const manifest = parseManifest(unpacked.manifestXml);
    const inRoot = unpacked.files.filter((f) => f.path.startsWith(unpacked.root)).map((f) => ({ ...f, path: f.path.slice(unpacked.root.length) }));
    const missing = missingLaunchFiles(manifest, inRoot.map((f) => f.path));
    if (missing.length) throw new DomainError("INVALID", "scorm.launchFileMissing", "package", missing.slice(0, 5).join(", "));
    return { manifest, root: unpacked.root, files: inRoot };
  } catch (error) {
    if (error instanceof PackageError || error instanceof ManifestError) throw new DomainError("INVALID", error.code, "package", error.detail ?? undefined);
    throw error;
  }
}

function itemContent(packageId: string, manifest: ParsedManifest, minutes: number): ScormItemContent {
  return {
    packageId,
    version: manifest.version,
    edition: manifest.edition,
    minutes,
    scos: manifest.items.map((item) => ({
      identifier: item.identifier,
      title: item.title,
      depth: item.depth,
      parentTitles: item.parentTitles,
      scormType: item.scormType,
      launchUrl: item.launchUrl,
      masteryScore: item.masteryScore,
      dataFromLms: item.dataFromLms,
      maxTimeAllowed: item.maxTimeAllowed,
      timeLimitAction: item.timeLimitAction,
      completionThreshold: item.completionThreshold,
      scaledPassingScore: item.scaledPassingScore,
      objectives: item.objectives,
      sharedData: item.sharedData,
      isVisible: item.isVisible,
    })),
  };
}

/**
 * Puts a SCORM package into a course as the content of one module: replaces the package of module
 * `moduleKey`, or adds that module at the end. Either way it is a new course version, so learners
 * who started keep the package they began with (and its suspend_data) and new enrolments get this
 * one. Nothing is written until the package has passed every check; its files go to storage by
 * content hash. `actor: "operator"` is `npm run scorm:import` on the server.
 */
export async function importScormPackage({ actor, courseSlug, moduleKey, zipPath, title, minutes = 20, clock = systemClock }: { actor: Actor | "operator"; courseSlug: string; moduleKey: string; zipPath: string; title?: { sl?: string; en?: string }; minutes?: number; clock?: Clock }) {
  if (!MODULE_KEY.test(moduleKey)) throw new DomainError("INVALID", "scorm.badModuleKey", "module");
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) throw new DomainError("INVALID", "scorm.badMinutes", "minutes");
  const course = actor === "operator" ? await db.course.findUnique({ where: { slug: courseSlug }, select: { id: true, slug: true } }) : await assertCanAuthorCourse(actor, courseSlug);
  if (!course) throw new DomainError("NOT_FOUND", "errors.notFound");
  const folder = scratchPath("scorm");
  try {
    const { manifest, root, files } = await readPackage(zipPath, folder);
    const { sha256: zipSha } = await hashFile(zipPath);
    const stored: Record<string, string> = {};
    let sizeBytes = 0;
    for (const file of files) {
      const { sha256, size } = await putFileFromPath(join(folder, root, file.path));
      stored[file.path] = sha256;
      sizeBytes += size;
    }
    const now = clock.now();
    const actorId = actor === "operator" ? null : actor.id;
    return await db.$transaction(
      async (tx) => {
        await lockCourseForImport(tx, course.slug);
        const latest = await tx.courseVersion.findFirst({
          where: { courseId: course.id },
          orderBy: { number: "desc" },
          select: { id: true, number: true, contentHash: true, meta: true, sourceFiles: true, modules: { orderBy: { position: "asc" }, select: { id: true, key: true, position: true, isRecertification: true, title: true, meta: true, items: { orderBy: { position: "asc" } } } } },
        });
        if (!latest) throw new DomainError("NOT_FOUND", "errors.notFound");
        const scormPackage = await tx.scormPackage.create({
          data: { sha256: zipSha, version: manifest.version, edition: manifest.edition, title: manifest.title || moduleKey, manifest: manifest as object, files: stored, fileCount: files.length, sizeBytes: BigInt(sizeBytes), uploadedById: actorId, createdAt: now },
          select: { id: true },
        });
        const version = await tx.courseVersion.create({
          data: { courseId: course.id, number: latest.number + 1, contentHash: createHash("sha256").update(`${latest.contentHash}:${moduleKey}:${zipSha}`).digest("hex"), source: "EDITOR", publishedAt: now, createdAt: now, meta: latest.meta as object, sourceFiles: latest.sourceFiles ?? undefined },
          select: { id: true, number: true },
        });
        const replacing = latest.modules.some((m) => m.key === moduleKey);
        const moduleTitle = { sl: title?.sl || manifest.title || moduleKey, en: title?.en || manifest.title || moduleKey };
        const modules = replacing ? latest.modules : [...latest.modules, { id: "", key: moduleKey, position: (latest.modules.at(-1)?.position ?? 0) + 1, isRecertification: false, title: moduleTitle, meta: { folder: moduleKey, summary: null, outcomes: [] }, items: [] }];
        for (const module of modules) {
          const created = await tx.module.create({
            data: { courseVersionId: version.id, key: module.key, position: module.position, isRecertification: module.isRecertification, title: (module.key === moduleKey && title ? moduleTitle : module.title) as object, meta: module.meta as object },
            select: { id: true },
          });
          const items =
            module.key === moduleKey
              ? [{ key: `${moduleKey}-package`, kind: "SCORM" as const, position: 1, required: true, title: moduleTitle, content: itemContent(scormPackage.id, manifest, minutes) }]
              : module.items.map((item) => ({ key: item.key, kind: item.kind, position: item.position, required: item.required, title: item.title, content: item.content }));
          await tx.contentItem.createMany({ data: items.map((item) => ({ ...item, courseVersionId: version.id, moduleId: created.id, title: item.title as object, content: item.content as object })) });
        }
        const assets = await tx.courseAsset.findMany({ where: { courseVersionId: latest.id } });
        if (assets.length) await tx.courseAsset.createMany({ data: assets.map((a) => ({ ...a, courseVersionId: version.id })) });
        // File imports of the course now leave it alone unless forced (see importCourse).
        await tx.course.update({ where: { id: course.id }, data: { editedSinceImport: true } });
        await recordAudit(tx, { actorId, action: "scorm.import", subjectType: "Course", subjectId: course.id, data: { module: moduleKey, package: scormPackage.id, sha256: zipSha, scormVersion: manifest.version, files: files.length, replaced: replacing, courseVersion: version.number }, at: now });
        return { packageId: scormPackage.id, courseVersion: version.number, replaced: replacing, version: manifest.version, edition: manifest.edition, title: manifest.title, scos: manifest.items.filter((i) => i.scormType === "sco").length, files: files.length };
      },
      { timeout: 60_000 },
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
