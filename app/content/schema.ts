import { z } from "zod";

// The course file format (courses/README.md) as Zod schemas. Shared with the browser editor, so no
// Node imports here. Schemas check one file at a time; rules that need the whole course (locales,
// outcome tags, ids across files, case graphs) live in check-*.ts.
//
// Objects are strict: an unknown key is almost always a typo (`corect: true`, `timelimitMinutes`) that
// would otherwise silently change how a quiz behaves.

export const LOCALES = ["sl", "en", "uk"] as const;
export const LocaleSchema = z.enum(LOCALES, { error: "must be one of sl, en, uk" });
export type Locale = z.infer<typeof LocaleSchema>;

export const ID_PATTERN = /^[a-z0-9-]{2,64}$/;
/** Folder and lesson file stems: the number orders files on disk, the slug names them. */
export const NUMBERED_NAME_PATTERN = /^(?<position>\d+)-(?<slug>[a-z0-9-]+)$/;
export const QUIZ_FILE_PATTERN = /^(?:quiz|[a-z0-9-]+\.quiz)\.yaml$/;
export const CASE_FILE_PATTERN = /^[a-z0-9-]+\.case\.yaml$/;

export const IdSchema = z
  .string()
  .regex(ID_PATTERN, { error: "must be 2–64 lower-case letters, digits and dashes" });

export const NumberedNameSchema = z.string().regex(NUMBERED_NAME_PATTERN, {
  error: 'must look like "01-name": a number, a dash, then lower-case letters, digits and dashes',
});

const QuizFileNameSchema = z
  .string()
  .regex(QUIZ_FILE_PATTERN, { error: 'must be "quiz.yaml" or end in ".quiz.yaml"' });
const CaseFileNameSchema = z
  .string()
  .regex(CASE_FILE_PATTERN, { error: 'must end in ".case.yaml" (lower-case name)' });

/**
 * Text a learner reads, per locale. Any subset is valid here: which locales are required depends on
 * the course's `locales`, so the checker reports the missing ones with the course in hand.
 */
export const LocalisedTextSchema = z.strictObject(
  { sl: z.string().optional(), en: z.string().optional(), uk: z.string().optional() },
  {
    error: (issue) => {
      if (issue.code === "invalid_type") return "must be translations, e.g. { sl: …, en: … }";
      if (issue.code === "unrecognized_keys") return "unknown locale";
      return undefined;
    },
  },
);
export type LocalisedText = z.infer<typeof LocalisedTextSchema>;

const PercentSchema = z.number().int().min(0).max(100);
const PositiveIntSchema = z.number().int().positive();
const CountSchema = z.number().int().min(0);
const HttpUrlSchema = z.url({ protocol: /^https?$/, error: "must be a web address (https://…)" });

// ---------------------------------------------------------------------------------- course.yaml

export const OutcomeSchema = z.strictObject({ id: IdSchema, text: LocalisedTextSchema });
export type Outcome = z.infer<typeof OutcomeSchema>;

export const ReferralSchema = z.strictObject({
  id: IdSchema,
  name: LocalisedTextSchema,
  // Omitted when unconfirmed: a wrong helpline number is worse than none.
  phone: z.string().min(1).optional(),
  hours: LocalisedTextSchema.optional(),
  languages: z.array(z.string().min(2)).default([]),
  helpsWith: LocalisedTextSchema,
  source: HttpUrlSchema.optional(),
  example: z.boolean().default(false),
});
export type Referral = z.infer<typeof ReferralSchema>;

export const CourseFileSchema = z.strictObject({
  slug: IdSchema,
  locales: z
    .array(LocaleSchema)
    .min(1)
    .refine((locales) => new Set(locales).size === locales.length, {
      error: "must not list a locale twice",
    }),
  title: LocalisedTextSchema,
  summary: LocalisedTextSchema,
  description: LocalisedTextSchema.optional(),
  estimatedMinutes: PositiveIntSchema,
  cpd: z.strictObject({
    credits: z.number().min(0),
    category: LocalisedTextSchema,
    // A category id from courses/cpd-schemes.yaml, so a transcript can add the credits to it.
    categoryId: IdSchema.optional(),
    basis: LocalisedTextSchema,
  }),
  validityMonths: PositiveIntSchema,
  passMark: PercentSchema,
  sequential: z.boolean(),
  selfEnrol: z.boolean(),
  contentNote: LocalisedTextSchema,
  support: LocalisedTextSchema,
  prerequisites: z.array(IdSchema).default([]),
  // How a certificate is renewed: refresher `modules` (not part of a first completion) and/or
  // first-completion modules to `retake` (e.g. the final assessment). Omitted: the whole course.
  recertification: z
    .strictObject({ modules: z.array(NumberedNameSchema).default([]), retake: z.array(NumberedNameSchema).default([]) })
    .refine((r) => r.modules.length + r.retake.length > 0, { error: "name refresher modules or modules to retake (or omit recertification to repeat the whole course)" })
    .optional(),
  outcomes: z.array(OutcomeSchema).min(1),
  modules: z.array(NumberedNameSchema).min(1),
  referrals: z.array(ReferralSchema).default([]),
});
export type CourseFile = z.infer<typeof CourseFileSchema>;

// ---------------------------------------------------------------------------------- module.yaml

