import { drawQr, type QrModules } from './qr-vector.js';
import type { CafeModel } from './cafe-model.js';
import { cufeLines, printable, row, rule, type Pdf } from './pdf-text.js';

const MM = 72 / 25.4;

export interface RollTemplate {
  name: string;
  /** Paper width in mm (80 or 58). */
  widthMm: number;
}

/** Paper tape for a POS printer: one column, everything centered or in label/amount rows. */
export function drawRoll(doc: Pdf, cafe: CafeModel, qr: QrModules | undefined, paper: RollTemplate): void {
  const margin = 3 * MM;
  const box = { x: margin, width: paper.widthMm * MM - 2 * margin };
  const small = paper.widthMm < 70 ? 6.5 : 7.5;
  const normal = small + 1;
  const center = (text: string, font = 'Helvetica', size = normal) =>
    doc.font(font).fontSize(size).text(printable(text), box.x, doc.y, { width: box.width, align: 'center' });

  doc.y = margin;
  center(cafe.emitter.name, 'Helvetica-Bold', normal + 1);
  center(`RUC ${cafe.emitter.rucDv}`, 'Helvetica', small);
  center(cafe.emitter.address, 'Helvetica', small);
  center(`Sucursal ${cafe.emitter.branch}  Tel. ${cafe.emitter.phones.join(', ')}`, 'Helvetica', small);
  rule(doc, box);
  center(cafe.title, 'Helvetica-Bold', normal);
  center(
    `No. ${cafe.number.branch}-${cafe.number.pointOfSale}-${cafe.number.number}`,
    'Helvetica-Bold',
    normal,
  );
  center(`Fecha de emisión: ${cafe.issuedAt}`, 'Helvetica', small);
  doc.moveDown(0.3);
  doc.font('Helvetica').fontSize(small);
  doc.text(printable(`Cliente: ${cafe.receiver.name}`), box.x, doc.y, { width: box.width });
  if (cafe.receiver.id) doc.text(printable(cafe.receiver.id), { width: box.width });
  rule(doc, box, true);

  for (const item of cafe.items) {
    doc.font('Helvetica').fontSize(small);
    doc.text(printable(item.code ? `${item.description} [${item.code}]` : item.description), box.x, doc.y, {
      width: box.width,
    });
    row(doc, `  ${item.quantity} x ${item.unitPrice}  ITBMS ${item.itbmsRate}`, item.lineTotal, box);
    if (item.discount) row(doc, `  Descuento por unidad`, `-${item.discount}`, box);
  }
  rule(doc, box, true);

  doc.font('Helvetica').fontSize(small);
  row(doc, 'Subtotal', cafe.totals.net, box);
  if (cafe.totals.discounts) row(doc, 'Descuentos', `-${cafe.totals.discounts}`, box);
  for (const r of cafe.totals.itbmsByRate) row(doc, `ITBMS ${r.rate} sobre ${r.base}`, r.tax, box);
  row(doc, 'Total ITBMS', cafe.totals.itbms, box);
  if (cafe.totals.isc) row(doc, 'ISC', cafe.totals.isc, box);
  doc.fontSize(normal + 1);
  row(doc, 'TOTAL', cafe.totals.total, box, { left: 'Helvetica-Bold', right: 'Helvetica-Bold' });
  doc.font('Helvetica').fontSize(small);
  for (const p of cafe.payments) row(doc, p.method, p.amount, box);
  if (cafe.totals.change) row(doc, 'Cambio', cafe.totals.change, box);

  for (const ref of cafe.references) {
    rule(doc, box, true);
    doc.font('Helvetica-Bold').text(printable(ref.label), box.x, doc.y, { width: box.width });
    doc.font('Courier').text(printable(ref.value), { width: box.width });
    doc.font('Helvetica').text(printable(`${ref.issuer}, ${ref.issuedAt}`), { width: box.width });
  }
  rule(doc, box);

  if (cafe.provisional || !qr) {
    // Nobody has signed it yet: no CUFE, no QR, only what the copy is.
    for (const legend of cafe.legends) center(legend, 'Helvetica-Bold', small);
    doc.y += margin;
    return;
  }
  center('CUFE', 'Helvetica-Bold', small);
  doc.font('Courier').fontSize(small);
  for (const line of cufeLines(doc, cafe.cufe, box.width)) center(line, 'Courier', small);
  doc.moveDown(0.3);
  if (cafe.authorization) {
    center(`Protocolo de autorización: ${cafe.authorization.protocol}`, 'Helvetica', small);
    if (cafe.authorization.at) center(`Fecha de autorización: ${cafe.authorization.at}`, 'Helvetica', small);
  }
  for (const legend of cafe.legends) center(legend, 'Helvetica-Bold', small);

  const qrSize = Math.min(box.width, (paper.widthMm < 70 ? 40 : 50) * MM);
  doc.moveDown(0.5);
  const qrY = doc.y;
  drawQr(doc, qr, box.x + (box.width - qrSize) / 2, qrY, qrSize);
  doc.y = qrY + qrSize + 4;
  center('Consulte este documento en:', 'Helvetica', small - 0.5);
  center(cafe.consultUrl, 'Helvetica', small - 1);
  doc.y += margin;
}
