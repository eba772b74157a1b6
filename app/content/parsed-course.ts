import type { MediaLink } from "./lesson-file";
import type { IdRegistry, ProblemList } from "./problem-list";
import type {
  CaseFile,
  CourseFile,
  LessonFrontmatter,
  Locale,
  ModuleFile,
  QuizFile,
} from "./schema";
import type { YamlSource } from "./yaml-source";

// The course as read from disk, before cross-file checks: every file parsed and validated on its
// own, with its source kept so later checks can point at lines. Internal to app/content.

/** A file that passed its schema. */
export type Parsed<T> = { source: YamlSource; data: T };

export type ParsedLessonFile = {
  stem: string;
  locale: Locale;
  /** Path shown in problems. */
  file: string;
  /** Null when the frontmatter is missing or invalid (already reported). */
  frontmatter: Parsed<LessonFrontmatter> | null;
  body: string;
  media: MediaLink[];
};

export type ParsedModule = {
  folder: string;
  hasModuleFile: boolean;
  /** Null when module.yaml is missing or invalid. */
  moduleFile: Parsed<ModuleFile> | null;
  /** Every lesson file in the folder, by stem then locale. */
  lessons: Map<string, Map<Locale, ParsedLessonFile>>;
  /** Quiz and case files in the folder by file name; null when invalid (already reported). */
  quizzes: Map<string, Parsed<QuizFile> | null>;
  cases: Map<string, Parsed<CaseFile> | null>;
};

export type ParsedCourse = {
  /** Name of the course folder; must equal the slug. */
  folderName: string;
  /** Course directory as shown in problems. */
  displayDir: string;
  /** Every file in the course folder, relative to it, `/`-separated. */
  files: ReadonlySet<string>;
  /** Folders directly inside the course folder. */
  folders: readonly string[];
  /** Null when course.yaml is missing. */
  courseSource: YamlSource | null;
  /** Null when course.yaml is missing or invalid. */
  courseFile: CourseFile | null;
  /** Module folders that are listed in course.yaml and exist, by folder name. */
  modules: Map<string, ParsedModule>;
};

/** What file-level checks need to know about the whole course. */
export type CheckContext = {
  /** Locales the course must provide (empty when course.yaml is too broken to tell). */
  locales: readonly Locale[];
  /** Outcome ids from course.yaml; null when unknown, so outcome tags are not checked. */
  outcomeIds: ReadonlySet<string> | null;
  ids: IdRegistry;
  problems: ProblemList;
};