export const ModuleItemSchema = z
  .strictObject({
    lesson: NumberedNameSchema.optional(),
    quiz: QuizFileNameSchema.optional(),
    case: CaseFileNameSchema.optional(),
    required: z.boolean().default(true),
  })
  .refine(
    (item) => [item.lesson, item.quiz, item.case].filter((ref) => ref !== undefined).length === 1,
    { error: "each item needs exactly one of lesson, quiz or case" },
  );
export type ModuleItem = z.infer<typeof ModuleItemSchema>;

export const ModuleFileSchema = z.strictObject({
  id: IdSchema,
  title: LocalisedTextSchema,
  summary: LocalisedTextSchema.optional(),
  outcomes: z.array(IdSchema).default([]),
  items: z.array(ModuleItemSchema).min(1),
});
export type ModuleFile = z.infer<typeof ModuleFileSchema>;

// ------------------------------------------------------------------------- lesson frontmatter

export const LessonSourceSchema = z.strictObject({
  title: z.string().min(1),
  // Optional: printed guidance and statutes are valid sources without a link.
  url: HttpUrlSchema.optional(),
});
export type LessonSource = z.infer<typeof LessonSourceSchema>;

export const LessonFrontmatterSchema = z.strictObject({
  id: IdSchema,
  title: z.string().min(1),
  minutes: PositiveIntSchema,
  sources: z.array(LessonSourceSchema).min(1, {
    error: "must not be empty: every factual claim needs a source",
  }),
});
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>;

// ------------------------------------------------------------------------------------ quiz.yaml

const OptionSchema = z.strictObject({
  id: IdSchema,
  text: LocalisedTextSchema,
  correct: z.boolean().default(false),
  feedback: LocalisedTextSchema.optional(),
});
export type QuizOption = z.infer<typeof OptionSchema>;

// Counts (options 2+, pairs 2+, …) are checked in check-quiz.ts where the message can name the kind.
const questionBase = {
  id: IdSchema,
  outcome: IdSchema,
  prompt: LocalisedTextSchema,
  explanation: LocalisedTextSchema,
};

export const QuestionSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ ...questionBase, kind: z.literal("single"), options: z.array(OptionSchema) }),
    z.strictObject({ ...questionBase, kind: z.literal("multiple"), options: z.array(OptionSchema) }),
    z.strictObject({
      ...questionBase,
      kind: z.literal("true_false"),
      answer: z.boolean(),
      feedback: z
        .strictObject({ true: LocalisedTextSchema.optional(), false: LocalisedTextSchema.optional() })
        .optional(),
    }),
    z.strictObject({
      ...questionBase,
      kind: z.literal("matching"),
      pairs: z.array(
        z.strictObject({ id: IdSchema, left: LocalisedTextSchema, right: LocalisedTextSchema }),
      ),
    }),
    z.strictObject({
      ...questionBase,
      kind: z.literal("ordering"),
      // Listed in the correct order.
      items: z.array(z.strictObject({ id: IdSchema, text: LocalisedTextSchema })),
    }),
    z.strictObject({
      ...questionBase,
      kind: z.literal("short_answer"),
      accept: z.strictObject({
        sl: z.array(z.string().min(1)).optional(),
        en: z.array(z.string().min(1)).optional(),
        uk: z.array(z.string().min(1)).optional(),
      }),
      ignoreDiacritics: z.boolean().default(false),
    }),
  ],
  {
    error: () => "must be one of single, multiple, true_false, matching, ordering, short_answer",
  },
);
export type Question = z.infer<typeof QuestionSchema>;
export type QuestionKind = Question["kind"];

export const QuizFileSchema = z.strictObject({
  id: IdSchema,
  title: LocalisedTextSchema,
  draw: PositiveIntSchema,
  passMark: PercentSchema.optional(),
  attempts: CountSchema.optional(),
  cooldownMinutes: CountSchema.optional(),
  timeLimitMinutes: PositiveIntSchema.optional(),
  shuffle: z.boolean(),
  review: z.enum(["after-attempt", "after-pass"], { error: "must be after-attempt or after-pass" }),
  drawPerOutcome: z.boolean().default(false),
  questions: z.array(QuestionSchema).min(1),
});
export type QuizFile = z.infer<typeof QuizFileSchema>;

// ------------------------------------------------------------------------------- *.case.yaml

const CaseChoiceSchema = z.strictObject({
  id: IdSchema,
  text: LocalisedTextSchema,
  consequence: LocalisedTextSchema,
  next: IdSchema,
});
export type CaseChoice = z.infer<typeof CaseChoiceSchema>;

// One shape for situation and debrief nodes: which fields belong to which is checked in
// check-case.ts, where the message can say "debrief node … must not have choices".
const CaseNodeSchema = z.strictObject({
  id: IdSchema,
  debrief: z.boolean().default(false),
  outcome: z.enum(["safe", "partial", "poor"], { error: "must be safe, partial or poor" }).optional(),
  text: LocalisedTextSchema,
  choices: z.array(CaseChoiceSchema).default([]),
  indicators: z.array(LocalisedTextSchema).default([]),
  betterChoices: LocalisedTextSchema.optional(),
});
export type CaseNode = z.infer<typeof CaseNodeSchema>;

export const CaseFileSchema = z.strictObject({
  id: IdSchema,
  title: LocalisedTextSchema,
  summary: LocalisedTextSchema,
  outcomes: z.array(IdSchema).default([]),
  requireSafeOutcome: z.boolean().default(false),
  start: IdSchema,
  nodes: z.array(CaseNodeSchema).min(1),
});
export type CaseFile = z.infer<typeof CaseFileSchema>;
