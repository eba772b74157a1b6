// Pure rules over SCORM run-time data (no database, no DOM): durations, the state a saved CMI
// object implies, commit ordering, launch/resume decisions, module rollup and the seed loaded
// into scorm-again before Initialize.
//
// "Saved CMI" is what scorm-again 3.4.3 renders for a commit with `dataCommitFormat: "json"` and
// `renderCommonCommitFields: false`: `{ cmi: {...}, adl?: { data }, sharedData? }`, where `cmi` is
// CMI#toJSON() passed through JSON. Every leaf is a string, arrays are objects keyed "0", "1", …
// Functions here accept either that envelope or the bare `cmi` object, and never trust it:
// anything missing or malformed reads as absent.
//
// 1.2 `cmi`:  { suspend_data, launch_data, comments, comments_from_lms,
//               core: { student_id, student_name, lesson_location, credit, lesson_status, entry,
//                       lesson_mode, exit, session_time, score: { raw, min, max },
//                       total_time /* terminate commits only */ },
//               objectives, student_data: { mastery_score, max_time_allowed, time_limit_action },
//               student_preference: { audio, language, speed, text }, interactions }
// 2004 `cmi`: { completion_status, completion_threshold, credit, entry, exit, launch_data,
//               learner_id, learner_name, learner_preference, location, max_time_allowed, mode,
//               objectives, progress_measure, scaled_passing_score,
//               score: { scaled, raw, min, max }, session_time, success_status, suspend_data,
//               time_limit_action, interactions, comments_from_learner, comments_from_lms,
//               total_time /* terminate commits only */ }

export type ScormVersion = "1.2" | "2004";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `cmi` object of a commit envelope, or the value itself when it already is one. */
export function unwrapCmi(saved: unknown): Json {
  if (!isObject(saved)) return {};
  return isObject(saved.cmi) ? saved.cmi : saved;
}

function child(obj: Json, key: string): Json {
  const value = obj[key];
  return isObject(value) ? value : {};
}

function text(obj: Json, key: string): string {
  const value = obj[key];
  return typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

function decimal(obj: Json, key: string): number | null {
  const raw = text(obj, key).trim();
  if (raw === "" || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

// ---------------------------------------------------------------------------------------------
// Durations

const SCORM12_TIMESPAN = /^(\d{2,4}):([0-5]\d):([0-5]\d)(?:\.(\d{1,2}))?$/;
// ISO 8601 as SCORM 2004 uses it. Weeks are not in SCORM's profile but are accepted so a stray
// "P1W" is not silently dropped from time accounting.
const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
// Calendar units have no fixed length; a year counts 365 days and a month 30.
const ISO_UNIT_SECONDS = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1];

const roundCentis = (seconds: number) => Math.round(seconds * 100) / 100;

/**
 * Seconds in a SCORM timespan, or null when the value is not one.
 * 1.2: `HHHH:MM:SS.SS` with 2–4 hour digits and 0–2 decimals. 2004: ISO 8601
 * `P[nY][nM][nD][T[nH][nM][nS]]`, fractions allowed, at least one component, no empty `T`.
 */
export function parseScormDuration(version: ScormVersion, value: string): number | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (version === "1.2") {
    const m = SCORM12_TIMESPAN.exec(trimmed);
    if (!m) return null;
    const fraction = m[4] ? Number(`0.${m[4]}`) : 0;
    return Number(m[1]) * 3_600 + Number(m[2]) * 60 + Number(m[3]) + fraction;
  }
  const m = ISO_DURATION.exec(trimmed);
  if (!m || trimmed === "P" || trimmed.endsWith("T")) return null;
  let seconds = 0;
  let components = 0;
  ISO_UNIT_SECONDS.forEach((unit, i) => {
    const part = m[i + 1];
    if (part !== undefined) {
      components += 1;
      seconds += Number(part) * unit;
    }
  });
  return components > 0 ? roundCentis(seconds) : null;
}

/**
 * A timespan in the version's format, rounded to hundredths. Negative or non-finite input counts
 * as zero. 1.2 hours cap at 9999 (the format's limit); 2004 uses hours, minutes and seconds only, e.g. "PT26H5.5S".
 */
export function formatScormDuration(version: ScormVersion, seconds: number): string {
  const centis = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 100) : 0;
  const capped = version === "1.2" ? Math.min(centis, 9_999 * 360_000 + 359_999) : centis;
  const hours = Math.floor(capped / 360_000);
  const minutes = Math.floor((capped % 360_000) / 6_000);
  const wholeSeconds = Math.floor((capped % 6_000) / 100);
  const fraction = capped % 100;
  if (version === "1.2") {
    const pad = (n: number) => String(n).padStart(2, "0");
    const frac = fraction ? `.${pad(fraction)}` : "";
    return `${pad(hours)}:${pad(minutes)}:${pad(wholeSeconds)}${frac}`;
  }
  if (capped === 0) return "PT0S";
  const secondsPart = fraction ? `${wholeSeconds}.${String(fraction).padStart(2, "0").replace(/0$/, "")}` : `${wholeSeconds}`;
  return (
    "PT" +
    (hours ? `${hours}H` : "") +
    (minutes ? `${minutes}M` : "") +
    (wholeSeconds || fraction ? `${secondsPart}S` : "")
  );
}

