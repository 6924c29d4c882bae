import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { FepaError } from '../../common/fepa-error.js';

export interface SealedSecret {
  /** Which master key sealed it (first 16 hex digits of its SHA-256), so keys can rotate. */
  keyId: string;
  /** 12-byte IV, 16-byte GCM tag, ciphertext. */
  ciphertext: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends FepaError {
  constructor(message: string) {
    super('SECRET_BOX', message);
  }
}

export const masterKeyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/**
 * AES-256-GCM for secrets at rest (P12 files, their passwords, PAC credentials). Each secret is bound to
 * its context (e.g. `company:<id>:p12`) as additional authenticated data, so a ciphertext copied into
 * another row or column does not open there.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly activeKeyId: string;

  /** `keys[0]` seals; all of them open (older keys stay until every secret is re-sealed). */
  constructor(keys: Buffer[]) {
    const [active] = keys;
    if (!active) throw new SecretBoxError('at least one master key is needed');
    for (const key of keys) if (key.length !== 32) throw new SecretBoxError('a master key is 32 bytes');
    this.keys = new Map(keys.map((key) => [masterKeyId(key), key]));
    this.activeKeyId = masterKeyId(active);
  }

  seal(plaintext: Buffer | string, context: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([
      cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
      cipher.final(),
    ]);
    return { keyId: this.activeKeyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  open(sealed: SealedSecret, context: string): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key)
      throw new SecretBoxError(`secret sealed with master key ${sealed.keyId}, which is not configured`);
    const iv = sealed.ciphertext.subarray(0, IV_BYTES);
    const tag = sealed.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.ciphertext.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new SecretBoxError(`secret for ${context} does not open: wrong master key, or tampered`);
    }
  }
}
