import type { CertificateFacts } from './certificate-facts.js';
import { FepaError } from '../../common/fepa-error.js';

export type CertificateErrorCode =
  | 'wrong-password'
  | 'not-pkcs12'
  | 'no-private-key'
  | 'no-certificate'
  | 'key-certificate-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'not-for-signing'
  | 'ca-certificate'
  | 'missing';

const MESSAGES: Record<CertificateErrorCode, string> = {
  'wrong-password': 'The password does not open this certificate file.',
  'not-pkcs12': 'The file is not a PKCS#12 certificate (.p12/.pfx), or it is damaged.',
  'no-private-key': 'The file holds no private key: export the certificate together with its private key.',
  'no-certificate': 'The file holds a private key but no certificate.',
  'key-certificate-mismatch': 'The private key in the file does not belong to any certificate in it.',
  expired: 'The certificate has expired; documents cannot be signed with it.',
  'not-yet-valid': 'The certificate is not valid yet.',
  'not-for-signing': 'The certificate may not be used for digital signatures (key usage).',
  'ca-certificate': 'The certificate is a certification authority, not an issuer’s signing certificate.',
  missing: 'The company has no active signing certificate: upload its P12 first.',
};

/**
 * Why a certificate cannot be used. Messages are written for people and never contain the password,
 * key material or the library's own error text. `facts` (public data) are attached when known.
 */
export class CertificateError extends FepaError {
  declare readonly code: CertificateErrorCode;

  constructor(
    code: CertificateErrorCode,
    readonly facts?: CertificateFacts,
    detail?: string,
  ) {
    super(code, detail ? `${MESSAGES[code]} ${detail}` : MESSAGES[code]);
  }
}
