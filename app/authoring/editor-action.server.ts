import { data } from "react-router";
import { DomainError, statusOf } from "~/utils/errors.server.ts";

/** What an editor form shows after saving: `saved`, or the error with what exactly was wrong. */
export type EditorActionError = { error: { key: string; detail: string; field: string } };

/**
 * Runs an editor action: a domain failure (a conflict, a bad value) comes back as a 4xx result the
 * page shows next to the trainer's unsaved input, which stays in the form.
 */
export async function editorAction<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) return data({ error: { key: error.messageKey, detail: error.detail ?? "", field: error.field ?? "" } } satisfies EditorActionError, { status: statusOf(error) });
    throw error;
  }
}

/** A whole number from a form field, or NaN (which the domain refuses). */
export function formInt(form: FormData, name: string) {
  const value = String(form.get(name) ?? "");
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** A trimmed text field, at most `max` characters. */
export function formText(form: FormData, name: string, max = 10_000) {
  return String(form.get(name) ?? "").trim().slice(0, max);
}
