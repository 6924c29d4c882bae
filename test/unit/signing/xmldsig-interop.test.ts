import assert from 'node:assert/strict';
import { sign, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { validateDocument, writeCanonicalRfe, type DgiDocument } from '../../../domain/dgi-document/index.js';
import { SIGNATURE_PROFILE } from '../../../domain/signing/signature-profile.js';
import { verifySignedRfe } from '../../../domain/signing/verify-rfe.js';
import { fixedSecurityCode, loadExample, signForTests } from '../../helpers/dgi-fixtures.js';
import {
  withoutQr,
  xmlCryptoVerifies,
  xmlsecSign,
  xmlsecVerifies,
} from '../../helpers/independent-verifiers.js';
import { makeCertificate, makeKeyPair } from '../../helpers/p12-factory.js';
import { testCertificate } from '../../helpers/test-certificate.js';

/** Flips one byte inside the signed part (a character of the first item's description). */
const changeOneByte = (xml: string) => xml.replace('<dDescProd>L', '<dDescProd>M');

describe('XMLDSig interoperability', () => {
  let document: DgiDocument;
  let signed: string;
  before(async () => {
    const result = validateDocument(await loadExample('invoice-several-rates-and-discounts.json'), {
      securityCode: fixedSecurityCode,
    });
    assert.ok(result.ok);
    document = result.document;
    signed = signForTests(document).xml;
  });

  it('fepa signs, and fepa, xml-crypto and xmlsec1 all verify', async () => {
    const cert = testCertificate();
    const ours = verifySignedRfe(signed);
    assert.ok(ours.ok, ours.ok ? '' : ours.reason);
    assert.equal(xmlCryptoVerifies(withoutQr(signed), cert.certificatePem), true);
    assert.equal(await xmlsecVerifies(withoutQr(signed), cert.certificatePem), true);
  });

  it("verifies the DGI sample's transform order (exc-c14n, then enveloped-signature) without xmlsec1 as judge", () => {
    // The DGI's signed test sample lists the transforms in this order; xmlsec1 1.2 cannot verify it (it
    // canonicalizes before removing the Signature), so fepa's own verifier is the judge of such documents.
    const [enveloped, exclusive] = SIGNATURE_PROFILE.transforms;
    const reordered = signed.replace(
      `<Transform Algorithm="${enveloped}"></Transform><Transform Algorithm="${exclusive}"></Transform>`,
      `<Transform Algorithm="${exclusive}"></Transform><Transform Algorithm="${enveloped}"></Transform>`,
    );
    assert.notEqual(reordered, signed);
    const key = testCertificate();
    const signedInfo = /<SignedInfo>[\s\S]*<\/SignedInfo>/.exec(reordered)![0];
    const standalone = signedInfo.replace(
      '<SignedInfo>',
      `<SignedInfo xmlns="${SIGNATURE_PROFILE.namespace}">`,
    );
    const value = sign('sha256', Buffer.from(standalone, 'utf8'), key.privateKey).toString('base64');
    const resigned = reordered.replace(
      /<SignatureValue>[^<]*<\/SignatureValue>/,
      `<SignatureValue>${value}</SignatureValue>`,
    );
    const result = verifySignedRfe(resigned);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    const tampered = verifySignedRfe(changeOneByte(resigned));
    assert.equal(tampered.ok ? 'ok' : tampered.failure, 'digest-mismatch');
  });

  it('places Signature after gTot and before gNoFirm, with the DGI profile', () => {
    assert.match(signed, /<\/gTot><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"><SignedInfo>/);
    assert.match(signed, /<\/Signature><gNoFirm><dQRCode><!\[CDATA\[https:\/\//);
    for (const algorithm of [
      SIGNATURE_PROFILE.signatureMethod,
      SIGNATURE_PROFILE.digestMethod,
      ...SIGNATURE_PROFILE.transforms,
    ]) {
      assert.ok(signed.includes(`Algorithm="${algorithm}"`), algorithm);
    }
    assert.match(signed, /<Reference URI="">/);
    assert.match(signed, /<X509SubjectName>CN=EMISOR DE PRUEBA[^<]*<\/X509SubjectName><X509Certificate>MII/);
  });

  it('xmlsec1 signs, and fepa verifies', async () => {
    const cert = testCertificate();
    const template = writeCanonicalRfe(document).replace(
      '</rFE>',
      `<Signature xmlns="${SIGNATURE_PROFILE.namespace}"><SignedInfo><CanonicalizationMethod Algorithm="${SIGNATURE_PROFILE.canonicalization}"/>` +
        `<SignatureMethod Algorithm="${SIGNATURE_PROFILE.signatureMethod}"/><Reference URI=""><Transforms>` +
        SIGNATURE_PROFILE.transforms.map((t) => `<Transform Algorithm="${t}"/>`).join('') +
        `</Transforms><DigestMethod Algorithm="${SIGNATURE_PROFILE.digestMethod}"/><DigestValue/></Reference></SignedInfo>` +
        `<SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></rFE>`,
    );
    const byXmlsec = await xmlsecSign(template, cert.privateKeyPem, cert.certificatePem);
    const withQr = byXmlsec.replace(
      '</rFE>',
      '<gNoFirm><dQRCode>https://example.invalid/qr?chFE=x&amp;iAmb=2</dQRCode></gNoFirm></rFE>',
    );
    const result = verifySignedRfe(withQr, { certificate: new X509Certificate(cert.certificatePem) });
    assert.ok(result.ok, result.ok ? '' : result.reason);
  });

  it('a one-byte change fails fepa, xml-crypto and xmlsec1, and fepa says the document changed', async () => {
    const cert = testCertificate();
    const tampered = changeOneByte(signed);
    assert.notEqual(tampered, signed);
    const ours = verifySignedRfe(tampered);
    assert.equal(ours.ok, false);
    assert.equal(ours.ok ? '' : ours.failure, 'digest-mismatch');
    assert.equal(xmlCryptoVerifies(withoutQr(tampered), cert.certificatePem), false);
    assert.equal(await xmlsecVerifies(withoutQr(tampered), cert.certificatePem), false);
  });

  it('a changed SignatureValue is reported as a broken signature, by every verifier', async () => {
    const cert = testCertificate();
    const tampered = signed.replace(
      /<SignatureValue>(.)/,
      (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`,
    );
    const ours = verifySignedRfe(tampered);
    assert.equal(ours.ok ? '' : ours.failure, 'signature-mismatch');
    assert.equal(await xmlsecVerifies(withoutQr(tampered), cert.certificatePem), false);
  });

  it('the QR outside the signature may change without breaking it; a standard verifier needs gNoFirm removed', async () => {
    const cert = testCertificate();
    const newQr = signed.replace(
      /<!\[CDATA\[[^\]]*\]\]>/,
      '<![CDATA[https://example.invalid/another-qr-of-at-least-a-hundred-characters-to-respect-the-schema-minimum-length-of-dQRCode]]>',
    );
    assert.equal(verifySignedRfe(newQr).ok, true);
    assert.equal(
      await xmlsecVerifies(signed, cert.certificatePem),
      false,
      'xmlsec1 fails while gNoFirm is present',
    );
  });

  it('reports a document signed by someone else when a certificate is expected', () => {
    const other = new X509Certificate(makeCertificate({ keys: makeKeyPair() }));
    const result = verifySignedRfe(signed, { certificate: other });
    assert.equal(result.ok ? '' : result.failure, 'certificate-mismatch');
  });

  it('reports a missing signature and unexpected algorithms', () => {
    assert.equal(
      (verifySignedRfe(writeCanonicalRfe(document)) as { failure: string }).failure,
      'no-signature',
    );
    const sha1 = signed.replace(SIGNATURE_PROFILE.digestMethod, 'http://www.w3.org/2000/09/xmldsig#sha1');
    assert.equal((verifySignedRfe(sha1) as { failure: string }).failure, 'unsupported-algorithm');
    assert.equal((verifySignedRfe('<rFE') as { failure: string }).failure, 'not-xml');
  });
});
