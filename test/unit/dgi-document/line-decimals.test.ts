import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readRfe, validateDocument, writeCanonicalRfe } from '../../../domain/dgi-document/index.js';
import { money, sum, round2 } from '../../../domain/dgi-document/money.js';
import type { LineDecimals } from '../../../domain/dgi-document/rounding.js';
import { loadExample } from '../../helpers/dgi-fixtures.js';

/**
 * The seller's rounding (issue #27 §1): item amounts computed at 2 or 6 decimals, totals the 2-decimal sums of
 * the item amounts written. The DGI's 2019 sample rounds per line (0.8575 → 0.86, 0.2884 → 0.29); production POS
 * invoices carry 6 decimals.
 */
const example = await loadExample('invoice-line-rounding.json');
const decimalsOf = (text: string) => text.split('.')[1]?.replace(/0+$/, '').length ?? 0;

describe("the seller's rounding convention", () => {
  it('the line-rounding example: 0.8575 and 0.2884 become 0.86 and 0.29 with 2, and the totals follow', () => {
    const six = validateDocument(example, { lineDecimals: 6 });
    const two = validateDocument(example, { lineDecimals: 2 });
    assert.ok(six.ok && two.ok);
    assert.deepEqual(
      six.document.gItem.map((i) => i.gITBMSItem.dValITBMS),
      ['0.8575', '0.2877', '0.2884'],
    );
    assert.deepEqual(
      two.document.gItem.map((i) => i.gITBMSItem.dValITBMS),
      ['0.86', '0.29', '0.29'],
    );
    assert.deepEqual([six.document.gTot.dTotITBMS, six.document.gTot.dVTot], ['1.43', '21.91']);
    assert.deepEqual([two.document.gTot.dTotITBMS, two.document.gTot.dVTot], ['1.44', '21.92']);
  });

  it('either convention: item amounts within its decimals, totals the sums of what is written, read back the same (property)', () => {
    const item = fc.record({
      quantity: fc.integer({ min: 1, max: 40 }),
      cents: fc.integer({ min: 1, max: 99_999 }),
      rate: fc.constantFrom('00', '01', '02', '03'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<LineDecimals>(2, 6),
        fc.array(item, { minLength: 1, maxLength: 12 }),
        (decimals, items) => {
          const input = {
            ...example,
            gItem: items.map((it, i) => ({
              dDescProd: `Articulo ${i + 1}`,
              cUnidad: 'und',
              dCantCodInt: String(it.quantity),
              gPrecios: { dPrUnit: (it.cents / 100).toFixed(2) },
              gITBMSItem: { dTasaITBMS: it.rate },
            })),
            gTot: { iPzPag: '1', gFormaPago: [{ iFormaPago: '02' }] },
          };
          const built = validateDocument(input, { lineDecimals: decimals });
          assert.ok(built.ok, JSON.stringify(!built.ok && built.issues.slice(0, 2)));
          const d = built.document;
          for (const line of d.gItem) {
            for (const amount of [
              line.gPrecios.dPrItem!,
              line.gITBMSItem.dValITBMS!,
              line.gPrecios.dValTotItem!,
            ])
              assert.ok(decimalsOf(amount) <= decimals, `${amount} has more than ${decimals} decimals`);
          }
          assert.equal(
            d.gTot.dTotITBMS,
            round2(sum(d.gItem.map((l) => money(l.gITBMSItem.dValITBMS)))).toFixed(2),
          );
          assert.equal(
            d.gTot.dVTotItems,
            round2(sum(d.gItem.map((l) => money(l.gPrecios.dValTotItem)))).toFixed(2),
          );
          // What was written is accepted again as it stands, whichever convention reads it.
          const read = readRfe(writeCanonicalRfe(d));
          assert.ok(read.ok);
          for (const again of [2, 6] as const)
            assert.ok(validateDocument(read.document, { lineDecimals: again }).ok);
        },
      ),
      { numRuns: 300 },
    );
  });
});
