import { drawQr, type QrModules } from './qr-vector.js';
import type { CafeModel } from './cafe-model.js';
import { cufeLines, printable, row, rule, type Pdf } from './pdf-text.js';

const LETTER = { width: 612, height: 792 };
const MARGIN = 42;

/** Columns of the items table: x offset, width, alignment. */
const COLUMNS = [
  { title: 'Descripción', width: 0.42, align: 'left' },
  { title: 'Cant.', width: 0.1, align: 'right' },
  { title: 'Precio', width: 0.13, align: 'right' },
  { title: 'Desc.', width: 0.1, align: 'right' },
  { title: 'ITBMS', width: 0.09, align: 'right' },
  { title: 'Total', width: 0.16, align: 'right' },
] as const;

export const LETTER_SIZE: [number, number] = [LETTER.width, LETTER.height];

function tableRow(doc: Pdf, cells: string[], box: { x: number; width: number }, font: string) {
  const y = doc.y;
  let x = box.x;
  let bottom = y;
  doc.font(font).fontSize(8);
  COLUMNS.forEach((col, i) => {
    const width = col.width * box.width;
    doc.text(printable(cells[i] ?? ''), x + 2, y, { width: width - 4, align: col.align });
    bottom = Math.max(bottom, doc.y);
    x += width;
  });
  doc.y = bottom + 2;
  doc.x = box.x;
}

/** US letter, as an ERP sends it: header in two columns, an items table, totals, then QR and CUFE. */
export function drawLetter(doc: Pdf, cafe: CafeModel, qr: QrModules | undefined): void {
  const box = { x: MARGIN, width: LETTER.width - 2 * MARGIN };
  const half = box.width / 2 - 8;
  const top = MARGIN;

  doc.font('Helvetica-Bold').fontSize(12).text(printable(cafe.emitter.name), box.x, top, { width: half });
  doc.font('Helvetica').fontSize(9);
  doc.text(printable(`RUC ${cafe.emitter.rucDv}`), { width: half });
  doc.text(printable(cafe.emitter.address), { width: half });
  doc.text(printable(`Sucursal ${cafe.emitter.branch}   Tel. ${cafe.emitter.phones.join(', ')}`), {
    width: half,
  });
  const leftBottom = doc.y;

  const right = { x: box.x + box.width / 2 + 8, width: half };
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(printable(cafe.title), right.x, top, { width: half, align: 'right' });
  doc.fontSize(10).text(`No. ${cafe.number.branch}-${cafe.number.pointOfSale}-${cafe.number.number}`, {
    width: half,
    align: 'right',
  });
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(`Fecha de emisión: ${cafe.issuedAt}`, { width: half, align: 'right' });
  doc.y = Math.max(leftBottom, doc.y) + 6;
  rule(doc, box);

  doc.font('Helvetica-Bold').fontSize(9).text('Cliente', box.x, doc.y, { width: box.width });
  doc.font('Helvetica').text(printable(cafe.receiver.name), { width: box.width });
  if (cafe.receiver.id) doc.text(printable(cafe.receiver.id), { width: box.width });
  rule(doc, box);

  tableRow(
    doc,
    COLUMNS.map((c) => c.title),
    box,
    'Helvetica-Bold',
  );
  for (const item of cafe.items) {
    if (doc.y > LETTER.height - MARGIN - 30) {
      doc.addPage({ size: LETTER_SIZE, margin: MARGIN });
      tableRow(
        doc,
        COLUMNS.map((c) => c.title),
        box,
        'Helvetica-Bold',
      );
    }
    tableRow(
      doc,
      [
        item.code ? `${item.description} [${item.code}]` : item.description,
        item.quantity,
        item.unitPrice,
        item.discount ?? '',
        item.itbmsRate,
        item.lineTotal,
      ],
      box,
      'Helvetica',
    );
  }
  rule(doc, box);

  // Totals on the right half; payments on the left, side by side.
  const totalsTop = doc.y;
  const totals = { x: box.x + box.width / 2, width: box.width / 2 };
  doc.font('Helvetica').fontSize(9);
  row(doc, 'Subtotal', cafe.totals.net, totals);
  if (cafe.totals.discounts) row(doc, 'Descuentos', `-${cafe.totals.discounts}`, totals);
  for (const r of cafe.totals.itbmsByRate) row(doc, `ITBMS ${r.rate} sobre ${r.base}`, r.tax, totals);
  row(doc, 'Total ITBMS', cafe.totals.itbms, totals);
  if (cafe.totals.isc) row(doc, 'ISC', cafe.totals.isc, totals);
  doc.fontSize(11);
  row(doc, 'TOTAL', cafe.totals.total, totals, { left: 'Helvetica-Bold', right: 'Helvetica-Bold' });
  const totalsBottom = doc.y;
  doc.y = totalsTop;
  const payments = { x: box.x, width: box.width / 2 - 16 };
  doc.font('Helvetica-Bold').fontSize(9).text('Forma de pago', payments.x, doc.y, { width: payments.width });
  doc.font('Helvetica');
  for (const p of cafe.payments) row(doc, p.method, p.amount, payments);
  if (cafe.totals.change) row(doc, 'Cambio', cafe.totals.change, payments);
  doc.y = Math.max(doc.y, totalsBottom);

  for (const ref of cafe.references) {
    rule(doc, box);
    doc.font('Helvetica-Bold').fontSize(9).text(printable(ref.label), box.x, doc.y, { width: box.width });
    doc.font('Courier').text(printable(ref.value), { width: box.width });
    doc.font('Helvetica').text(printable(`${ref.issuer}, ${ref.issuedAt}`), { width: box.width });
  }
  rule(doc, box);

  if (cafe.provisional || !qr) {
    // Nobody has signed it yet: no CUFE, no QR, only what the copy is.
    doc.font('Helvetica-Bold').fontSize(10);
    for (const legend of cafe.legends) doc.text(printable(legend), box.x, doc.y, { width: box.width });
    return;
  }
  // Footer: QR on the left, what identifies the document on the right; kept together on one page.
  const qrSize = 120;
  if (doc.y + qrSize + 20 > LETTER.height - MARGIN) doc.addPage({ size: LETTER_SIZE, margin: MARGIN });
  const footerTop = doc.y + 4;
  drawQr(doc, qr, box.x, footerTop, qrSize);
  const text = { x: box.x + qrSize + 16, width: box.width - qrSize - 16 };
  doc.font('Helvetica-Bold').fontSize(9).text('CUFE', text.x, footerTop, { width: text.width });
  doc.font('Courier').fontSize(8);
  for (const line of cufeLines(doc, cafe.cufe, text.width))
    doc.text(line, text.x, doc.y, { width: text.width });
  doc.moveDown(0.4);
  doc.font('Helvetica').fontSize(9);
  if (cafe.authorization) {
    doc.text(`Protocolo de autorización: ${cafe.authorization.protocol}`, { width: text.width });
    if (cafe.authorization.at)
      doc.text(`Fecha de autorización: ${cafe.authorization.at}`, { width: text.width });
  }
  doc.font('Helvetica-Bold');
  for (const legend of cafe.legends) doc.text(printable(legend), { width: text.width });
  doc.moveDown(0.4);
  doc.font('Helvetica').fontSize(8).text('Consulte este documento en:', { width: text.width });
  doc.text(cafe.consultUrl, { width: text.width });
  doc.y = Math.max(doc.y, footerTop + qrSize);
}
