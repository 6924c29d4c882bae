import PDFDocument from 'pdfkit';
import { qrModules } from './qr-vector.js';
import type { CafeModel } from './cafe-model.js';
import { drawLetter, LETTER_SIZE } from './letter-template.js';
import { drawRoll } from './roll-template.js';
import type { Pdf } from './pdf-text.js';

const MM = 72 / 25.4;
/** PDF viewers and printers refuse pages longer than 200 inches; a longer roll continues on a new page. */
const MAX_PAGE_PT = 14_000;

/** The printed formats. `iFormCAFE` 2 (paper tape) is `roll` or `roll58`, 3 (letter) is `letter`. */
export const CAFE_FORMATS = ['roll', 'roll58', 'letter'] as const;
export type CafeFormat = (typeof CAFE_FORMATS)[number];

/**
 * The format a signed document asks for in `iFormCAFE` (2 paper tape, 3 letter); letter when it asks for
 * none (1). Read with a pattern: the element is a single digit, and the caller holds only the XML text.
 */
export function formatOfSignedXml(xml: string): CafeFormat {
  return /<iFormCAFE>\s*2\s*<\/iFormCAFE>/.test(xml) ? 'roll' : 'letter';
}

function newPdf(size: [number, number], margin: number): Pdf {
  return new PDFDocument({
    size,
    margin,
    info: { Title: 'CAFE', Creator: 'fepa', Producer: 'fepa' },
    // Byte-stable output for the same input: no creation date, no random id.
    pdfVersion: '1.7',
  });
}

function collect(doc: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A CAFE as PDF bytes, in `format`. One model, one template per format. */
export async function renderCafe(cafe: CafeModel, format: CafeFormat): Promise<Buffer> {
  const qr = cafe.provisional ? undefined : qrModules(cafe.qrCode);
  if (format === 'letter') {
    const doc = newPdf(LETTER_SIZE, 42);
    drawLetter(doc, cafe, qr);
    return collect(doc);
  }
  const paper = { name: format, widthMm: format === 'roll58' ? 58 : 80 };
  const width = paper.widthMm * MM;
  // A tape is as long as its content: lay it out once to measure, then on a page of that length.
  const measure = newPdf([width, MAX_PAGE_PT], 0);
  drawRoll(measure, cafe, qr, paper);
  const length = Math.min(MAX_PAGE_PT, Math.ceil(measure.y) + 1);
  measure.end();
  const doc = newPdf([width, length], 0);
  drawRoll(doc, cafe, qr, paper);
  return collect(doc);
}
