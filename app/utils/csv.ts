// CSV as spreadsheets open it: UTF-8 with a byte-order mark (Excel otherwise guesses the wrong
// encoding for č, š, ž), comma-separated, CRLF line ends, every field quoted when needed. A field
// starting with = + - @ (or a tab or carriage return) is prefixed with an apostrophe, so a name
// like "=HYPERLINK(…)" stays text instead of becoming a formula.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: Array<Array<string | number | null | undefined>>) {
  return `\uFEFF${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
