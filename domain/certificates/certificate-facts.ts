import type { X509Certificate } from 'node:crypto';

/** Public facts about a certificate: safe to log, store in plain columns and show in the API. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 fingerprint, hex with colons. */
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  /** The RUC found in the subject, when there is one. */
  ruc?: string;
}

/** "C=PA\nO=X\nCN=Y" (Node's form, most significant first) → "CN=Y,O=X,C=PA" (RFC 2253, least significant first). */
export function rfc2253(distinguishedName: string): string {
  return distinguishedName
    .split('\n')
    .filter(Boolean)
    .reverse()
    .map((rdn) => rdn.replace(/([,+"\\<>;])/g, '\\$1'))
    .join(',');
}

/** RUC forms as registered (spec §2): juridical tomo-folio-asiento, cédulas, NT, E, N, PE, PI, AV. */
const RUC_IN_TEXT =
  /(?<![\w-])((?:PE|E|N)-\d{1,4}-\d{1,6}|\d{1,2}(?:PI|AV)-\d{1,4}-\d{1,6}|\d{1,2}-NT-\d{1,4}-\d{1,6}|\d{1,10}-\d{1,4}-\d{1,6})(?![\w-])/;

export function findRucInSubject(subject: string): string | undefined {
  return RUC_IN_TEXT.exec(subject)?.[1];
}

const DAY_MS = 86_400_000;

export function certificateFacts(certificate: X509Certificate, now: Date): CertificateFacts {
  const notAfter = new Date(certificate.validTo);
  const facts: CertificateFacts = {
    subject: rfc2253(certificate.subject),
    issuer: rfc2253(certificate.issuer),
    serialNumber: certificate.serialNumber.toLowerCase(),
    fingerprintSha256: certificate.fingerprint256,
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
  };
  const ruc = findRucInSubject(certificate.subject);
  if (ruc) facts.ruc = ruc;
  return facts;
}

export type CompanyMatch = { matches: true } | { matches: false; warning: string };

/** Does the certificate belong to the company it is uploaded for? (RUC in the subject = company RUC.) */
export function checkCertificateCompany(facts: CertificateFacts, companyRuc: string): CompanyMatch {
  if (!facts.ruc) {
    return {
      matches: false,
      warning: `No RUC found in the certificate subject (${facts.subject}); check it belongs to RUC ${companyRuc}.`,
    };
  }
  if (facts.ruc !== companyRuc) {
    return {
      matches: false,
      warning: `The certificate is for RUC ${facts.ruc}, but the company's RUC is ${companyRuc}.`,
    };
  }
  return { matches: true };
}
