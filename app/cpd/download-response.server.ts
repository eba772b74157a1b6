import { type Locale, translator } from "~/i18n/index.ts";
import { DomainError, toResponse } from "~/utils/errors.server.ts";

const FIELD_LABELS: Record<string, string> = { from: "cpd.from", to: "cpd.to", course: "attendees.course" };

/**
 * For file downloads (CSV, PDF), which have no page to show an error on: a domain failure becomes a
 * short plain-text answer in the user's language with its status (400 for a bad date, not a 500).
 */
export async function downloadOrRefusal(locale: Locale, work: () => Promise<Response>) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const t = translator(locale);
    const label = error.field && FIELD_LABELS[error.field] ? `${t(FIELD_LABELS[error.field])}: ` : "";
    return new Response(`${label}${t(error.messageKey)}\n`, {
      status: toResponse(error).init?.status ?? 500,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
}
