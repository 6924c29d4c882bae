import { createHmac } from 'node:crypto';
import { FORMAT_PROFILE } from './format-profile.js';

export interface QrInput {
  cufe: string;
  /** Environment: 1 production, 2 test. */
  iAmb: string;
  /** The signature's Reference/DigestValue, base64. */
  digestValue: string;
  /** The DGI's QR security code (HMAC key), issued at onboarding. A setting, never hard-coded. */
  key: string;
  /** Overrides the environment's base URL (FORMAT_PROFILE.qrBaseUrl). */
  baseUrl?: string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The `gNoFirm/dQRCode` URL (spec §12):
 * `<base>chFE=<CUFE>&iAmb=<1|2>&digestValue=<DigestValue>&jwt=<HS256 JWT>`, the digest value left raw
 * as in the DGI sample, the JWT payload exactly `{"chFE","iAmb","digestValue"}` in that order.
 */
export function buildQrUrl(input: QrInput): string {
  const base = input.baseUrl ?? FORMAT_PROFILE.qrBaseUrl[input.iAmb as '1' | '2'];
  if (!base) throw new Error(`no QR base URL for iAmb ${input.iAmb}`);
  const header = base64url('{"alg":"HS256","typ":"JWT"}');
  const payload = base64url(
    JSON.stringify({ chFE: input.cufe, iAmb: String(input.iAmb), digestValue: input.digestValue }),
  );
  const signature = createHmac('sha256', Buffer.from(input.key, 'utf8'))
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${base}chFE=${input.cufe}&iAmb=${input.iAmb}&digestValue=${input.digestValue}&jwt=${header}.${payload}.${signature}`;
}
