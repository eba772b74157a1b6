import type { CourseMeta } from "~/domain/catalogue.server.ts";
import type { OutlineModule } from "~/learning/course-state.ts";
import { db } from "~/utils/db.server.ts";

export type LocalisedText = Partial<Record<string, string>>;
export type VersionOutline = {
  id: string;
  courseId: string;
  slug: string;
  number: number;
  meta: CourseMeta;
  modules: Array<Omit<OutlineModule, "items"> & { title: LocalisedText; folder: string; items: Array<OutlineModule["items"][number] & { title: LocalisedText; position: number }> }>;
};

// Published course versions never change, so their outline is cached per process for as long as
// it lives: the lesson page, the quiz and the dashboard then skip the largest query.
const outlines = new Map<string, Promise<VersionOutline>>();
const items = new Map<string, Promise<{ kind: string; title: LocalisedText; content: unknown; required: boolean } | null>>();

export function getVersionOutline(courseVersionId: string): Promise<VersionOutline> {
  let outline = outlines.get(courseVersionId);
  if (!outline) {
    outline = loadOutline(courseVersionId);
    outlines.set(courseVersionId, outline);
    outline.catch(() => outlines.delete(courseVersionId));
  }
  return outline;
}

async function loadOutline(courseVersionId: string): Promise<VersionOutline> {
  const version = await db.courseVersion.findUniqueOrThrow({
    where: { id: courseVersionId },
    select: {
      id: true,
      number: true,
      meta: true,
      course: { select: { id: true, slug: true } },
      modules: {
        orderBy: { position: "asc" },
        select: { key: true, position: true, isRecertification: true, title: true, meta: true, items: { orderBy: { position: "asc" }, select: { key: true, kind: true, required: true, title: true, position: true } } },
      },
    },
  });
  return {
    id: version.id,
    courseId: version.course.id,
    slug: version.course.slug,
    number: version.number,
    meta: version.meta as CourseMeta,
    modules: version.modules.map(({ meta, ...m }) => ({ ...m, title: m.title as LocalisedText, folder: (meta as { folder?: string }).folder ?? m.key, items: m.items.map((i) => ({ ...i, title: i.title as LocalisedText })) })),
  };
}

/** One item's full content (lesson body, quiz pool, case nodes), cached like the outline. */
export function getVersionItem(courseVersionId: string, key: string) {
  const cacheKey = `${courseVersionId}:${key}`;
  let item = items.get(cacheKey);
  if (!item) {
    item = db.contentItem.findUnique({ where: { courseVersionId_key: { courseVersionId, key } }, select: { kind: true, title: true, content: true, required: true } }).then((row) => (row ? { ...row, title: row.title as LocalisedText } : null));
    items.set(cacheKey, item);
    item.catch(() => items.delete(cacheKey));
  }
  return item;
}
