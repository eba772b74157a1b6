import type { PDFFont, PDFPage } from "pdf-lib";
import { formatCertificateCode } from "~/certificates/code.ts";
import { newPdfDocument } from "~/certificates/pdf-toolkit.server.ts";
import { formatCalendarDay, type Locale, pick, translator } from "~/i18n/index.ts";
import { describePeriod, formatCredits } from "./labels.ts";
import type { Transcript } from "./transcript.server.ts";

export type TranscriptPdfData = Pick<Transcript, "holder" | "scheme" | "period" | "entries" | "summary" | "today">;

const A4_PORTRAIT: [number, number] = [595.28, 841.89];
const MARGIN = 42;

/** Splits text into lines no wider than `width`; a word longer than a line is cut. */
function wrap(text: string, font: PDFFont, size: number, width: number) {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** A4 portrait, real (searchable) text: who, which period, each certificate, and the totals. */
export async function renderTranscriptPdf(data: TranscriptPdfData, locale: Locale) {
  const t = translator(locale);
  // The certificate's fonts (pdf-toolkit.server.ts): whole DejaVu Sans files, so every Slovene and
  // Ukrainian letter is in the one embedded font.
  const { pdf, rgb, fonts } = await newPdfDocument();
  const ink = rgb(0.1, 0.12, 0.16);
  const accent = rgb(0.06, 0.46, 0.43);
  const muted = rgb(0.33, 0.36, 0.4);
  const rule = rgb(0.8, 0.82, 0.85);
  pdf.setTitle(`${t("cpd.title")} – ${data.holder.name}`);
  pdf.setAuthor(data.holder.name);
  pdf.setCreator("Opora");
  pdf.setLanguage(locale === "sl" ? "sl-SI" : "en-GB");
  const regular = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const [width, height] = A4_PORTRAIT;
  const contentWidth = width - 2 * MARGIN;

  let page: PDFPage = pdf.addPage(A4_PORTRAIT);
  let y = height - MARGIN;
  const newPage = () => {
    page = pdf.addPage(A4_PORTRAIT);
    y = height - MARGIN;
  };
  const ensure = (space: number, after?: () => void) => {
    if (y - space >= MARGIN + 24) return;
    newPage();
    after?.();
  };
  const text = (value: string, x: number, size: number, font = regular, color = ink) => page.drawText(value, { x, y, size, font, color });
  const paragraph = (value: string, size: number, font = regular, color = ink) => {
    for (const line of wrap(value, font, size, contentWidth)) {
      ensure(size + 4);
      text(line, MARGIN, size, font, color);
      y -= size + 4;
    }
  };

  text("OPORA", MARGIN, 11, bold, accent);
  y -= 28;
  paragraph(t("cpd.title"), 20, bold);
  y -= 6;

  const facts: Array<[string, string]> = [
    [t("field.name"), data.holder.name],
    ...(data.holder.licenceNumber ? [[t("cpd.licence"), data.holder.licenceNumber] as [string, string]] : []),
    [t("field.profession"), t(`profession.${data.holder.profession}`)],
    [t("cpd.period"), describePeriod(data.period, t, locale)],
    ...(data.scheme ? [[t("cpd.scheme"), pick(data.scheme.name, locale)] as [string, string]] : []),
  ];
  for (const [label, value] of facts) {
    const lines = wrap(value, bold, 10, contentWidth - 130);
    ensure(lines.length * 14);
    text(label, MARGIN, 9, regular, muted);
    for (const line of lines) {
      page.drawText(line, { x: MARGIN + 130, y, size: 10, font: bold, color: ink });
      y -= 14;
    }
  }
  y -= 12;

  // The table: each certificate on one or more lines, its verification address beneath.
  const columns = [
    { key: "course", label: t("cpd.course"), width: 150 },
    { key: "issued", label: t("certificate.issued"), width: 72 },
    { key: "expires", label: t("certificate.validUntil"), width: 72 },
    { key: "credits", label: t("cpd.credits"), width: 42 },
    { key: "category", label: t("cpd.category"), width: 108 },
    { key: "state", label: t("cpd.state"), width: contentWidth - 444 },
  ] as const;
  const size = 8.5;
  const lineHeight = 11;
  const drawHeader = () => {
    let x = MARGIN;
    const heights = columns.map((column) => wrap(column.label, bold, size, column.width - 6).length);
    const rows = Math.max(...heights);
    for (const column of columns) {
      for (const [index, line] of wrap(column.label, bold, size, column.width - 6).entries()) page.drawText(line, { x, y: y - index * lineHeight, size, font: bold, color: ink });
      x += column.width;
    }
    y -= rows * lineHeight - lineHeight + 5;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: width - MARGIN, y }, thickness: 0.8, color: ink });
    y -= lineHeight + 2;
  };
  ensure(60);
  drawHeader();
  if (data.entries.length === 0) paragraph(t("cpd.empty"), 10, regular, muted);
  for (const entry of data.entries) {
    const cells: Record<(typeof columns)[number]["key"], string> = {
      course: pick(entry.courseTitle, locale),
      issued: formatCalendarDay(entry.issuedOn, locale),
      expires: formatCalendarDay(entry.expiresOn, locale),
      credits: formatCredits(entry.credits, locale),
      category: pick(entry.category, locale),
      state: t(`check.state.${entry.state}`) + (entry.counted ? "" : ` (${t("cpd.notCounted")})`),
    };
    const wrapped = columns.map((column) => wrap(cells[column.key], regular, size, column.width - 6));
    const rowLines = Math.max(...wrapped.map((lines) => lines.length));
    const verify = `${formatCertificateCode(entry.code)} · ${t("cpd.verification")}: ${entry.verifyUrl}`;
    const verifyLines = wrap(verify, regular, 7, contentWidth);
    ensure((rowLines + verifyLines.length) * lineHeight + 8, drawHeader);
    let x = MARGIN;
    columns.forEach((column, index) => {
      for (const [lineIndex, line] of wrapped[index].entries()) page.drawText(line, { x, y: y - lineIndex * lineHeight, size, font: regular, color: entry.counted ? ink : muted });
      x += column.width;
    });
    y -= rowLines * lineHeight;
    for (const line of verifyLines) {
      page.drawText(line, { x: MARGIN, y, size: 7, font: regular, color: muted });
      y -= 9;
    }
    y -= 2;
    page.drawLine({ start: { x: MARGIN, y: y + 6 }, end: { x: width - MARGIN, y: y + 6 }, thickness: 0.4, color: rule });
    y -= 6;
  }

  // Totals.
  y -= 8;
  ensure(60);
  paragraph(t("cpd.totals"), 13, bold);
  const { summary } = data;
  paragraph(summary.target === null ? t("cpd.collected", { total: formatCredits(summary.total, locale) }) : t("cpd.collectedOfTarget", { total: formatCredits(summary.total, locale), target: formatCredits(summary.target, locale) }), 11, bold);
  for (const category of summary.categories) {
    const status = category.met ? t("cpd.categoryMet") : t("cpd.categoryMissing", { missing: formatCredits(category.missing, locale) });
    paragraph(`${pick(category.name, locale)}: ${formatCredits(category.credits, locale)} (${t("cpd.categoryMin", { min: formatCredits(category.minCredits, locale) })}; ${status})`, 10);
  }
  if (data.scheme?.categories.length && summary.otherCredits > 0) paragraph(`${t("cpd.otherCategories")}: ${formatCredits(summary.otherCredits, locale)}`, 10);
  if (summary.target !== null) paragraph(summary.met ? t("cpd.targetMet") : t("cpd.targetRemaining", { remaining: formatCredits(summary.remaining ?? 0, locale) }), 10);
  y -= 4;
  paragraph(t("cpd.revokedNotCounted"), 8.5, regular, muted);
  if (data.scheme?.source) paragraph(t("cpd.schemeSource", { source: data.scheme.source.title }), 8.5, regular, muted);

  // Footer on every page: generation date and page number.
  const pages = pdf.getPages();
  const generated = t("cpd.generatedOn", { date: formatCalendarDay(data.today, locale) });
  pages.forEach((each, index) => {
    each.drawText(generated, { x: MARGIN, y: MARGIN - 14, size: 8, font: regular, color: muted });
    const number = t("cpd.page", { page: index + 1, pages: pages.length });
    each.drawText(number, { x: width - MARGIN - regular.widthOfTextAtSize(number, 8), y: MARGIN - 14, size: 8, font: regular, color: muted });
  });
  return pdf.save();
}
