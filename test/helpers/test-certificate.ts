import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { SigningKey } from '../../signing/sign-rfe.js';

export interface TestCertificate extends SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

let cached: TestCertificate | undefined;

/** A throw-away RSA-2048 key and self-signed certificate, made once per test process. */
export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [
    { shortName: 'C', value: 'PA' },
    { shortName: 'O', value: 'PRUEBA' },
    { shortName: 'CN', value: 'EMISOR DE PRUEBA 155123456-2-2023 DV 95' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certificatePem);
  cached = {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    certificatePem,
    certificateBase64: x509.raw.toString('base64'),
    subjectName: x509.subject.split('\n').reverse().join(','),
  };
  return cached;
}
