import { describe, expect, it } from "vitest";
import { csvBytesStream, csvField, csvNumber, toCsv } from "./csv.ts";

describe("CSV for Excel", () => {
  it("starts with a byte-order mark, separates fields with ; and ends lines with CRLF", () => {
    const csv = toCsv([
      ["Ime", "Točke"],
      ["Čačič Šuštar Žužek", 3],
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe("Ime;Točke\r\nČačič Šuštar Žužek;3\r\n");
  });

  it("quotes fields with the separator, quotes or line breaks, doubling inner quotes", () => {
    expect(csvField('Ana "Anči" Novak')).toBe('"Ana ""Anči"" Novak"');
    expect(csvField("a;b")).toBe('"a;b"');
    expect(csvField("first line\nsecond line")).toBe('"first line\nsecond line"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("plain, with comma")).toBe("plain, with comma");
  });

  it.each([
    ["=HYPERLINK(\"http://evil.example\")", "\"'=HYPERLINK(\"\"http://evil.example\"\")\""],
    ["+386 1 234", "'+386 1 234"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
  ])("makes %s plain text instead of a formula", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it("leaves empty values empty and numbers as they are", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(1.5)).toBe("1.5");
  });

  it("writes decimals as the viewer's spreadsheet reads them", () => {
    expect(csvNumber(1.5, "sl")).toBe("1,5");
    expect(csvNumber(1.5, "en")).toBe("1.5");
    expect(csvNumber(1234, "sl")).toBe("1234");
  });

  it("streams the byte-order mark and header, then the rows' bytes as they come, and stops its source when cancelled", async () => {
    const header = ["Ime", "Točke"];
    const rows = [new TextEncoder().encode("\"'=1+1\";2\r\n"), new TextEncoder().encode("Čačič;3\r\n")];
    async function* source() {
      yield* rows;
    }
    const chunks: Uint8Array[] = [];
    const stream = csvBytesStream(header, source()).getReader();
    for (let next = await stream.read(); !next.done; next = await stream.read()) chunks.push(next.value);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`${toCsv([header])}"'=1+1";2\r\nČačič;3\r\n`);
    expect(chunks.slice(1)).toEqual(rows);

    let stopped = false;
    async function* endless() {
      try {
        for (;;) yield new Uint8Array([10]);
      } finally {
        stopped = true;
      }
    }
    const reader = csvBytesStream(header, endless()).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(stopped).toBe(true);
  });
});
