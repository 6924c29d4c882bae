import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CertificateError,
  type CertificateErrorCode,
} from '../../../domain/certificates/certificate-error.js';
import { checkCertificateCompany } from '../../../domain/certificates/certificate-facts.js';
import { loadP12 } from '../../../domain/certificates/p12-loader.js';
import { makeCertificate, makeKeyPair, makeP12, validIssuerP12 } from '../../helpers/p12-factory.js';

const PASSWORD = 'Clave-De-Prueba-2025';
const DAY = 86_400_000;

function rejectsWith(code: CertificateErrorCode, load: () => unknown): void {
  assert.throws(load, (err: unknown) => {
    assert.ok(err instanceof CertificateError, `expected a CertificateError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.ok(!err.message.includes(PASSWORD), 'the message never repeats the password');
    return true;
  });
}

describe('loading a P12 certificate', () => {
  for (const encoding of ['modern', 'legacy', 'forge-3des'] as const) {
    it(`opens a ${encoding} P12 and returns the key, the certificate and its facts`, () => {
      const { p12, certificatePem } = validIssuerP12(PASSWORD, encoding);
      const loaded = loadP12(p12, PASSWORD);
      assert.equal(loaded.privateKey.asymmetricKeyType, 'rsa');
      assert.equal(loaded.certificate.toString(), certificatePem.replace(/\r\n/g, '\n'));
      assert.equal(loaded.facts.ruc, '155123456-2-2023');
      assert.match(
        loaded.facts.subject,
        /^CN=EMPRESA EMISORA DE EJEMPLO S A 155123456-2-2023 DV 95,OU=FACTURA ELECTRONICA,O=FIRMA ELECTRONICA,C=PA$/,
      );
      assert.match(loaded.facts.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.ok(loaded.facts.daysLeft >= 363 && loaded.facts.daysLeft <= 365);
    });
  }

  it('says the password is wrong', () => {
    rejectsWith('wrong-password', () => loadP12(validIssuerP12(PASSWORD).p12, 'not-the-password'));
    rejectsWith('wrong-password', () => loadP12(validIssuerP12(PASSWORD, 'legacy').p12, 'not-the-password'));
  });

  it('says a file is not a P12, or is damaged', () => {
    rejectsWith('not-pkcs12', () => loadP12(Buffer.from('-----BEGIN CERTIFICATE-----\nnope'), PASSWORD));
    const damaged = Buffer.from(validIssuerP12(PASSWORD).p12);
    damaged.fill(0, 40, 400);
    assert.throws(
      () => loadP12(damaged, PASSWORD),
      (err: unknown) =>
        err instanceof CertificateError && ['not-pkcs12', 'wrong-password'].includes(err.code),
    );
    rejectsWith('not-pkcs12', () => loadP12(Buffer.alloc(0), PASSWORD));
  });

  it('says the file has no private key', () => {
    const keys = makeKeyPair();
    rejectsWith('no-private-key', () =>
      loadP12(makeP12({ certificatesPem: [makeCertificate({ keys })], password: PASSWORD }), PASSWORD),
    );
  });

  it('says the key does not match the certificate', () => {
    const [a, b] = [makeKeyPair(), makeKeyPair()];
    const p12 = makeP12({
      keyPem: a.privateKeyPem,
      certificatesPem: [makeCertificate({ keys: b })],
      password: PASSWORD,
      encoding: 'forge-3des',
    });
    rejectsWith('key-certificate-mismatch', () => loadP12(p12, PASSWORD));
  });

  it('says the certificate expired, with its facts, or is not valid yet', () => {
    const keys = makeKeyPair();
    const expired = makeCertificate({
      keys,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const p12 = makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [expired], password: PASSWORD });
    rejectsWith('expired', () => loadP12(p12, PASSWORD));
    try {
      loadP12(p12, PASSWORD);
    } catch (err) {
      assert.ok((err as CertificateError).facts!.daysLeft < 0);
    }
    assert.ok(loadP12(p12, PASSWORD, { allowOutsideValidity: true }).facts.daysLeft < 0);
    const future = makeCertificate({
      keys,
      notBefore: new Date(Date.now() + 10 * DAY),
      notAfter: new Date(Date.now() + 400 * DAY),
    });
    rejectsWith('not-yet-valid', () =>
      loadP12(
        makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [future], password: PASSWORD }),
        PASSWORD,
      ),
    );
  });

  it('refuses a certificate whose key usage excludes signatures, and a CA certificate', () => {
    const keys = makeKeyPair();
    const encryptionOnly = makeCertificate({ keys, keyUsage: { keyEncipherment: true } });
    rejectsWith('not-for-signing', () =>
      loadP12(
        makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [encryptionOnly], password: PASSWORD }),
        PASSWORD,
      ),
    );
    const ca = makeCertificate({ keys, ca: true, keyUsage: { keyCertSign: true, digitalSignature: true } });
    rejectsWith('ca-certificate', () =>
      loadP12(makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [ca], password: PASSWORD }), PASSWORD),
    );
  });

  it('picks the end-entity certificate that matches the key from a chain', () => {
    const caKeys = makeKeyPair();
    const caPem = makeCertificate({
      keys: caKeys,
      commonName: 'CA PANAMA CLASE 2',
      ca: true,
      keyUsage: { keyCertSign: true },
    });
    const keys = makeKeyPair();
    const leafPem = makeCertificate({ keys, issuer: { keys: caKeys, commonName: 'CA PANAMA CLASE 2' } });
    const loaded = loadP12(
      makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [leafPem, caPem], password: PASSWORD }),
      PASSWORD,
    );
    assert.equal(loaded.facts.issuer, 'CN=CA PANAMA CLASE 2,C=PA');
    assert.equal(loaded.chain.length, 1);
    assert.match(loaded.chain[0]!.subject, /CA PANAMA CLASE 2/);
  });

  it('checks that the certificate belongs to the company, with a clear warning when not', () => {
    const { facts } = loadP12(validIssuerP12(PASSWORD).p12, PASSWORD);
    assert.deepEqual(checkCertificateCompany(facts, '155123456-2-2023'), { matches: true });
    const other = checkCertificateCompany(facts, '155654321-2-2020');
    assert.equal(other.matches, false);
    assert.match(
      other.matches ? '' : other.warning,
      /for RUC 155123456-2-2023, but the company's RUC is 155654321-2-2020/,
    );
  });
});
