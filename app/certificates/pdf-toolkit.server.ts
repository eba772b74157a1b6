import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// pdf-lib, fontkit and the DejaVu Sans files take about 20 MB of a server process once loaded, and
// only certificate and transcript PDFs use them: they load with the first such PDF, not at start-up.
const require = createRequire(import.meta.url);

async function load() {
  const [{ PDFDocument, rgb }, { default: fontkit }] = await Promise.all([import("pdf-lib"), import("@pdf-lib/fontkit")]);
  // DejaVu Sans as whole TTF files: every Slovene and Ukrainian glyph is in one font (packages that
  // split a font by script into subset files would drop Č or Ґ depending on which file loads).
  const fonts = {
    regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
    bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
  };
  return { PDFDocument, rgb, fontkit, fonts };
}

let loaded: ReturnType<typeof load> | undefined;

/** A new PDF document with fontkit registered, and the fonts to embed in it. */
export async function newPdfDocument() {
  loaded ??= load();
  const { PDFDocument, rgb, fontkit, fonts } = await loaded;
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  return { pdf, rgb, fonts };
}
