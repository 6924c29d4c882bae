import {
  makeSelfSignedCertificate,
  type SelfSignedCertificate,
} from '../../domain/certificates/self-signed-certificate.js';

export type TestCertificate = SelfSignedCertificate;

let cached: TestCertificate | undefined;

/** A throw-away RSA-2048 key and self-signed certificate, made once per test process. */
export function testCertificate(): TestCertificate {
  cached ??= makeSelfSignedCertificate({
    subject: [
      { shortName: 'C', value: 'PA' },
      { shortName: 'O', value: 'PRUEBA' },
      { shortName: 'CN', value: 'EMISOR DE PRUEBA 155123456-2-2023 DV 95' },
    ],
  });
  return cached;
}
