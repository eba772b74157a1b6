import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { expect, it } from "vitest";
import { renderCertificatePdf } from "./render-pdf.server.ts";

const data = {
  code: "7K3M9QXR2D5T8V4W",
  holderName: "Čačič Šuštar Žužek Ґалина Їжак",
  courseTitle: { sl: "Prepoznavanje trgovine z ljudmi v zdravstvu", en: "Recognising human trafficking in healthcare" },
  courseVersion: 3,
  issuerName: "Splošna bolnišnica Demo",
  issuedOn: "2026-09-01",
  expiresOn: "2028-09-01",
  cpdCredits: 3,
  cpdCategory: { sl: "Strokovne vsebine", en: "Professional content" },
  verifyUrl: "https://opora.example.org/verify/7K3M9QXR2D5T8V4W",
};

it("renders an A4 landscape page whose text, Slovene and Ukrainian letters included, can be extracted", async () => {
  const bytes = await renderCertificatePdf(data, "sl");
  const document = await PDFDocument.load(bytes);
  expect(document.getPageCount()).toBe(1);
  const { width, height } = document.getPage(0).getSize();
  expect([Math.round(width), Math.round(height)]).toEqual([842, 595]);

  const file = join(mkdtempSync(join(tmpdir(), "opora-pdf-")), "certificate.pdf");
  writeFileSync(file, bytes);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain("Čačič Šuštar Žužek Ґалина Їжак");
  expect(text).toContain("Potrdilo o opravljenem usposabljanju");
  expect(text).toContain("Prepoznavanje trgovine z ljudmi v zdravstvu");
  expect(text).toContain("7K3M-9QXR-2D5T-8V4W");
  expect(text).toContain("1. september 2028");
  expect(text).toContain("https://opora.example.org/verify/7K3M9QXR2D5T8V4W");
});

it("follows the holder's language", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "opora-pdf-")), "certificate.pdf");
  writeFileSync(file, await renderCertificatePdf(data, "en"));
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  expect(text).toContain("Certificate of completion");
  expect(text).toContain("Recognising human trafficking in healthcare");
  expect(text).toContain("1 September 2028");
});
