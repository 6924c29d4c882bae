import QRCode from 'qrcode';
import type { Pdf } from './pdf-text.js';

/** The QR's modules: `size` × `size`, dark where `dark[row * size + col]` is 1. */
export interface QrModules {
  size: number;
  dark: Uint8Array;
}

/** The QR of `gNoFirm/dQRCode`, its exact bytes (error correction M, as DGI samples print it). */
export function qrModules(qrCode: string): QrModules {
  const { modules } = QRCode.create([{ data: Buffer.from(qrCode, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  return { size: modules.size, dark: modules.data };
}

/**
 * Draws the QR as vector squares, one rectangle per run of dark modules in a row, inside a white quiet zone
 * of two modules: sharp at any printer's resolution, and about twenty times cheaper than encoding a PNG.
 */
export function drawQr(doc: Pdf, qr: QrModules, x: number, y: number, size: number): void {
  const quiet = 2;
  const unit = size / (qr.size + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.dark[row * qr.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.dark[row * qr.size + col]) col++;
      // A hair of overlap closes the seams some renderers leave between touching rectangles.
      doc.rect(
        x + (quiet + start) * unit,
        y + (quiet + row) * unit,
        (col - start) * unit + 0.01,
        unit + 0.01,
      );
    }
  }
  doc.fill('#000000');
  doc.restore();
}
