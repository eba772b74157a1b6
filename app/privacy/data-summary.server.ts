import { type Locale, translator } from "~/i18n/index.ts";
import { escapeHtml } from "~/utils/html.ts";
import type { PersonalDataExport } from "./personal-data.server.ts";

// The readable half of the data download: one self-contained HTML page (printable, no scripts, no
// outside resources) with a table per kind of record.

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function table(rows: Array<Record<string, unknown>>, t: ReturnType<typeof translator>) {
  if (!rows.length) return `<p>${escapeHtml(t("privacy.summary.none"))}</p>`;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const body = rows.map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell(row[c]))}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderPersonalDataHtml(data: PersonalDataExport, locale: Locale) {
  const t = translator(locale);
  const { generatedAt, about: _about, User: user, ...sections } = data;
  const parts = Object.entries(sections).map(([name, rows]) => `<section><h2>${escapeHtml(t(`privacy.section.${name}` as never))} <small>(${escapeHtml(name)})</small></h2>${table(rows as Array<Record<string, unknown>>, t)}</section>`);
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(t("privacy.summary.title"))}</title>
<style>body{font-family:system-ui,sans-serif;color:#111827;margin:2rem;line-height:1.4}table{border-collapse:collapse;width:100%;font-size:.85rem;margin-bottom:1rem}th,td{border:1px solid #cbd5e1;padding:.25rem .4rem;text-align:left;vertical-align:top;word-break:break-word}th{background:#f1f5f9}small{color:#475569;font-weight:normal}</style></head>
<body><h1>${escapeHtml(t("privacy.summary.title"))}</h1>
<p>${escapeHtml(t("privacy.summary.lead", { date: generatedAt }))}</p>
<section><h2>${escapeHtml(t("privacy.section.User"))}</h2>${table([user as unknown as Record<string, unknown>], t)}</section>
${parts.join("\n")}
</body></html>`;
}
