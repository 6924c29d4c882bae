import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

const DAY = 86_400_000;

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function makeKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface CertificateSpec {
  keys: KeyPairPem;
  commonName?: string;
  /** Signs the certificate; defaults to `keys` (self-signed). */
  issuer?: { keys: KeyPairPem; commonName: string };
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: {
    digitalSignature?: boolean;
    nonRepudiation?: boolean;
    keyEncipherment?: boolean;
    keyCertSign?: boolean;
  };
  ca?: boolean;
}

/** A certificate made the way a Panamanian CA would (subject with company name, RUC and DV), as PEM. */
export function makeCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.keys.publicKeyPem);
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * DAY);
  const subject = [
    { shortName: 'C', value: 'PA' },
    { shortName: 'O', value: 'FIRMA ELECTRONICA' },
    { shortName: 'OU', value: 'FACTURA ELECTRONICA' },
    { shortName: 'CN', value: spec.commonName ?? 'EMPRESA EMISORA DE EJEMPLO S A 155123456-2-2023 DV 95' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(
    spec.issuer
      ? [
          { shortName: 'C', value: 'PA' },
          { shortName: 'CN', value: spec.issuer.commonName },
        ]
      : subject,
  );
  const extensions: object[] = [{ name: 'basicConstraints', cA: spec.ca ?? false }];
  extensions.push({
    name: 'keyUsage',
    ...(spec.keyUsage ?? { digitalSignature: true, nonRepudiation: true }),
  });
  cert.setExtensions(extensions);
  cert.sign(
    forge.pki.privateKeyFromPem((spec.issuer?.keys ?? spec.keys).privateKeyPem),
    forge.md.sha256.create(),
  );
  return forge.pki.certificateToPem(cert);
}

export type P12Encoding = 'modern' | 'legacy' | 'forge-3des';

/**
 * A real PKCS#12 file. `modern` and `legacy` are written by OpenSSL (AES-256/PBKDF2/SHA-256 MAC, and
 * 3DES/RC2/SHA-1); `forge-3des` by node-forge, which also writes files OpenSSL refuses (mismatched key).
 */
export function makeP12(options: {
  keyPem?: string;
  certificatesPem: string[];
  password: string;
  encoding?: P12Encoding;
}): Buffer {
  const encoding = options.encoding ?? 'modern';
  if (encoding === 'forge-3des') {
    const key = options.keyPem ? forge.pki.privateKeyFromPem(options.keyPem) : null;
    const certs = options.certificatesPem.map((pem) => forge.pki.certificateFromPem(pem));
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, options.password, { algorithm: '3des' });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  }
  const dir = mkdtempSync(join(tmpdir(), 'fepa-p12-'));
  try {
    const [first, ...rest] = options.certificatesPem;
    writeFileSync(join(dir, 'cert.pem'), first ?? '');
    writeFileSync(join(dir, 'chain.pem'), rest.join(''));
    if (options.keyPem) writeFileSync(join(dir, 'key.pem'), options.keyPem);
    const args = [
      'pkcs12',
      '-export',
      '-in',
      join(dir, 'cert.pem'),
      '-out',
      join(dir, 'out.p12'),
      '-passout',
      'env:P12_PASSWORD',
    ];
    if (options.keyPem) args.push('-inkey', join(dir, 'key.pem'));
    else args.push('-nokeys');
    if (rest.length) args.push('-certfile', join(dir, 'chain.pem'));
    if (encoding === 'legacy') args.push('-legacy');
    execFileSync('openssl', args, {
      env: { ...process.env, P12_PASSWORD: options.password },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(join(dir, 'out.p12'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ready-made valid issuer certificate P12, for tests that only need one that works. */
export function validIssuerP12(password: string, encoding: P12Encoding = 'modern') {
  const keys = makeKeyPair();
  const certificatePem = makeCertificate({ keys });
  return {
    p12: makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [certificatePem], password, encoding }),
    keys,
    certificatePem,
  };
}