/**
 * The attempt's total after a session: `previousTotalSeconds` plus the session's reported
 * `session_time` (an unparseable session time adds nothing).
 *
 * SCOs report session_time as the running length of the *current* session and may set it on
 * every commit, so pass the total as it stood when the session began, not a total already
 * updated by an earlier commit of the same session.
 */
export function accumulateTotalTime(version: ScormVersion, previousTotalSeconds: number, sessionTime: string): number {
  const base = Number.isFinite(previousTotalSeconds) && previousTotalSeconds > 0 ? previousTotalSeconds : 0;
  return roundCentis(base + (parseScormDuration(version, sessionTime) ?? 0));
}

// ---------------------------------------------------------------------------------------------
// State of one SCO

export type Completion = "completed" | "incomplete" | "not_attempted" | "unknown";
export type Success = "passed" | "failed" | "unknown";

export interface ScoState {
  /** Whether the attempt finished (1.2 `failed` is a finished attempt). */
  completion: Completion;
  success: Success;
  /** Whether this SCO counts toward completing the module. */
  satisfied: boolean;
  /** -1..1 (2004 `score.scaled`; for 1.2 derived from raw/min/max, see below). */
  scoreScaled: number | null;
  scoreRaw: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  location: string;
  suspendData: string;
  exit: string;
  sessionSeconds: number | null;
  /** Only terminate commits carry total_time; null otherwise. */
  totalSeconds: number | null;
}

/**
 * What a saved CMI object means for progress.
 *
 * SCORM 1.2 (`cmi.core.lesson_status`):
 * - passed → completed/passed; completed → completed/unknown; failed → completed/failed (the
 *   attempt is over but, by product rule, a failure does not satisfy the module);
 *   incomplete and browsed → incomplete; "" → unknown.
 * - "not attempted" stays not_attempted unless the session left traces (location, suspend data,
 *   exit or session time), then incomplete: scorm-again 3.4.3 leaves "not attempted" on
 *   LMSFinish when the SCO never set a status (its autoCompleteLessonStatus never fires).
 * - Mastery (RTE 3.4.4 cmi.core.lesson_status, LMS behaviour): with credit "credit", lesson mode
 *   "normal", a mastery score and a raw score, a status of "completed" becomes passed when
 *   raw ≥ mastery, otherwise failed. "incomplete" is left alone (the 1.2 Conformance
 *   Requirements re-evaluate only values not set to incomplete) and so are passed/failed, which
 *   are the SCO's own judgement. Empty credit/mode read as credit/normal.
 * - satisfied = effective status passed or completed.
 * - scoreScaled: (raw − min) / (max − min) when max > min, else raw / 100 (1.2 raw is 0–100
 *   when min/max are absent), clamped to 0..1.
 *
 * SCORM 2004, following RTE 4.2.4.1 / 4.2.22.1 and scorm-again's own Terminate evaluation:
 * - completion_threshold and progress_measure both present → completed when progress ≥
 *   threshold, else incomplete (overriding the SCO's value); otherwise the SCO's value.
 * - scaled_passing_score and score.scaled both present → passed when scaled ≥ passing score,
 *   else failed; otherwise the SCO's value.
 * - satisfied = completion completed and success not failed.
 */
export function deriveScoState(version: ScormVersion, saved: unknown): ScoState {
  const cmi = unwrapCmi(saved);
  return version === "1.2" ? derive12(cmi) : derive2004(cmi);
}

