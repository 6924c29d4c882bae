import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import { rfc2253 } from './certificate-facts.js';

export interface SelfSignedCertificate {
  privateKey: KeyObject;
  privateKeyPem: string;
  certificatePem: string;
  /** base64 DER and RFC 2253 subject, ready for KeyInfo. */
  certificateBase64: string;
  subjectName: string;
}

/**
 * A fresh RSA-2048 key and a self-signed signing certificate (end entity, key usage for signatures):
 * for the sandbox, the PAC simulator, benchmarks and tests. Never valid before the DGI.
 */
export function makeSelfSignedCertificate(options: {
  subject: Array<{ shortName: string; value: string }>;
  days?: number;
}): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + (options.days ?? 365) * 86_400_000);
  cert.setSubject(options.subject);
  cert.setIssuer(options.subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certificatePem);
  return {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    certificatePem,
    certificateBase64: x509.raw.toString('base64'),
    subjectName: rfc2253(x509.subject),
  };
}
