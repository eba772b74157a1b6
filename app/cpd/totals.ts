import type { CertificateState } from "../certificates/expiry.ts";
import type { CpdScheme } from "./schemes.ts";

// What counts towards a licence target, and how far a learner is. Pure.

export type TranscriptState = "valid" | "expired" | "revoked" | "superseded";

/** The transcript's four states: "expiring soon" is still valid for CPD purposes. */
export function transcriptState(state: CertificateState): TranscriptState {
  return state === "expiring" ? "valid" : state;
}

/**
 * Whether a certificate's credits count. A revoked certificate was withdrawn (issued in error, or
 * completed on someone else's account), so its credits were never earned. Expired and superseded
 * ones count: the learning took place on the issue date, whatever the certificate's validity since.
 */
export function countsTowardsTotals(state: TranscriptState) {
  return state !== "revoked";
}

const normalise = (text: unknown) => (typeof text === "string" ? text.normalize("NFC").trim().toLocaleLowerCase("sl") : "");

/**
 * The scheme category a certificate's `cpdCategory` snapshot belongs to: by `id` (certificates
 * issued since courses carry `cpd.categoryId`), else, for older certificates, by the category's
 * name in any language.
 */
export function matchCategoryId(cpdCategory: unknown, scheme: CpdScheme | null): string | null {
  if (!scheme || typeof cpdCategory !== "object" || cpdCategory === null) return null;
  const snapshot = cpdCategory as Record<string, unknown>;
  if (typeof snapshot.id === "string") return scheme.categories.some((category) => category.id === snapshot.id) ? snapshot.id : null;
  const names = new Set(Object.values(snapshot).map(normalise).filter(Boolean));
  return scheme.categories.find((category) => Object.values(category.name).some((name) => names.has(normalise(name))))?.id ?? null;
}

/** The category's text without the id: what the certificate said, per language. */
export function categoryText(cpdCategory: unknown): Record<string, string> {
  if (typeof cpdCategory !== "object" || cpdCategory === null) return {};
  const { id: _id, ...text } = cpdCategory as Record<string, string>;
  return text;
}

/** Credits are added as decimals (0.1 per question): rounded to hundredths for display and totals. */
export function roundCredits(value: number) {
  return Math.round(value * 100) / 100;
}

export type CreditSummary = {
  total: number;
  target: number | null;
  /** 0–100, null without a target */
  percent: number | null;
  remaining: number | null;
  categories: Array<{ id: string; name: CpdScheme["categories"][number]["name"]; minCredits: number; credits: number; met: boolean; missing: number }>;
  /** credits in no category of the scheme */
  otherCredits: number;
  /** the total and every category minimum reached */
  met: boolean;
};

export function summariseCredits(entries: ReadonlyArray<{ credits: number; categoryId: string | null; counted: boolean }>, scheme: CpdScheme | null, target: number | null): CreditSummary {
  const counted = entries.filter((entry) => entry.counted);
  const total = roundCredits(counted.reduce((sum, entry) => sum + entry.credits, 0));
  const categories = (scheme?.categories ?? []).map((category) => {
    const credits = roundCredits(counted.filter((entry) => entry.categoryId === category.id).reduce((sum, entry) => sum + entry.credits, 0));
    return { id: category.id, name: category.name, minCredits: category.minCredits, credits, met: credits >= category.minCredits, missing: roundCredits(Math.max(0, category.minCredits - credits)) };
  });
  const inCategories = categories.reduce((sum, category) => sum + category.credits, 0);
  const percent = target ? Math.min(100, Math.floor((total / target) * 100)) : null;
  const remaining = target === null ? null : roundCredits(Math.max(0, target - total));
  return {
    total,
    target,
    percent,
    remaining,
    categories,
    otherCredits: roundCredits(total - inCategories),
    met: target !== null && total >= target && categories.every((category) => category.met),
  };
}
