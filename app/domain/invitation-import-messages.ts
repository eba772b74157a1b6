import type { Locale, Translate } from "~/i18n/index.ts";
import type { ImportFileProblem, ImportRowProblem } from "./invitation-import.ts";

// What an organiser reads about a file or a row that cannot be imported: the preview page shows
// these, and tests read the same words.

/** Why a whole file was refused. */
export function importFileProblemMessage(t: Translate, locale: Locale, problem: ImportFileProblem) {
  switch (problem.key) {
    case "missingColumns":
      return t("invitationImport.file.missingColumns", { columns: problem.columns.map((column) => t(`invitationImport.column.${column}`)).join(", ") });
    case "tooManyRows":
      return t("invitationImport.file.tooManyRows", { count: new Intl.NumberFormat(locale === "sl" ? "sl-SI" : "en-GB").format(problem.vars.count) });
    case "unclosedQuote":
      return t("invitationImport.file.unclosedQuote", { row: problem.vars.row });
    default:
      return t(`invitationImport.file.${problem.key}`);
  }
}

/** One reason a row is not imported; a duplicate names the row it repeats. */
export function importRowProblemText(t: Translate, problem: ImportRowProblem, duplicateOf: number | undefined) {
  return t(`invitationImport.problem.${problem}`, problem === "duplicateEmail" ? { row: duplicateOf ?? "?" } : undefined);
}
