import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { validateDocument } from '../../../domain/dgi-document/index.js';
import { scanXml } from '../../../domain/dgi-document/xml/fast-scan.js';
import { verifySignedRfe } from '../../../domain/signing/verify-rfe.js';
import { invoiceWithItems } from '../../../tools/pac-simulator/supplier-side.js';
import { loadExample, signForTests } from '../../helpers/dgi-fixtures.js';

/**
 * The fast paths (issue #26's bench) must answer exactly as the DOM paths: signature verification on the
 * received text, and the fast reader's element tree. Documents carry text that needs escaping, and equivalent
 * rewritings of the same signed XML (comments, character references, spaces in tags) take the DOM path.
 */
const example = await loadExample('invoice-spec-example.json');
const text = fc
  .stringMatching(/^[A-Za-z0-9 &<>"'ñáéíóú.,-]{2,40}$/)
  .filter((t) => t.trim().length >= 2 && t === t.trim() && !t.includes('  '));

function signedWith(descriptions: string[]): string {
  const invoice = invoiceWithItems(descriptions.length, { ...example.gDGen, dNroDF: '0000000042' }) as any;
  descriptions.forEach((d, i) => (invoice.gItem[i].dDescProd = d));
  const built = validateDocument(invoice);
  assert.ok(built.ok, JSON.stringify(!built.ok && built.issues.slice(0, 2)));
  return signForTests(built.document).xml;
}

type Tree = { name: string; text: string; children: Tree[] };
function domTree(e: Element): Tree {
  const children: Tree[] = [];
  let t = '';
  for (let n = e.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) children.push(domTree(n as Element));
    else if (n.nodeType === 3 || n.nodeType === 4) t += n.nodeValue ?? '';
  }
  return { name: e.localName ?? '', text: t, children };
}
const strip = (t: { name: string; text: string; children: any[] }): Tree => ({
  name: t.name,
  text: t.text,
  children: t.children.map(strip),
});

describe('fast paths answer as the DOM paths', () => {
  it('signed documents verify; equivalent rewritings verify through the DOM path; any change is caught (property)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), fc.nat(), (descriptions, pick) => {
        const xml = signedWith(descriptions);
        const verified = verifySignedRfe(xml);
        assert.ok(verified.ok, !verified.ok ? verified.reason : '');
        // The same document, written otherwise: still the document that was signed.
        const bodyEnd = xml.indexOf('<Signature');
        const rewritten = [
          xml.slice(0, bodyEnd).replace('<dId>', '<dId >') + xml.slice(bodyEnd),
          xml.slice(0, bodyEnd).replace('</gDGen>', '</gDGen><!-- nota -->') + xml.slice(bodyEnd),
          xml.slice(0, bodyEnd).replace('&amp;', '&#38;') + xml.slice(bodyEnd),
        ];
        for (const variant of rewritten) {
          const again = verifySignedRfe(variant);
          assert.ok(again.ok, !again.ok ? again.reason : '');
          assert.equal(again.digestValue, verified.digestValue);
        }
        // One character of a description changed: caught, whichever path decides.
        const at = xml.indexOf('<dDescProd>') + '<dDescProd>'.length + (pick % descriptions[0]!.length);
        if (!'&<>"\''.includes(xml[at]!)) {
          const tampered = xml.slice(0, at) + (xml[at] === 'x' ? 'y' : 'x') + xml.slice(at + 1);
          const caught = verifySignedRfe(tampered);
          // A changed letter (digest-mismatch), or a broken entity reference (not-xml): never verified.
          assert.equal(caught.ok, false);
          assert.ok(!caught.ok && ['digest-mismatch', 'not-xml'].includes(caught.failure));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the fast reader gives the DOM parser’s element tree (property)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (descriptions) => {
        const xml = signedWith(descriptions);
        const scanned = scanXml(xml);
        assert.equal(scanned.kind, 'ok');
        const dom = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
        assert.deepEqual(
          strip(scanned.kind === 'ok' ? scanned.root : { name: '', text: '', children: [] }),
          domTree(dom),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('the fast reader leaves to the DOM what it does not read, and refuses what is not XML', () => {
    assert.equal(scanXml('<a><!-- c --></a>').kind, 'unsupported');
    assert.equal(scanXml('<a:b xmlns:a="x"/>').kind, 'unsupported');
    assert.equal(scanXml('<a><?pi x?></a>').kind, 'unsupported');
    for (const bad of [
      '<a>',
      '<a></b>',
      '<a>x & y</a>',
      '<a>&nope;</a>',
      '<a b="1" b="2"></a>',
      '<a>]]></a>',
      'text',
    ])
      assert.equal(scanXml(bad).kind, 'error', bad);
  });
});
