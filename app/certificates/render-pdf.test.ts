import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PDFDocument } from "pdf-lib";
import jsQR from "jsqr";
import { PNG } from "pngjs";
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

// The look of the certificate, pinned: the PDF rendered by poppler at 60 dpi, compared pixel by
// pixel with tests/fixtures/golden/certificate-sl.png. Small anti-aliasing differences pass; a
// moved, missing or restyled element does not. After an intended change, regenerate it with
// UPDATE_GOLDEN=1 npx vitest run app/certificates/render-pdf.test.ts, and look at it.
it("looks like the approved certificate", async () => {
  const dir = mkdtempSync(join(tmpdir(), "opora-pdf-"));
  writeFileSync(join(dir, "certificate.pdf"), await renderCertificatePdf(data, "sl"));
  execFileSync("pdftoppm", ["-r", "60", "-png", "-singlefile", join(dir, "certificate.pdf"), join(dir, "page")]);
  const rendered = PNG.sync.read(readFileSync(join(dir, "page.png")));
  const goldenPath = new URL("../../tests/fixtures/golden/certificate-sl.png", import.meta.url).pathname;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(goldenPath), { recursive: true });
    copyFileSync(join(dir, "page.png"), goldenPath);
  }
  // A phone camera would take the reader to the verification page.
  execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", join(dir, "certificate.pdf"), join(dir, "large")]);
  const large = PNG.sync.read(readFileSync(join(dir, "large.png")));
  expect(jsQR(new Uint8ClampedArray(large.data), large.width, large.height)?.data).toBe(data.verifyUrl);
  const golden = PNG.sync.read(readFileSync(goldenPath));
  expect([rendered.width, rendered.height]).toEqual([golden.width, golden.height]);
  let differing = 0;
  for (let i = 0; i < golden.data.length; i += 4) {
    const delta = Math.max(Math.abs(golden.data[i] - rendered.data[i]), Math.abs(golden.data[i + 1] - rendered.data[i + 1]), Math.abs(golden.data[i + 2] - rendered.data[i + 2]));
    if (delta > 48) differing++;
  }
  const share = differing / (golden.width * golden.height);
  expect(share, `${(share * 100).toFixed(2)}% of pixels differ from the golden image`).toBeLessThan(0.005);
});
