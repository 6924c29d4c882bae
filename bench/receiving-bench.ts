import { verifyReceived } from '../domain/receiving/verify-received.js';
import { assembleSignedRfe, signCanonicalRfe } from '../domain/signing/sign-rfe.js';
import { verifySignedRfe } from '../domain/signing/verify-rfe.js';
import { buildQrUrl, validateDocument, writeCanonicalRfe } from '../domain/dgi-document/index.js';
import { MemorySimStore } from '../tools/pac-simulator/sim-store.js';
import { invoiceWithItems, SupplierSide } from '../tools/pac-simulator/supplier-side.js';
import { ITEM_COUNTS } from './document-fixtures.js';
import { measureRate } from './measure.js';

/**
 * Receiving (issue #26): how many suppliers' documents fepa verifies per second, next to how many it signs, at
 * 1, 20 and 500 items. "Signature" is the signature check alone (what signing is the mirror of); "full" is every
 * check a received document goes through (verify-received.ts: the strict reading, addressee, signature,
 * certificate, CUFE, QR, the issuing rules and arithmetic). Two documents alternate, as different suppliers'
 * documents arrive, and each is a flat string as read from HTTP or PostgreSQL.
 */
export async function benchReceiving() {
  const supplier = new SupplierSide(new MemorySimStore());
  const receiver = { ruc: '155654321-2-2020', dv: '24' };
  const results: Record<string, unknown> = {};
  for (const items of ITEM_COUNTS) {
    const docs = await Promise.all(
      [0, 1].map(async () => Buffer.from((await supplier.issue({ receiver, items })).xml).toString('utf8')),
    );
    let turn = 0;
    const next = () => docs[turn++ % 2]!;
    // Signing as the issuing side does it (signing-bench.ts): the canonical document in hand.
    const built = validateDocument(invoiceWithItems(items));
    if (!built.ok) throw new Error('bench document is invalid');
    const canonical = writeCanonicalRfe(built.document);
    const { key } = supplier;
    const signed = measureRate(() => {
      const { signature, digestValue } = signCanonicalRfe(canonical, key);
      return assembleSignedRfe(
        canonical,
        signature,
        buildQrUrl({ cufe: built.document.dId, iAmb: '2', digestValue, key: 'q' }),
      );
    });
    const signature = measureRate(() => {
      if (!verifySignedRfe(next()).ok) throw new Error('bench document does not verify');
    });
    const full = measureRate(() => {
      if (verifyReceived(next(), { receiverRuc: receiver.ruc }).verdict !== 'valid')
        throw new Error('bench document is not valid');
    });
    results[`${items} items`] = {
      signedPerSecond: signed.opsPerSecond,
      signatureVerifiedPerSecond: signature.opsPerSecond,
      signatureVerifiedToSigned: Math.round((signature.opsPerSecond / signed.opsPerSecond) * 100) / 100,
      fullyVerifiedPerSecond: full.opsPerSecond,
      fullyVerifiedToSigned: Math.round((full.opsPerSecond / signed.opsPerSecond) * 100) / 100,
      bytes: docs[0]!.length,
    };
  }
  results.before = {
    note: 'the issue, one run on 2 cores: verifySignedRfe on the DOM with xml-crypto',
    signatureVerifiedPerSecond: { '1 items': 828, '20 items': 408, '500 items': 16 },
    signedPerSecond: { '1 items': 2209, '20 items': 2479, '500 items': 1474 },
  };
  return results;
}
