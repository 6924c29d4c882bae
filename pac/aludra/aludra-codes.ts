import type { PacStatus } from '../pac-result.js';

/**
 * Aludra's codes → unified status, by code (spec pac-apis §3.5 and §6.3). 0260 is accepted but flagged
 * for later confirmation; other 4-digit codes are DGI codes passed through.
 */
export const ALUDRA_CODES: Readonly<
  Record<string, { status: PacStatus; needsConfirmation?: true; note: string }>
> = {
  '0920': { status: 'authorized', note: 'processed, final OK in Aludra' },
  '0260': {
    status: 'authorized',
    needsConfirmation: true,
    note: 'DGI authorized; Aludra re-verifies before 0920',
  },
  '0600': { status: 'annulled', note: 'annulment event registered' },
  '0622': { status: 'annulled', note: 'an annulment already exists (idempotent)' },
  A400: { status: 'rejected-correctable', note: 'gateway/schema validation error' },
};

/**
 * A 4-digit DGI code not in the table is a rejection; what particular DGI codes mean (1513 duplicate, 1508
 * support) is decided for every PAC in ../dgi-codes.ts, when the result is made.
 */
export function aludraStatusForCode(
  code: string,
): { status: PacStatus; needsConfirmation?: true } | undefined {
  const known = ALUDRA_CODES[code];
  if (known) return known;
  if (/^[0-9]{4}$/.test(code)) return { status: 'rejected-correctable' };
  return undefined;
}
