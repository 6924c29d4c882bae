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
  '1513': { status: 'duplicate', note: 'duplicate fiscal number: reconcile, the first may be authorized' },
  '1508': { status: 'error-needs-support', note: 'excessive time in contingency' },
  A400: { status: 'rejected-correctable', note: 'gateway/schema validation error' },
};

/** A 4-digit DGI code not in the table is a rejection to correct (E effect). */
export function aludraStatusForCode(
  code: string,
): { status: PacStatus; needsConfirmation?: true } | undefined {
  const known = ALUDRA_CODES[code];
  if (known) return known;
  if (/^[0-9]{4}$/.test(code)) return { status: 'rejected-correctable' };
  return undefined;
}
