import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { readRfe, validateDocument, writeCanonicalRfe } from '../../../domain/dgi-document/index.js';
import { fixedSecurityCode, loadExample } from '../../helpers/dgi-fixtures.js';

type Doc = Record<string, any>;

/** Characters that C14N treats specially, plus whitespace, non-ASCII and characters outside the BMP. */
const ADVERSARIAL = [
  '&',
  '<',
  '>',
  '"',
  "'",
  '\r',
  '\r\n',
  '\t',
  '\n',
  'ñ',
  'É',
  '€',
  '😀',
  '𝔘',
  ']]>',
  '&amp;',
  ' ',
  'a',
  '0',
];
const adversarialText = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...ADVERSARIAL), { minLength: min, maxLength: max })
    .map((parts) => parts.join(''))
    .filter((s) => s.length >= min && s.length <= max * 2);

/** Canonicalizes the way an independent verifier does: parse, then W3C C14N over the element. */
function realCanonical(xml: string, exclusive: boolean): string {
  const dom = new DOMParser().parseFromString(xml, 'text/xml');
  const c14n = exclusive ? new ExclusiveCanonicalization() : new C14nCanonicalization();
  return c14n.process(dom.documentElement!, {});
}

describe('the rFE writer writes canonical XML', () => {
  let base: Doc;
  before(async () => {
    base = await loadExample('invoice-spec-example.json');
  });

  it('matches real inclusive and exclusive C14N for every example', async () => {
    for (const name of [
      'invoice-several-rates-and-discounts.json',
      'export-invoice.json',
      'credit-note.json',
    ]) {
      const result = validateDocument(await loadExample(name), { securityCode: fixedSecurityCode });
      assert.ok(result.ok);
      const ours = writeCanonicalRfe(result.document);
      assert.equal(realCanonical(ours, false), ours);
      assert.equal(realCanonical(ours, true), ours);
    }
  });

  it('matches real C14N for adversarial text: & < > quotes \\r tabs non-ASCII and astral characters', () => {
    fc.assert(
      fc.property(
        adversarialText(2, 60),
        adversarialText(1, 40),
        adversarialText(2, 40),
        (description, info, name) => {
          const doc = structuredClone(base);
          doc.gItem[0].dDescProd = description;
          doc.gItem[0].dInfEmFE = info;
          doc.gDGen.gDatRec.dNombRec = name;
          doc.gDGen.dInfEmFE = `${info}${description}`;
          const result = validateDocument(doc, { securityCode: fixedSecurityCode });
          fc.pre(result.ok); // lengths are counted in UTF-16 units; the few too-long strings are skipped
          if (!result.ok) return;
          const ours = writeCanonicalRfe(result.document);
          assert.equal(realCanonical(ours, false), ours);
          assert.equal(realCanonical(ours, true), ours);
          // and the text survives a round trip through a parser exactly, \r included
          const back = readRfe(ours);
          assert.ok(back.ok);
          assert.equal(back.document.gItem[0]?.dDescProd, description);
        },
      ),
      { numRuns: 300 },
    );
  });
});
