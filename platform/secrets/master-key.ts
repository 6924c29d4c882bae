import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FepaError } from '../../common/fepa-error.js';

export class MasterKeyError extends FepaError {
  constructor(message: string) {
    super('MASTER_KEY', message);
  }
}

/** A master key written as 64 hex digits or as base64 of 32 bytes. */
export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new MasterKeyError(
      `${source} must hold 32 bytes (64 hex digits or base64); it holds ${key.length}`,
    );
  return key;
}

/**
 * The master key from FEPA_MASTER_KEY, else from the file FEPA_MASTER_KEY_FILE. With `createIfMissing`
 * (only `npm start` on a fresh machine) a random key is written to that file, readable by its owner only.
 */
export async function resolveMasterKey(options: {
  value: string | undefined;
  file: string | undefined;
  createIfMissing?: boolean;
}): Promise<{ key: Buffer; source: 'FEPA_MASTER_KEY' | 'file' | 'generated' }> {
  if (options.value)
    return { key: parseMasterKey(options.value, 'FEPA_MASTER_KEY'), source: 'FEPA_MASTER_KEY' };
  if (!options.file) {
    throw new MasterKeyError(
      'No master key: set FEPA_MASTER_KEY (64 hex digits) or FEPA_MASTER_KEY_FILE. Generate one with `openssl rand -hex 32`.',
    );
  }
  try {
    return { key: parseMasterKey(await readFile(options.file, 'utf8'), options.file), source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !options.createIfMissing) throw err;
  }
  const key = randomBytes(32);
  await mkdir(dirname(options.file), { recursive: true });
  await writeFile(options.file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(options.file, 0o600);
  return { key, source: 'generated' };
}
