// Which paths a draft may hold: the course folder's layout (course.yaml, module folders, their
// files and one level of media folders), never anything that could leave the folder.

/** Segments start with a letter or digit, so `.`, `..` and hidden files are impossible. */
const SEGMENT = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";
const DRAFT_PATH = new RegExp(`^(?:${SEGMENT}/){0,2}${SEGMENT}$`);

export const MAX_DRAFT_FILES = 2_000;
export const MAX_TEXT_FILE_BYTES = 512 * 1024;

export function isDraftPath(path: string) {
  return DRAFT_PATH.test(path);
}

/** The module folder a path lies in (`02-indicators/quiz.yaml` → `02-indicators`), or null for course.yaml. */
export function moduleFolderOf(path: string) {
  const slash = path.indexOf("/");
  return slash === -1 ? null : path.slice(0, slash);
}
