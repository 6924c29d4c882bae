import type PDFDocument from 'pdfkit';

export type Pdf = InstanceType<typeof PDFDocument>;

/**
 * Text the PDF's built-in fonts can print. They carry WinAnsi (Spanish accents, ñ, ¿¡, €…); anything else
 * is decomposed to its base letter when it has one ("ő" → "o"), else printed as "?".
 */
export function printable(text: string): string {
  return [...text]
    .map((ch) => {
      if (WIN_ANSI.has(ch)) return ch;
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      return [...base].every((c) => WIN_ANSI.has(c)) && base ? base : '?';
    })
    .join('');
}

const WIN_ANSI = new Set<string>([
  '\n',
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => String.fromCharCode(0xa0 + i)),
  ...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ',
]);

/** A line with `left` flowing on the left and `right` aligned to the right edge, then the cursor below both. */
export function row(
  doc: Pdf,
  left: string,
  right: string,
  box: { x: number; width: number },
  font?: { left?: string; right?: string },
): void {
  const y = doc.y;
  const rightWidth = doc.widthOfString(printable(right)) + 4;
  if (font?.left) doc.font(font.left);
  doc.text(printable(left), box.x, y, { width: Math.max(10, box.width - rightWidth) });
  const afterLeft = doc.y;
  if (font?.right) doc.font(font.right);
  doc.text(printable(right), box.x, y, { width: box.width, align: 'right' });
  doc.y = Math.max(afterLeft, doc.y);
  doc.x = box.x;
}

/** A horizontal rule across the box, with some air. */
export function rule(doc: Pdf, box: { x: number; width: number }, dashed = false): void {
  doc.moveDown(0.3);
  if (dashed) doc.dash(2, { space: 2 });
  doc
    .moveTo(box.x, doc.y)
    .lineTo(box.x + box.width, doc.y)
    .lineWidth(0.5)
    .stroke();
  doc.undash();
  doc.moveDown(0.3);
}

/** The CUFE broken into equal chunks that fit the width in `font` at `size` (it has no spaces to break at). */
export function cufeLines(doc: Pdf, cufe: string, width: number): string[] {
  let perLine = cufe.length;
  while (perLine > 8 && doc.widthOfString(cufe.slice(0, perLine)) > width)
    perLine = Math.ceil(perLine / 2) + 1;
  const lines: string[] = [];
  for (let i = 0; i < cufe.length; i += perLine) lines.push(cufe.slice(i, i + perLine));
  return lines;
}
