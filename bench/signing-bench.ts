import { randomBytes, sign } from 'node:crypto';
import { makeSelfSignedCertificate } from '../domain/certificates/self-signed-certificate.js';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { buildQrUrl, validateDocument, writeCanonicalRfe } from '../domain/dgi-document/index.js';
import {
  assembleSignedRfe,
  digestCanonicalRfe,
  signatureForDigest,
  signCanonicalRfe,
  type SigningKey,
} from '../domain/signing/sign-rfe.js';
import { verifySignedRfe } from '../domain/signing/verify-rfe.js';
import { invoiceWithItems, ITEM_COUNTS } from './document-fixtures.js';
import { measureRate } from './measure.js';

/** A throw-away RSA-2048 key and certificate, as a cached KeyObject (the way the worker keeps them). */
const benchKey = () => makeSelfSignedCertificate({ subject: [{ shortName: 'CN', value: 'BENCH' }] });

function signDocument(canonical: string, cufe: string, key: SigningKey): string {
  const { signature, digestValue } = signCanonicalRfe(canonical, key);
  return assembleSignedRfe(
    canonical,
    signature,
    buildQrUrl({ cufe, iAmb: '2', digestValue, key: 'bench-qr-key' }),
  );
}

/** xml-crypto's own signing of the same document, for comparison (it re-parses and re-canonicalizes a DOM). */
function signWithXmlCrypto(canonical: string, key: { privateKeyPem: string }): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  });
  signer.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  });
  signer.computeSignature(canonical);
  return signer.getSignedXml();
}

export function benchSigning() {
  const key = benchKey();
  const rawDigest = randomBytes(32);
  const raw = () => measureRate(() => sign('sha256', rawDigest, key.privateKey));
  const results: Record<string, unknown> = {};
  for (const items of ITEM_COUNTS) {
    const built = validateDocument(invoiceWithItems(items));
    if (!built.ok) throw new Error('bench document is invalid');
    const canonical = writeCanonicalRfe(built.document);
    const rawBefore = raw();
    const fepa = measureRate(() => signDocument(canonical, built.document.dId, key));
    // The worker's signing step: the build step already hashed the bytes it wrote.
    const digest = digestCanonicalRfe(canonical);
    const signStep = measureRate(() =>
      assembleSignedRfe(
        canonical,
        signatureForDigest(digest, key),
        buildQrUrl({ cufe: built.document.dId, iAmb: '2', digestValue: digest, key: 'q' }),
      ),
    );
    const rawAfter = raw();
    const rawRate = (rawBefore.opsPerSecond + rawAfter.opsPerSecond) / 2;
    const signed = signDocument(canonical, built.document.dId, key);
    const verify = measureRate(() => {
      if (!verifySignedRfe(signed).ok) throw new Error('bench signature does not verify');
    }, 1.5);
    const entry: Record<string, unknown> = {
      signedPerSecond: fepa.opsPerSecond,
      rawRsaSignPerSecond: Math.round(rawRate),
      ratioToRawRsa: Math.round((fepa.opsPerSecond / rawRate) * 1000) / 1000,
      signStepWithDigestFromBuildPerSecond: signStep.opsPerSecond,
      signStepRatioToRawRsa: Math.round((signStep.opsPerSecond / rawRate) * 1000) / 1000,
      sha256OfDocumentPerSecond: measureRate(() => digestCanonicalRfe(canonical), 1).opsPerSecond,
      verifiedPerSecond: verify.opsPerSecond,
      signedBytes: signed.length,
    };
    if (items <= 20) {
      entry.xmlCryptoSignedPerSecond = measureRate(() => signWithXmlCrypto(canonical, key), 1.5).opsPerSecond;
      const doc = new DOMParser().parseFromString(signed, 'text/xml');
      const withoutQr = signed.replace(/<gNoFirm>[\s\S]*<\/gNoFirm>/, '');
      entry.xmlCryptoVerifiedPerSecond = measureRate(() => {
        const verifier = new SignedXml({ publicCert: key.certificatePem, getCertFromKeyInfo: () => null });
        verifier.loadSignature(
          doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0)!,
        );
        if (!verifier.checkSignature(withoutQr))
          throw new Error('xml-crypto does not verify the bench document');
      }, 1.5).opsPerSecond;
    }
    results[`${items} items`] = entry;
  }
  return results;
}