function derive12(cmi: Json): ScoState {
  const core = child(cmi, "core");
  const score = child(core, "score");
  const studentData = child(cmi, "student_data");
  const scoreRaw = decimal(score, "raw");
  const scoreMin = decimal(score, "min");
  const scoreMax = decimal(score, "max");
  const location = text(core, "lesson_location");
  const suspendData = text(cmi, "suspend_data");
  const exit = text(core, "exit");
  const sessionSeconds = parseScormDuration("1.2", text(core, "session_time"));

  let status = text(core, "lesson_status");
  const mastery = decimal(studentData, "mastery_score");
  const credit = text(core, "credit") || "credit";
  const mode = text(core, "lesson_mode") || "normal";
  if (status === "completed" && mastery !== null && scoreRaw !== null && credit === "credit" && mode === "normal") {
    status = scoreRaw >= mastery ? "passed" : "failed";
  }

  let completion: Completion;
  let success: Success = "unknown";
  switch (status) {
    case "passed":
      completion = "completed";
      success = "passed";
      break;
    case "failed":
      completion = "completed";
      success = "failed";
      break;
    case "completed":
      completion = "completed";
      break;
    case "incomplete":
    case "browsed":
      completion = "incomplete";
      break;
    case "not attempted": {
      const traces = location !== "" || suspendData !== "" || exit !== "" || (sessionSeconds ?? 0) > 0;
      completion = traces ? "incomplete" : "not_attempted";
      break;
    }
    default:
      completion = "unknown";
  }

  let scoreScaled: number | null = null;
  if (scoreRaw !== null) {
    const ratio =
      scoreMax !== null && scoreMax > (scoreMin ?? 0)
        ? (scoreRaw - (scoreMin ?? 0)) / (scoreMax - (scoreMin ?? 0))
        : scoreRaw / 100;
    scoreScaled = Math.min(1, Math.max(0, ratio));
  }

  return {
    completion,
    success,
    satisfied: status === "passed" || status === "completed",
    scoreScaled,
    scoreRaw,
    scoreMin,
    scoreMax,
    location,
    suspendData,
    exit,
    sessionSeconds,
    totalSeconds: parseScormDuration("1.2", text(core, "total_time")),
  };
}

function derive2004(cmi: Json): ScoState {
  const score = child(cmi, "score");
  const scoreScaled = decimal(score, "scaled");

  let completionStatus = text(cmi, "completion_status");
  const threshold = decimal(cmi, "completion_threshold");
  const progress = decimal(cmi, "progress_measure");
  if (threshold !== null && progress !== null) {
    completionStatus = progress >= threshold ? "completed" : "incomplete";
  }

  let successStatus = text(cmi, "success_status");
  const passingScore = decimal(cmi, "scaled_passing_score");
  if (passingScore !== null && scoreScaled !== null) {
    successStatus = scoreScaled >= passingScore ? "passed" : "failed";
  }

  const completion: Completion =
    completionStatus === "completed"
      ? "completed"
      : completionStatus === "incomplete"
        ? "incomplete"
        : completionStatus === "not attempted"
          ? "not_attempted"
          : "unknown";
  const success: Success = successStatus === "passed" ? "passed" : successStatus === "failed" ? "failed" : "unknown";

  return {
    completion,
    success,
    satisfied: completion === "completed" && success !== "failed",
    scoreScaled,
    scoreRaw: decimal(score, "raw"),
    scoreMin: decimal(score, "min"),
    scoreMax: decimal(score, "max"),
    location: text(cmi, "location"),
    suspendData: text(cmi, "suspend_data"),
    exit: text(cmi, "exit"),
    sessionSeconds: parseScormDuration("2004", text(cmi, "session_time")),
    totalSeconds: parseScormDuration("2004", text(cmi, "total_time")),
  };
}

// ---------------------------------------------------------------------------------------------
// Commit ordering

export interface SequencedCommit {
  /** Monotonic per SCO attempt, assigned by the player when the commit is captured. */
  seq: number;
  cmi: unknown;
}

export type CommitOutcome = "accepted" | "replay" | "stale" | "conflict" | "invalid";

export interface CommitDecision {
  /** True for a newer commit and for an exact replay (answer the client with success). */
  accepted: boolean;
  /** True only when `next` differs from what was stored. */
  changed: boolean;
  outcome: CommitOutcome;
  /** What to keep stored after this commit. */
  next: SequencedCommit | null;
}

