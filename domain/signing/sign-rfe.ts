import { createHash, sign, type KeyObject } from 'node:crypto';
import { escapeCanonicalText } from '../dgi-document/xml/canonical-text.js';
import { XML_DECLARATION } from '../dgi-document/xml/write-rfe.js';
import { SIGNATURE_PROFILE as P } from './signature-profile.js';

export interface SigningKey {
  /** A parsed key, kept between documents: never re-read from PEM or P12 per signature. */
  privateKey: KeyObject;
  /** base64 DER of the signing certificate, for KeyInfo/X509Data. */
  certificateBase64: string;
  /** RFC 2253 subject, e.g. `CN=EMISOR,O=EMPRESA,C=PA`. */
  subjectName: string;
}

const emptyElement = (name: string, algorithm: string) => `<${name} Algorithm="${algorithm}"></${name}>`;

/** SignedInfo in canonical form; `xmlns` is present when it stands alone (the bytes that get signed). */
function signedInfo(digestValue: string, standalone: boolean): string {
  const transforms = P.transforms.map((t) => emptyElement('Transform', t)).join('');
  return (
    `<SignedInfo${standalone ? ` xmlns="${P.namespace}"` : ''}>` +
    emptyElement('CanonicalizationMethod', P.canonicalization) +
    emptyElement('SignatureMethod', P.signatureMethod) +
    `<Reference URI=""><Transforms>${transforms}</Transforms>` +
    emptyElement('DigestMethod', P.digestMethod) +
    `<DigestValue>${digestValue}</DigestValue></Reference></SignedInfo>`
  );
}

/** The reference digest: SHA-256 of the canonical unsigned `rFE` (no Signature, no gNoFirm), base64. */
export function digestCanonicalRfe(canonicalRfe: string): string {
  return createHash('sha256').update(canonicalRfe, 'utf8').digest('base64');
}

/**
 * The `Signature` element (canonical form) for a document whose reference digest is known: one RSA
 * operation over the canonical SignedInfo. The build step computes the digest while the bytes are at
 * hand, so signing needs neither the document nor a DOM.
 */
export function signatureForDigest(digestValue: string, key: SigningKey): string {
  const signatureValue = sign(
    'sha256',
    Buffer.from(signedInfo(digestValue, true), 'utf8'),
    key.privateKey,
  ).toString('base64');
  return (
    `<Signature xmlns="${P.namespace}">${signedInfo(digestValue, false)}` +
    `<SignatureValue>${signatureValue}</SignatureValue>` +
    `<KeyInfo><X509Data><X509SubjectName>${escapeCanonicalText(key.subjectName)}</X509SubjectName>` +
    `<X509Certificate>${key.certificateBase64}</X509Certificate></X509Data></KeyInfo></Signature>`
  );
}

/**
 * Signs an unsigned `rFE` already in canonical form (as `writeCanonicalRfe` writes it): its SHA-256 is the
 * reference digest. Returns the `Signature` element and the digest value the QR needs.
 */
export function signCanonicalRfe(
  canonicalRfe: string,
  key: SigningKey,
): { signature: string; digestValue: string } {
  const digestValue = digestCanonicalRfe(canonicalRfe);
  return { signature: signatureForDigest(digestValue, key), digestValue };
}

/** The document as sent: declaration, `rFE` with `Signature`, then `gNoFirm/dQRCode` (outside the signature). */
export function assembleSignedRfe(canonicalRfe: string, signature: string, qrUrl: string): string {
  if (!canonicalRfe.endsWith('</rFE>')) throw new Error('expected a canonical rFE element');
  const body = canonicalRfe.slice(0, -'</rFE>'.length);
  return `${XML_DECLARATION}\n${body}${signature}<gNoFirm><dQRCode><![CDATA[${qrUrl}]]></dQRCode></gNoFirm></rFE>`;
}
