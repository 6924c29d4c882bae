import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `fepa_<prefix>_<secret>`: the prefix (12 hex) finds the key and may be shown in lists and logs; the
 * secret (32 random bytes) is only ever seen by the caller. Keys are random, so a plain SHA-256 is enough
 * to store them (no password stretching needed).
 */
const KEY_PATTERN = /^fepa_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `fepa_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, or undefined: malformed keys never reach the database. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(key);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}
