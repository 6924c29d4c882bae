import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cafeModel,
  LEGEND_CONTINGENCY,
  LEGEND_PENDING,
  LEGEND_PROVISIONAL,
  provisionalCafeModel,
} from '../../../domain/cafe/cafe-model.js';
import { renderCafe } from '../../../domain/cafe/render-cafe.js';
import { readRfe, validateDocument, writeCanonicalRfe } from '../../../domain/dgi-document/index.js';
import { exampleFiles, fixedSecurityCode, loadExample, signForTests } from '../../helpers/dgi-fixtures.js';
import { decodeQrCodes, pdfPageSizesMm, pdfText } from '../../helpers/pdf-tools.js';

const AUTHORIZATION = { protocol: '20250000000000012345', authorizedAt: '2025-03-10T10:16:00-05:00' };

async function signedExample(name: string): Promise<string> {
  const validated = validateDocument(await loadExample(name), { securityCode: fixedSecurityCode });
  if (!validated.ok) throw new Error(`${name}: ${JSON.stringify(validated.issues)}`);
  return signForTests(validated.document).xml;
}

/** Text without the line breaks and spaces a layout adds (a CUFE wraps on a roll). */
const squeezed = (text: string) => text.replace(/\s+/g, '');

describe('CAFE of every example document, in both formats, read back by independent tools', async () => {
  for (const name of await exampleFiles()) {
    test(name, async () => {
      const xml = await signedExample(name);
      const read = readRfe(xml);
      assert.ok(read.ok && read.qrCode);
      const model = cafeModel(xml, AUTHORIZATION);
      for (const format of ['roll', 'letter'] as const) {
        const pdf = await renderCafe(model, format);
        // The QR decoded from the printed image is gNoFirm/dQRCode, byte for byte.
        assert.deepEqual(await decodeQrCodes(pdf), [read.qrCode], `${format}: QR`);
        const text = await pdfText(pdf);
        assert.ok(squeezed(text).includes(model.cufe), `${format}: the CUFE is printed`);
        assert.ok(text.includes(AUTHORIZATION.protocol), `${format}: the protocol is printed`);
        assert.match(
          text,
          new RegExp(`TOTAL\\s+${model.totals.total.replace('.', '\\.')}`),
          `${format}: total`,
        );
        assert.ok(squeezed(text).includes(squeezed(model.receiver.name)), `${format}: receiver`);
        assert.ok(!text.includes(LEGEND_PENDING), `${format}: an authorized document has no pending legend`);
        const sizes = await pdfPageSizesMm(pdf);
        if (format === 'roll')
          for (const s of sizes)
            assert.ok(Math.abs(s.width - 80) < 0.1, `roll is 80 mm wide, got ${s.width}`);
        else
          for (const s of sizes)
            assert.ok(Math.abs(s.width - 215.9) < 0.1 && Math.abs(s.height - 279.4) < 0.1);
      }
    });
  }
});

test('CAFE before authorization says so, and a contingency document says it was issued in contingency', async () => {
  const xml = await signedExample('contingency-invoice.json');
  const model = cafeModel(xml);
  assert.equal(model.authorization, undefined);
  const text = await pdfText(await renderCafe(model, 'roll'));
  assert.ok(text.includes(LEGEND_PENDING), text);
  assert.ok(text.includes(LEGEND_CONTINGENCY), text);
  assert.ok(!/Protocolo de autorizaci/.test(text));
});

test('58 mm roll: narrower paper, the QR still reads', async () => {
  const xml = await signedExample('invoice-pos-6-decimals.json');
  const model = cafeModel(xml, AUTHORIZATION);
  const pdf = await renderCafe(model, 'roll58');
  const [size] = await pdfPageSizesMm(pdf);
  assert.ok(Math.abs(size!.width - 58) < 0.1);
  assert.deepEqual(await decodeQrCodes(pdf, 300), [model.qrCode]);
});

test('6-decimal line amounts print as signed, trailing zeros trimmed to 2 decimals', async () => {
  const model = cafeModel(await signedExample('invoice-pos-6-decimals.json'), AUTHORIZATION);
  assert.ok(
    model.items.some((i) => i.unitPrice === '1.252336'),
    JSON.stringify(model.items),
  );
  assert.ok(model.items.every((i) => /^\d+\.\d{2,6}$/.test(i.lineTotal)));
});

test('notes name the document they correct (04: the CUFE of the FE)', async () => {
  const model = cafeModel(await signedExample('credit-note.json'), AUTHORIZATION);
  assert.equal(model.references.length, 1);
  assert.match(model.references[0]!.value, /^FE01/);
  const text = squeezed(await pdfText(await renderCafe(model, 'letter')));
  assert.ok(text.includes(model.references[0]!.value));
});

test('a PAC legend is printed when the company has one', async () => {
  const model = cafeModel(await signedExample('invoice-spec-example.json'), {
    ...AUTHORIZATION,
    pacLegend: 'Autorizado por PAC de prueba, resolución 201-0000',
  });
  assert.ok((await pdfText(await renderCafe(model, 'roll'))).includes('resolución 201-0000'));
});

test('an unsigned document or broken XML has no CAFE: a clear error', async () => {
  assert.throws(() => cafeModel('<rFE>'), /cannot be read as an rFE/);
  const signed = await signedExample('invoice-spec-example.json');
  const unsigned = signed.replace(/<Signature[\s\S]*<\/gNoFirm>/, '');
  assert.throws(() => cafeModel(unsigned), /needs the signed document/);
});

describe('the provisional copy of a document nobody could sign yet (issue #27 §3)', () => {
  test('what was sold, with no CUFE and no QR, and saying it is not a fiscal document yet', async () => {
    const validated = validateDocument(await loadExample('invoice-spec-example.json'), {
      securityCode: fixedSecurityCode,
    });
    assert.ok(validated.ok);
    const unsigned = writeCanonicalRfe(validated.document);
    const model = provisionalCafeModel(unsigned, {});
    assert.equal(model.provisional, true);
    assert.equal(model.cufe, '');
    assert.ok(model.legends.includes(LEGEND_PROVISIONAL) && model.legends.includes(LEGEND_PENDING));
    for (const format of ['roll', 'letter'] as const) {
      const pdf = await renderCafe(model, format);
      assert.deepEqual(await decodeQrCodes(pdf), [], `${format}: no QR`);
      const text = squeezed(await pdfText(pdf));
      assert.ok(!text.includes(validated.document.dId), `${format}: the CUFE fepa computed is not shown`);
      assert.ok(text.includes(squeezed(LEGEND_PROVISIONAL)), `${format}: the legend`);
      assert.ok(text.includes(squeezed(model.totals.total)), `${format}: the total`);
    }
    assert.throws(() => cafeModel(unsigned), /signed document/, 'never a CAFE from an unsigned document');
  });
});
