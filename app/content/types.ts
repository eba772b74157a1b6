import type {
  CaseFile,
  CourseFile,
  LessonSource,
  Locale,
  LocalisedText,
  ModuleFile,
  QuizFile,
} from "./schema";

/** One thing a trainer must fix, printed as `file:line: message`. */
export type Problem = {
  /** The course directory as passed to the loader, joined with the file's path inside it. */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
};

export type LoadedLesson = {
  id: string;
  /** Per locale, from each locale's file. */
  title: LocalisedText;
  minutes: number;
  /** Markdown after the frontmatter, per locale. Image links stay relative to the module folder. */
  body: LocalisedText;
  /** Sources may differ per locale (a Slovene source only in the Slovene file). */
  sources: Partial<Record<Locale, LessonSource[]>>;
  /** Images and videos the lesson links to, relative to the course folder (as in `assets`). */
  images: string[];
};

type ItemBase = {
  /** 1-based position in module.yaml `items`: the order learners take them. */
  position: number;
  required: boolean;
  /** As written in module.yaml: a lesson file stem or a quiz/case file name in the module folder. */
  file: string;
};

export type LessonItem = ItemBase & { type: "lesson"; lesson: LoadedLesson };
export type QuizItem = ItemBase & { type: "quiz"; quiz: QuizFile };
export type CaseItem = ItemBase & { type: "case"; case: CaseFile };
export type LoadedItem = LessonItem | QuizItem | CaseItem;

export type LoadedModule = {
  /** Folder name, e.g. `01-understanding`; course.yaml and recertification refer to modules by it. */
  folder: string;
  id: string;
  /** 1-based position in course.yaml `modules`. */
  position: number;
  title: LocalisedText;
  summary: LocalisedText | null;
  outcomes: ModuleFile["outcomes"];
  kind: "LESSONS";
  /** Renews a certificate; not part of the first completion. */
  isRecertification: boolean;
  /** a first-completion module a renewal requires again (course.yaml `recertification.retake`) */
  retakeOnRenewal: boolean;
  items: LoadedItem[];
};

/** A file already in storage (a draft's image), known by its hash. */
export type StoredAssetRef = { sha256: string; mediaType: string; size: number };

export type CourseAsset = {
  /** Relative to the course folder, `/`-separated, e.g. `02-indicators/images/x.png`. */
  path: string;
} & ({ absolutePath: string } | { stored: StoredAssetRef });

/**
 * A course that passed every check, resolved into the shape the importer writes: modules in the
 * order learners take them, each item with its content. Built only when there are no problems.
 */
export type LoadedCourse = Omit<CourseFile, "modules" | "recertification"> & {
  /** Absolute path of the course folder. */
  dir: string;
  modules: LoadedModule[];
  /** sha256 over every file in the course folder (sorted relative paths and bytes). */
  contentHash: string;
  /** Every image, video and caption file a lesson links to. */
  assets: CourseAsset[];
  /** The folder's text files (YAML and Markdown) by path: what a draft or an export starts from. */
  sourceFiles: Record<string, string>;
};
