import forge from 'node-forge';
import { makeSelfSignedCertificate } from './self-signed-certificate.js';

/**
 * A self-signed signing certificate for the sandbox PAC and for trying fepa, as a P12: its subject names
 * the company and RUC as Panamanian certificates do. Never valid before the DGI.
 */
export function makeSandboxP12(options: {
  ruc: string;
  dv?: string;
  name: string;
  password: string;
  days?: number;
}): Buffer {
  const made = makeSelfSignedCertificate({
    subject: [
      { shortName: 'C', value: 'PA' },
      { shortName: 'O', value: 'FEPA SANDBOX (NO VALIDO ANTE LA DGI)' },
      { shortName: 'CN', value: `${options.name} ${options.ruc}${options.dv ? ` DV ${options.dv}` : ''}` },
    ],
    ...(options.days ? { days: options.days } : {}),
  });
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(made.privateKeyPem),
    [forge.pki.certificateFromPem(made.certificatePem)],
    options.password,
    {
      algorithm: 'aes256',
    },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