/**
 * Sequence-number rule for commits arriving out of order or more than once (offline retries):
 * a higher seq replaces the stored commit; the same seq with an identical payload is an
 * idempotent replay (accepted, nothing changes); an older seq is ignored; the same seq with a
 * different payload is a conflict (two writers) and is refused. Seqs must be non-negative safe
 * integers.
 */
export function applyCommit(stored: SequencedCommit | null, incoming: SequencedCommit): CommitDecision {
  if (!Number.isSafeInteger(incoming.seq) || incoming.seq < 0) {
    return { accepted: false, changed: false, outcome: "invalid", next: stored };
  }
  if (stored === null || incoming.seq > stored.seq) {
    return { accepted: true, changed: true, outcome: "accepted", next: incoming };
  }
  if (incoming.seq < stored.seq) {
    return { accepted: false, changed: false, outcome: "stale", next: stored };
  }
  return jsonEqual(stored.cmi, incoming.cmi)
    ? { accepted: true, changed: false, outcome: "replay", next: stored }
    : { accepted: false, changed: false, outcome: "conflict", next: stored };
}

/** Structural equality of JSON values; object key order does not matter. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a).filter((k) => (a as Json)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Json)[k] !== undefined);
  return aKeys.length === bKeys.length && aKeys.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Json)[k], (b as Json)[k]));
}

// ---------------------------------------------------------------------------------------------
// Launching

export type Entry = "ab-initio" | "resume" | "";

export interface LaunchDecision {
  entry: Entry;
  /** Carry the previous run-time data (suspend data, location, statuses, scores…) into this launch. */
  keepSuspendData: boolean;
  /** Start a fresh attempt record instead of continuing the last one. */
  newAttempt: boolean;
}

/**
 * How to launch a SCO given the saved CMI of its latest attempt (null/undefined: never launched).
 *
 * - Exit "suspend" (1.2 `cmi.core.exit`, 2004 `cmi.exit`) → resume the same attempt with its data.
 * - Any other exit ends the attempt: a new attempt starts ab-initio with no suspend data.
 * - Except SCORM 1.2 with an empty exit and a lesson_status that never reached completed,
 *   passed or failed: many authoring tools never set cmi.core.exit (or a session ends without
 *   LMSFinish), yet expect their suspend_data and lesson_location back, so that attempt is
 *   resumed too. A failed attempt is over: the next one starts from the beginning.
 *
 * Entry "" (neither first launch nor resume) is part of the vocabulary but never chosen here,
 * because a non-suspended attempt is never re-entered.
 */
export function nextLaunch(version: ScormVersion, lastAttempt: { cmi: unknown } | null | undefined): LaunchDecision {
  const fresh: LaunchDecision = { entry: "ab-initio", keepSuspendData: false, newAttempt: true };
  if (!lastAttempt) return fresh;
  const cmi = unwrapCmi(lastAttempt.cmi);
  const resume: LaunchDecision = { entry: "resume", keepSuspendData: true, newAttempt: false };
  if (version === "1.2") {
    const core = child(cmi, "core");
    const exit = text(core, "exit");
    if (exit === "suspend") return resume;
    const status = text(core, "lesson_status");
    if (exit === "" && status !== "completed" && status !== "passed" && status !== "failed") return resume;
    return fresh;
  }
  return text(cmi, "exit") === "suspend" ? resume : fresh;
}

// ---------------------------------------------------------------------------------------------
// Module rollup

export interface ModuleRollup {
  completed: boolean;
  scoreScaled: number | null;
}

/**
 * A module is completed when it has at least one tracked SCO and every tracked SCO is satisfied;
 * untracked items (assets) never count, so a module made only of assets never completes through
 * rollup and the caller decides (e.g. on launch). The score is the unweighted mean of the tracked
 * SCOs' scaled scores that exist; null when none has one.
 */
