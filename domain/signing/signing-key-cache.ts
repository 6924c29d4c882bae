import { CertificateError } from '../certificates/certificate-error.js';
import type { CertificateFacts } from '../certificates/certificate-facts.js';
import { loadP12 } from '../certificates/p12-loader.js';
import { rfc2253 } from '../certificates/certificate-facts.js';
import type { SigningKey } from './sign-rfe.js';

export interface CachedSigningKey extends SigningKey {
  certificateId: string;
  facts: CertificateFacts;
  notAfter: Date;
}

export interface SigningKeySource {
  /** The id of the company's active certificate (cheap: one indexed lookup). */
  activeCertificateId(companyId: string): Promise<string | undefined>;
  /** The opened P12 and password of that certificate (only on a cache miss). */
  openActiveCertificate(
    companyId: string,
  ): Promise<{ certificateId: string; p12: Buffer; password: string } | undefined>;
}

/**
 * Parsed signing keys per company. Opening a P12 costs ~30 ms; the KeyObject is kept and reused until
 * the company's active certificate changes (a rotation anywhere is seen at the next signature).
 * An expired certificate is refused with a typed error at every use.
 */
export class SigningKeyCache {
  private readonly byCompany = new Map<string, CachedSigningKey>();

  constructor(
    private readonly source: SigningKeySource,
    /** The time certificates are checked against (tests move it). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async keyFor(companyId: string): Promise<CachedSigningKey> {
    const now = this.clock();
    const activeId = await this.source.activeCertificateId(companyId);
    if (!activeId) {
      this.byCompany.delete(companyId);
      throw new CertificateError('missing');
    }
    let cached = this.byCompany.get(companyId);
    if (cached?.certificateId !== activeId) {
      const opened = await this.source.openActiveCertificate(companyId);
      if (!opened) throw new CertificateError('missing');
      const loaded = loadP12(opened.p12, opened.password, { now, allowOutsideValidity: true });
      cached = {
        certificateId: opened.certificateId,
        privateKey: loaded.privateKey,
        certificateBase64: loaded.certificate.raw.toString('base64'),
        subjectName: rfc2253(loaded.certificate.subject),
        facts: loaded.facts,
        notAfter: new Date(loaded.certificate.validTo),
      };
      this.byCompany.set(companyId, cached);
    }
    if (now > cached.notAfter)
      throw new CertificateError('expired', cached.facts, `It expired on ${cached.facts.notAfter}.`);
    return cached;
  }

  /** Drops a company's key at once (e.g. when its certificate is deleted). */
  forget(companyId: string): void {
    this.byCompany.delete(companyId);
  }

  get size(): number {
    return this.byCompany.size;
  }
}
