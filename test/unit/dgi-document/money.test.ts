import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { Money, money, round2, text2 } from '../../../domain/dgi-document/money.js';

/** fepa's BigInt amounts against decimal.js (an independent exact implementation) as the oracle. */
const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
const amountText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return negative && units !== 0n ? `-${text}` : text;
  });

describe('Money (exact decimal amounts)', () => {
  it('adds, subtracts, multiplies, compares and rounds exactly as decimal.js does', () => {
    fc.assert(
      fc.property(amountText, amountText, fc.integer({ min: 0, max: 8 }), (a, b, places) => {
        const [x, y] = [money(a), money(b)];
        const [dx, dy] = [new D(a), new D(b)];
        assert.equal(x.plus(y).toFixed(), dx.plus(dy).toFixed());
        assert.equal(x.minus(y).toFixed(), dx.minus(dy).toFixed());
        assert.equal(x.times(y).toFixed(), dx.times(dy).toFixed());
        assert.equal(x.eq(y), dx.eq(dy));
        assert.equal(x.gt(y), dx.gt(dy));
        assert.equal(x.lte(y), dx.lte(dy));
        assert.equal(x.decimalPlaces(), dx.decimalPlaces());
        // decimal.js writes a negative amount that rounds to zero as "-0.00"; an amount has no negative zero.
        assert.equal(
          x.toFixed(places),
          dx.toFixed(places, Decimal.ROUND_HALF_UP).replace(/^-(0(\.0+)?)$/, '$1'),
        );
        assert.equal(x.abs().toFixed(), dx.abs().toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('rounds half-up, ties away from zero, as the DGI amounts show', () => {
    assert.equal(round2(money('0.175328')).toFixed(2), '0.18');
    assert.equal(money('0.08766352').toDecimalPlaces(6).toFixed(), '0.087664');
    assert.equal(text2(money('0.845')), '0.85');
    assert.equal(text2(money('-0.845')), '-0.85');
    assert.equal(text2(money('2.504672')), '2.50');
    assert.equal(money('17').toFixed(2), '17.00');
  });

  it('refuses text that is not a decimal amount', () => {
    for (const bad of ['', '.', '1e5', '1,5', 'abc', '--1'])
      assert.throws(() => Money.parse(bad), /not a decimal/);
  });
});
