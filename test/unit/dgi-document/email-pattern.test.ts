import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EMAIL_PATTERN } from '../../../domain/dgi-document/schema/primitives.js';

// The XSD's emailType pattern, translated to JavaScript as written (anchored). It backtracks exponentially,
// so it is only ever run here, on short strings.
const XSD_EMAIL =
  /^[0-9a-zA-Z#$%]([-.\w]*[0-9a-zA-Z#$%'.\-_])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9}$/;

const piece = (chars: string, max: number) =>
  fc.array(fc.constantFrom(...chars.split('')), { maxLength: max }).map((a) => a.join(''));

describe('the e-mail pattern', () => {
  it("accepts exactly what the XSD's pattern accepts", () => {
    const alphabet = "aZ09#$%'.-_@!";
    const anything = piece(alphabet, 16);
    // Mostly well-formed addresses, so that both patterns also agree on what they accept.
    const label = fc
      .tuple(fc.constantFrom('a', '9', '-'), piece('aZ09-_', 4), fc.constantFrom('Z', '0', '.'))
      .map(([first, middle, last]) => first + middle + last);
    const shaped = fc
      .tuple(
        fc.constantFrom('a', '0', '#', '.'),
        piece(alphabet.replace('@', ''), 6),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.oneof(piece('aZ', 10), piece('aZ1', 4)),
      )
      .map(([first, local, labels, tld]) => `${first}${local}@${labels.map((l) => `${l}.`).join('')}${tld}`);
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anything, shaped), (candidate) => {
        const expected = XSD_EMAIL.test(candidate);
        if (expected) accepted++;
        assert.equal(EMAIL_PATTERN.test(candidate), expected, candidate);
      }),
      { numRuns: 5000, seed: 20261122 },
    );
    assert.ok(accepted > 100, `${accepted} accepted addresses among the cases: both sides were exercised`);
  });

  it('answers at once on long strings that made the XSD form backtrack', () => {
    for (const candidate of ['x'.repeat(200_000), `a@${'ab.'.repeat(50_000)}1`, `${'a-'.repeat(50_000)}!`]) {
      assert.equal(EMAIL_PATTERN.test(candidate), false);
    }
  });
});
