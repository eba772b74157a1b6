import { type Locale, translator } from "~/i18n/index.ts";
import type { Actor } from "~/utils/auth.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import { transcriptCsv } from "./labels.ts";
import type { PeriodQuery } from "./period.ts";
import { renderTranscriptPdf } from "./render-transcript-pdf.server.ts";
import { getTranscript } from "./transcript.server.ts";

// The transcript as files: the same data and period rules as the page (getTranscript checks who).

export async function transcriptCsvFile({ actor, query, locale, clock = systemClock }: { actor: Actor; query: PeriodQuery; locale: Locale; clock?: Clock }) {
  const transcript = await getTranscript({ actor, query, clock });
  return { body: transcriptCsv(transcript, translator(locale), locale), filename: `opora-cpd-transcript-${transcript.today}.csv` };
}

export async function transcriptPdfFile({ actor, query, locale, clock = systemClock }: { actor: Actor; query: PeriodQuery; locale: Locale; clock?: Clock }) {
  const transcript = await getTranscript({ actor, query, clock });
  return { bytes: await renderTranscriptPdf(transcript, locale), filename: `opora-cpd-transcript-${transcript.today}.pdf` };
}
