import type { PDFFont } from "pdf-lib";
import { formatCalendarDay, pick, translator, type Locale } from "~/i18n/index.ts";
import { formatCertificateCode } from "./code.ts";
import { newPdfDocument } from "./pdf-toolkit.server.ts";

/** The QR code as one vector path of its dark modules: crisp at any print size, and no image to encode. */
async function qrPath(text: string) {
  const { default: QRCode } = await import("qrcode");
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
    }
  }
  return { path: parts.join(""), size: modules.size };
}

export type CertificatePdfData = {
  code: string;
  holderName: string;
  courseTitle: Partial<Record<string, string>>;
  courseVersion: number;
  issuerName: string;
  issuedOn: string;
  expiresOn: string;
  cpdCredits: number;
  cpdCategory: Partial<Record<string, string>>;
  verifyUrl: string;
};

/** A4 landscape, printable in black and white; text is real text (searchable, copyable). */
export async function renderCertificatePdf(data: CertificatePdfData, locale: Locale) {
  const t = translator(locale);
  const { pdf, rgb, fonts } = await newPdfDocument();
  pdf.setTitle(`${t("certificate.title")} ${formatCertificateCode(data.code)}`);
  pdf.setAuthor(data.issuerName);
  pdf.setCreator("Opora");
  pdf.setLanguage(locale === "sl" ? "sl-SI" : "en-GB");
  const regular = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const page = pdf.addPage([841.89, 595.28]);
  const { width, height } = page.getSize();
  const ink = rgb(0.1, 0.12, 0.16);
  const accent = rgb(0.06, 0.46, 0.43);
  const muted = rgb(0.33, 0.36, 0.4);

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: accent, borderWidth: 2 });
  page.drawRectangle({ x: 32, y: 32, width: width - 64, height: height - 64, borderColor: accent, borderWidth: 0.5 });

  const centred = (text: string, y: number, font: PDFFont, size: number, color = ink) => {
    let fontSize = size;
    while (font.widthOfTextAtSize(text, fontSize) > width - 140 && fontSize > 9) fontSize -= 0.5;
    page.drawText(text, { x: (width - font.widthOfTextAtSize(text, fontSize)) / 2, y, size: fontSize, font, color });
  };

  centred("OPORA", height - 90, bold, 14, accent);
  centred(t("certificate.title"), height - 135, bold, 30);
  centred(t("certificate.awardedTo"), height - 180, regular, 13, muted);
  centred(data.holderName, height - 222, bold, 28);
  centred(t("certificate.completed"), height - 262, regular, 13, muted);
  centred(pick(data.courseTitle, locale), height - 296, bold, 18);
  centred(t("certificate.version", { version: data.courseVersion }), height - 318, regular, 10, muted);

  const rows: Array<[string, string]> = [
    [t("certificate.issuer"), data.issuerName],
    [t("certificate.issued"), formatCalendarDay(data.issuedOn, locale)],
    [t("certificate.validUntil"), formatCalendarDay(data.expiresOn, locale)],
    [t("certificate.cpd"), `${data.cpdCredits} · ${pick(data.cpdCategory, locale)}`],
    [t("certificate.code"), formatCertificateCode(data.code)],
  ];
  let y = 200;
  for (const [label, value] of rows) {
    page.drawText(label, { x: 90, y, size: 10, font: regular, color: muted });
    page.drawText(value, { x: 250, y, size: 11, font: bold, color: ink });
    y -= 22;
  }

  // 120 pt square with a one-module quiet zone; drawSvgPath's origin is the top left, y down.
  const qr = await qrPath(data.verifyUrl);
  const module = 120 / (qr.size + 2);
  page.drawRectangle({ x: width - 90 - 120, y: 70, width: 120, height: 120, color: rgb(1, 1, 1) });
  page.drawSvgPath(qr.path, { x: width - 90 - 120 + module, y: 70 + 120 - module, scale: module, color: rgb(0, 0, 0), borderWidth: 0 });
  page.drawText(t("certificate.verifyAt"), { x: 90, y: 74, size: 8, font: regular, color: muted });
  page.drawText(data.verifyUrl, { x: 90, y: 62, size: 8, font: regular, color: muted });
  return pdf.save();
}