export function rollupModule(scos: ReadonlyArray<{ tracked: boolean; satisfied: boolean; scoreScaled: number | null }>): ModuleRollup {
  const tracked = scos.filter((s) => s.tracked);
  const scores = tracked.map((s) => s.scoreScaled).filter((s): s is number => typeof s === "number" && Number.isFinite(s));
  return {
    completed: tracked.length > 0 && tracked.every((s) => s.satisfied),
    scoreScaled: scores.length > 0 ? scores.reduce((sum, s) => sum + s, 0) / scores.length : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding scorm-again

export type TimeLimitAction = "exit,message" | "exit,no message" | "continue,message" | "continue,no message";

export interface LearnerSeedInput {
  version: ScormVersion;
  learnerId: string;
  /** Used as given; SCORM 1.2 content expects "Last, First". */
  learnerName: string;
  entry: Entry;
  /** Manifest `adlcp:dataFromLMS`. */
  launchData?: string | null;
  /** 1.2 `adlcp:masteryscore`, 0–100. */
  masteryScore?: number | null;
  /** 2004, -1..1. */
  scaledPassingScore?: number | null;
  /** 2004, 0..1; pass it only when the manifest's completionThreshold is completedByMeasure. */
  completionThreshold?: number | null;
  /** 2004 objective ids from the manifest (seeded into cmi.objectives.n.id). Ignored for 1.2. */
  objectiveIds?: readonly string[];
  /** 2004 `adl.data` target ids for this SCO. Ignored for 1.2. */
  sharedDataIds?: readonly string[];
  /** 2004 shared data values by target id, as last committed (`sharedData` of a commit). */
  sharedDataStores?: Readonly<Record<string, string>> | null;
  /** Seconds, or a manifest timespan in either format. */
  maxTimeAllowed?: number | string | null;
  timeLimitAction?: TimeLimitAction | null;
  /** Latest saved CMI (commit envelope or bare cmi). Runtime data is restored only on resume. */
  savedCmi?: unknown;
  /** Attempt total so far; defaults to the saved total_time on resume and 0 otherwise. */
  totalSeconds?: number | null;
  credit?: boolean;
  mode?: "normal" | "browse" | "review";
}

/** JSON for `api.loadFromJSON(seed)` (the object has a `cmi` key, so paths start at the root). */
export type LearnerSeed = {
  adl?: { data: Array<{ id: string; store?: string }> };
  cmi: Json;
};

/**
 * The JSON to load into scorm-again before Initialize.
 *
 * Caveats of `loadFromJSON` in 3.4.3 that shape this output:
 * - falsy values ("" and 0) are skipped, so numbers are rendered as strings and nothing here can
 *   clear a field — use a new API instance per launch, not `reset()`, which keeps much old data;
 * - the first invalid value throws and aborts the rest, so LMS-owned values are validated here
 *   and come first, restored runtime data follows and interactions come last; the player should
 *   still wrap the call in try/catch;
 * - session_time, exit, entry and total_time from the saved data are never replayed.
 */
export function learnerSeed(input: LearnerSeedInput): LearnerSeed {
  const { version } = input;
  const saved = unwrapCmi(input.savedCmi);
  const resuming = input.entry === "resume";
  const savedTotal = resuming
    ? parseScormDuration(version, text(version === "1.2" ? child(saved, "core") : saved, "total_time"))
    : null;
  const totalSeconds = input.totalSeconds ?? savedTotal ?? 0;
  const maxTime = timespanSeconds(input.maxTimeAllowed);
  const timeLimitAction = isTimeLimitAction(input.timeLimitAction) ? input.timeLimitAction : null;
  const launchData = input.launchData ?? "";
  const credit = input.credit === false ? "no-credit" : "credit";
  const mode = input.mode ?? "normal";

  if (version === "1.2") {
    const core: Json = {
      student_id: input.learnerId,
      student_name: input.learnerName,
      entry: input.entry,
      credit,
      lesson_mode: mode,
      total_time: formatScormDuration("1.2", totalSeconds),
    };
    const studentData: Json = {};
    const mastery = boundedDecimal(input.masteryScore, 0, 100);
    if (mastery) studentData.mastery_score = mastery;
    if (maxTime !== null) studentData.max_time_allowed = formatScormDuration("1.2", maxTime);
    if (timeLimitAction) studentData.time_limit_action = timeLimitAction;
    const cmi: Json = { core, launch_data: launchData, student_data: studentData };

    const savedPreference = pickStrings(child(saved, "student_preference"), ["audio", "language", "speed", "text"]);
    if (savedPreference) cmi.student_preference = savedPreference;
    if (resuming) {
      const savedCore = child(saved, "core");
      Object.assign(core, pickStrings(savedCore, ["lesson_location", "lesson_status"]) ?? {});
      if (core.lesson_status === "not attempted") delete core.lesson_status;
      const score = pickStrings(child(savedCore, "score"), ["raw", "min", "max"]);
      if (score) core.score = score;
      Object.assign(cmi, pickStrings(saved, ["suspend_data", "comments"]) ?? {});
      const objectives = listOf(saved.objectives);
      if (objectives.length) cmi.objectives = objectives;
      const interactions = listOf(saved.interactions);
      if (interactions.length) cmi.interactions = interactions;
    }
    return { cmi };
  }

  const cmi: Json = {
    learner_id: input.learnerId,
    learner_name: input.learnerName,
    entry: input.entry,
    credit,
    mode,
    launch_data: launchData,
    total_time: formatScormDuration("2004", totalSeconds),
  };
  const passing = boundedDecimal(input.scaledPassingScore, -1, 1);
  if (passing) cmi.scaled_passing_score = passing;
  const threshold = boundedDecimal(input.completionThreshold, 0, 1);
  if (threshold) cmi.completion_threshold = threshold;
  if (maxTime !== null) cmi.max_time_allowed = formatScormDuration("2004", maxTime);
  if (timeLimitAction) cmi.time_limit_action = timeLimitAction;

  const savedPreference = pickStrings(child(saved, "learner_preference"), ["audio_level", "language", "delivery_speed", "audio_captioning"]);
  if (savedPreference) cmi.learner_preference = savedPreference;

  const savedObjectives = resuming ? listOf(saved.objectives) : [];
  if (resuming) {
    Object.assign(cmi, pickStrings(saved, ["location", "suspend_data", "completion_status", "success_status", "progress_measure"]) ?? {});
    const score = pickStrings(child(saved, "score"), ["scaled", "raw", "min", "max"]);
    if (score) cmi.score = score;
  }
  const knownIds = new Set(savedObjectives.map((o) => o.id));
  const objectives = [...savedObjectives];
  for (const id of input.objectiveIds ?? []) {
    if (typeof id === "string" && id !== "" && !knownIds.has(id)) {
      knownIds.add(id);
      objectives.push({ id });
    }
  }
  if (objectives.length) cmi.objectives = objectives;
  if (resuming) {
    const comments = listOf(saved.comments_from_learner);
    if (comments.length) cmi.comments_from_learner = comments;
    const interactions = listOf(saved.interactions);
    if (interactions.length) cmi.interactions = interactions;
  }

  const seed: LearnerSeed = { cmi };
  const ids = [...new Set(input.sharedDataIds ?? [])].filter((id) => typeof id === "string" && id !== "");
  if (ids.length) {
    // Stores default to read/write; for readSharedData/writeSharedData="false" call
    // api.adl.configureSharedDataMaps() + api.restoreSharedDataSnapshot() instead.
    const stores = input.sharedDataStores ?? {};
    seed.adl = {
      data: ids.map((id) => {
        const store = stores[id];
        return typeof store === "string" && store !== "" ? { id, store } : { id };
      }),
    };
    // adl first: if restoring interactions throws, the shared data is already in.
    return { adl: seed.adl, cmi };
  }
  return seed;
}

function isTimeLimitAction(value: unknown): value is TimeLimitAction {
  return value === "exit,message" || value === "exit,no message" || value === "continue,message" || value === "continue,no message";
}

function timespanSeconds(value: number | string | null | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const seconds = parseScormDuration("1.2", value) ?? parseScormDuration("2004", value);
  return seconds !== null && seconds > 0 ? seconds : null;
}

/** A decimal string scorm-again accepts (no exponent, ≤ 7 places), or null when out of range. */
function boundedDecimal(value: number | null | undefined, min: number, max: number): string | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) return null;
  return String(Number(value.toFixed(7))).replace(/^(-?)(\d+)e-\d+$/, "$10");
}

/** The non-empty string fields of `obj` among `keys`, or null when there are none. */
function pickStrings(obj: Json, keys: readonly string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = text(obj, key);
    if (value !== "") out[key] = value;
  }
  return Object.keys(out).length ? out : null;
}

/** Entries of a saved CMI array (an object keyed by index, or an array), in index order. */
function listOf(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject).map(stripEmpty);
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => value[k])
    .filter(isObject)
    .map(stripEmpty);
}

/** Deep copy without empty strings and empty objects (loadFromJSON would skip them anyway). */
function stripEmpty(obj: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === "string") {
      if (value !== "") out[key] = value;
    } else if (typeof value === "number" && Number.isFinite(value)) {
      out[key] = String(value);
    } else if (isObject(value)) {
      const nested = Object.keys(value).every((k) => /^\d+$/.test(k)) ? listOf(value) : stripEmpty(value);
      if (Array.isArray(nested) ? nested.length : Object.keys(nested).length) out[key] = nested;
    }
  }
  return out;
}
