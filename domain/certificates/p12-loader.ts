import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { CertificateError } from './certificate-error.js';
import { certificateFacts, type CertificateFacts } from './certificate-facts.js';

/** PKCS#12 bag types (RFC 7292 §4.2). */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
} as const;

const bagsOf = (p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] =>
  p12.getBags({ bagType })[bagType] ?? [];

export interface LoadedCertificate {
  /** Parsed once; signing reuses it (never re-parse the P12 per document). */
  privateKey: KeyObject;
  certificate: X509Certificate;
  /** The other certificates in the file (issuers), end-entity excluded. */
  chain: X509Certificate[];
  facts: CertificateFacts;
}

export interface LoadOptions {
  now?: Date;
  /** Return an expired or not-yet-valid certificate instead of throwing (to show its facts). */
  allowOutsideValidity?: boolean;
}

/**
 * Opens a PKCS#12 file (modern AES/PBKDF2 or legacy 3DES/RC2) and returns its signing key and the
 * end-entity certificate matching it, or a CertificateError saying exactly what is wrong.
 */
export function loadP12(bytes: Uint8Array, password: string, options: LoadOptions = {}): LoadedCertificate {
  const now = options.now ?? new Date();
  const p12 = openPkcs12(bytes, password);

  const keyBags = [...bagsOf(p12, BAG.shroudedKey), ...bagsOf(p12, BAG.key)];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw new CertificateError('no-private-key');
  const certBags = bagsOf(p12, BAG.cert);
  const certificates = certBags.flatMap((bag) =>
    bag.cert ? [{ forge: bag.cert, x509: new X509Certificate(forge.pki.certificateToPem(bag.cert)) }] : [],
  );
  if (certificates.length === 0) throw new CertificateError('no-certificate');

  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  const publicDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const matching = certificates.filter((c) =>
    c.x509.publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer),
  );
  // Several certificates can share a key (a renewal): prefer the end-entity one that expires last.
  const chosen = matching.sort(
    (a, b) =>
      Number(isCa(a.forge)) - Number(isCa(b.forge)) ||
      Date.parse(b.x509.validTo) - Date.parse(a.x509.validTo),
  )[0];
  if (!chosen) throw new CertificateError('key-certificate-mismatch');

  const facts = certificateFacts(chosen.x509, now);
  if (isCa(chosen.forge)) throw new CertificateError('ca-certificate', facts);
  if (!usableForSigning(chosen.forge)) throw new CertificateError('not-for-signing', facts);
  if (!options.allowOutsideValidity) {
    if (now < new Date(chosen.x509.validFrom))
      throw new CertificateError('not-yet-valid', facts, `It starts on ${facts.notBefore}.`);
    if (now > new Date(chosen.x509.validTo))
      throw new CertificateError('expired', facts, `It expired on ${facts.notAfter}.`);
  }
  return {
    privateKey,
    certificate: chosen.x509,
    chain: certificates.filter((c) => c !== chosen).map((c) => c.x509),
    facts,
  };
}

function openPkcs12(bytes: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
  } catch {
    throw new CertificateError('not-pkcs12');
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (err) {
    // node-forge reports a failed integrity check (MAC) or decryption as an Error with this text; it has no codes.
    const message = err instanceof Error ? err.message : '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message))
      throw new CertificateError('wrong-password');
    throw new CertificateError('not-pkcs12');
  }
}

function isCa(cert: forge.pki.Certificate): boolean {
  const constraints = cert.getExtension('basicConstraints') as { cA?: boolean } | undefined;
  return constraints?.cA === true;
}

/** Without a keyUsage extension any use is allowed; with one, it must allow signatures. */
function usableForSigning(cert: forge.pki.Certificate): boolean {
  const usage = cert.getExtension('keyUsage') as
    { digitalSignature?: boolean; nonRepudiation?: boolean } | undefined;
  return !usage || usage.digitalSignature === true || usage.nonRepudiation === true;
}
