import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { documentsInMail } from '../../../domain/receiving/mail-documents.js';
import { RECEIVED_LIMITS } from '../../../domain/receiving/received-limits.js';
import { zipEntries, ZipError } from '../../../domain/zip/zip-entries.js';
import { zipOf } from '../../../tools/pac-simulator/supplier-mail.js';

const xml = (n: number) => `<rFE n="${n}"/>`;
const all = { wanted: () => true, maxEntries: 100, maxInflatedBytes: 10_000_000 };

describe('XML documents in a supplier e-mail', () => {
  it('takes XML attachments and XML inside ZIPs, leaves the CAFE PDF and the rest (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('xml', 'zip', 'pdf', 'txt'), { maxLength: 8 }), (kinds) => {
        let expected = 0;
        const attachments = kinds.map((kind, i) => {
          if (kind === 'xml') {
            expected++;
            return { filename: `f${i}.xml`, contentType: 'application/xml', content: Buffer.from(xml(i)) };
          }
          if (kind === 'zip') {
            expected += 2;
            return {
              filename: `z${i}.zip`,
              contentType: 'application/zip',
              content: zipOf([
                { name: `a${i}.xml`, content: Buffer.from(xml(i)) },
                { name: `b${i}.XML`, content: Buffer.from(xml(i + 100)) },
                { name: `cafe${i}.pdf`, content: Buffer.from('%PDF') },
              ]),
            };
          }
          return {
            filename: `x${i}.${kind}`,
            contentType: kind === 'pdf' ? 'application/pdf' : 'text/plain',
            content: Buffer.from('x'),
          };
        });
        const { found, skipped } = documentsInMail(attachments);
        assert.equal(found.length, expected);
        assert.equal(skipped.length, 0);
      }),
      { numRuns: 200 },
    );
  });

  it('a ZIP bomb stops at the cap, whatever its headers say; damaged or encrypted ZIPs are named and skipped', () => {
    const bomb = zipOf([{ name: 'bomb.xml', content: Buffer.alloc(60 * 1024 * 1024, 0x20) }]);
    assert.ok(bomb.length < 200_000);
    assert.throws(() => zipEntries(bomb, { ...all, maxInflatedBytes: 1_000_000 }), /inflates beyond 1000000/);
    const mail = documentsInMail([{ filename: 'bomb.zip', contentType: 'application/zip', content: bomb }]);
    assert.equal(mail.found.length, 0);
    assert.match(mail.skipped[0]!.reason, new RegExp(`beyond ${RECEIVED_LIMITS.zipInflatedBytes}`));

    const encrypted = zipOf([{ name: 'a.xml', content: Buffer.from(xml(1)) }]);
    encrypted.writeUInt16LE(1, encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
    assert.throws(() => zipEntries(encrypted, all), /encrypted/);
    assert.throws(() => zipEntries(Buffer.from('not a zip at all, not at all'), all), ZipError);
    const cut = zipOf([{ name: 'a.xml', content: Buffer.from(xml(1)) }]).subarray(0, 30);
    assert.throws(() => zipEntries(cut, all), ZipError);
  });

  it('at most the documents of one message, each within the size limit', () => {
    const many = Array.from({ length: RECEIVED_LIMITS.documentsPerMessage + 5 }, (_, i) => ({
      filename: `f${i}.xml`,
      contentType: 'application/xml',
      content: Buffer.from(xml(i)),
    }));
    const big = {
      filename: 'big.xml',
      contentType: 'text/xml',
      content: Buffer.alloc(RECEIVED_LIMITS.documentBytes + 1, 0x20),
    };
    const latin1 = { filename: 'l.xml', contentType: 'text/xml', content: Buffer.from([0x3c, 0xe9, 0x3e]) };
    const { found, skipped } = documentsInMail([big, latin1, ...many]);
    assert.equal(found.length, RECEIVED_LIMITS.documentsPerMessage);
    assert.equal(skipped.length, 7);
    assert.match(skipped[0]!.reason, /more than/);
    assert.equal(skipped[1]!.reason, 'not UTF-8 text');
    // A raw deflate stream is not a ZIP.
    assert.throws(() => zipEntries(deflateRawSync(Buffer.from('x')), all), ZipError);
  });
});
