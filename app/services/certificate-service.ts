import {
  checkCertificateCompany,
  type CertificateFacts,
} from '../../domain/certificates/certificate-facts.js';
import { loadP12 } from '../../domain/certificates/p12-loader.js';
import type { SecretBox } from '../../platform/secrets/secret-box.js';
import {
  activeCertificate,
  certificateEvents,
  deleteActiveCertificate,
  openActiveCertificate,
  saveCertificate,
  type StoredCertificate,
} from '../../platform/storage/certificate-store.js';
import { findCompany } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import type { SigningKeySource } from '../../domain/signing/signing-key-cache.js';
import { FepaError } from '../../common/fepa-error.js';

export type CertificateStatus = 'ready' | 'expiring' | 'expired' | 'missing';

export interface CertificateStatusReport {
  status: CertificateStatus;
  notAfter?: string;
  daysLeft?: number;
  certificate?: Omit<StoredCertificate, 'companyId'>;
  /** What the daily expiry watch recorded for the active certificate. */
  notices?: Array<{ kind: string; createdAt: Date }>;
}

export class CompanyNotFoundError extends FepaError {
  constructor(message: string) {
    super('COMPANY_NOT_FOUND', message);
  }
}

const DAY_MS = 86_400_000;

/** Certificates of companies: upload (with every check), status, deletion, and keys for signing. */
export class CertificateService {
  constructor(
    private readonly sql: Sql,
    private readonly box: SecretBox,
    private readonly expiryWarningDays: number,
  ) {}

  /**
   * Opens the P12 (typed CertificateError when it cannot be used), checks it belongs to the company,
   * and makes it the active certificate, keeping the previous one as history.
   */
  async upload(
    companyId: string,
    p12: Buffer,
    password: string,
  ): Promise<{ certificate: StoredCertificate; facts: CertificateFacts; warnings: string[] }> {
    const company = await findCompany(this.sql, companyId);
    if (!company) throw new CompanyNotFoundError(`no company ${companyId}`);
    const loaded = loadP12(p12, password);
    const match = checkCertificateCompany(loaded.facts, company.ruc);
    const certificate = await saveCertificate(this.sql, this.box, {
      companyId,
      p12,
      password,
      facts: loaded.facts,
    });
    return { certificate, facts: loaded.facts, warnings: match.matches ? [] : [match.warning] };
  }

  async status(companyId: string, now = new Date()): Promise<CertificateStatusReport> {
    const certificate = await activeCertificate(this.sql, companyId);
    if (!certificate) return { status: 'missing' };
    const daysLeft = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
    const status: CertificateStatus =
      now > certificate.notAfter ? 'expired' : daysLeft < this.expiryWarningDays ? 'expiring' : 'ready';
    const { companyId: _omit, ...publicFacts } = certificate;
    const notices = await certificateEvents(this.sql, certificate.id);
    return {
      status,
      notAfter: certificate.notAfter.toISOString(),
      daysLeft,
      certificate: publicFacts,
      notices,
    };
  }

  async delete(companyId: string): Promise<boolean> {
    return deleteActiveCertificate(this.sql, companyId);
  }

  /** What the signing key cache reads from. */
  keySource(): SigningKeySource {
    return {
      activeCertificateId: async (companyId) => (await activeCertificate(this.sql, companyId))?.id,
      openActiveCertificate: async (companyId) => {
        const opened = await openActiveCertificate(this.sql, this.box, companyId);
        return opened && { certificateId: opened.certificate.id, p12: opened.p12, password: opened.password };
      },
    };
  }
}
