import { ID_PATTERN } from "~/content/schema.ts";

// Ids and file names made from what a trainer typed: made once, when something is created, and
// never changed afterwards (learners' progress and answers refer to them).

/** Lower-case letters, digits and dashes from a text (š → s), at most 40 characters; "" when too short. */
export function slugOf(value: string) {
  const slug = value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return ID_PATTERN.test(slug) ? slug : "";
}

/** Like slugOf, but always an id: a title too short for one becomes `item-<its letters>`. */
export function slugify(title: string) {
  const slug = slugOf(title);
  if (slug) return slug;
  const letters = title.normalize("NFKD").replace(/[^a-zA-Z0-9]/g, "").toLowerCase().slice(0, 30);
  return `item-${letters || "x"}`;
}
