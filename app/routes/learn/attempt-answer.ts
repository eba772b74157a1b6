import { saveAnswerFromForm } from "~/learning/answer-form.server.ts";
import { DomainError, statusOf } from "~/utils/errors.server.ts";
import { readLimitedForm } from "~/utils/limited-form.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";
import type { Route } from "./+types/attempt-answer";

// The quiz page's outbox (app/learning/answer-outbox.ts) saves answers here: the same fields the
// page's form posts, answered in JSON so the outbox can tell an acknowledgement from a reason to
// retry. Statuses are the outbox's contract: 200 saved, 400 refused, 401 signed out, 404 no such
// attempt, 409 closed (submitted or time up); 503 while the database is unavailable.
const headers = { "Cache-Control": "no-store" };

export async function action({ request, params }: Route.ActionArgs) {
  const user = await getSessionUser(request);
  if (!user) return Response.json({ ok: false, error: "unauthenticated" }, { status: 401, headers });
  try {
    const form = await readLimitedForm(request, 64 * 1024, { tooLarge: "quiz.invalidAnswer", unreadable: "quiz.invalidAnswer" });
    const saved = await saveAnswerFromForm({ actor: user, attemptId: params.attemptId, form });
    if (saved.kind === "closed") return Response.json({ ok: false, closed: true }, { status: 409, headers });
    if (saved.kind === "invalid") return Response.json({ ok: false, error: saved.error }, { status: 400, headers });
    return Response.json({ ok: true }, { headers });
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ ok: false, error: error.messageKey }, { status: statusOf(error), headers });
    throw error;
  }
}
