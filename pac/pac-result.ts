import type { DgiIssue } from '../common/dgi-issue.js';
import { statusWithDgiCodes } from './dgi-codes.js';

export type { DgiIssue };
import type { PacStatus } from '../common/pac-outcome.js';

export type { PacStatus };

export type RetryAdvice = 'auto' | 'after-reconcile' | 'never';

/** What was sent and received, for audit (credentials and tokens are never included). */
export interface RawExchange {
  request: { method: string; url: string; body?: unknown };
  response?: { status: number; body: string };
  error?: string;
  elapsedMs: number;
}

export interface PacResult {
  status: PacStatus;
  terminal: boolean;
  retry: RetryAdvice;
  needsHuman: boolean;
  /** The request never left (connection refused, DNS): resending is safe without a status query. */
  notSent?: boolean;
  /** Aludra 0260: authorized, to be confirmed later (spec pac-apis §3.5, uncertain). */
  needsConfirmation?: boolean;
  cufe?: string;
  qrUrl?: string;
  protocol?: string;
  receivedAt?: string;
  authorizedAt?: string;
  pacCode?: string;
  pacMessage?: string;
  dgiIssues: DgiIssue[];
  /** The XML returned by a PAC that signs (eDoc). */
  signedXml?: string;
  raw: RawExchange;
}

/** Terminal / retry / human flags per status, from the unified model's table. */
const STATUS_TRAITS: Record<PacStatus, Pick<PacResult, 'terminal' | 'retry' | 'needsHuman'>> = {
  authorized: { terminal: true, retry: 'never', needsHuman: false },
  pending: { terminal: false, retry: 'never', needsHuman: false },
  unknown: { terminal: false, retry: 'after-reconcile', needsHuman: false },
  'rejected-correctable': { terminal: true, retry: 'never', needsHuman: true },
  duplicate: { terminal: false, retry: 'after-reconcile', needsHuman: false },
  'error-needs-support': { terminal: true, retry: 'never', needsHuman: true },
  'auth-failed': { terminal: false, retry: 'auto', needsHuman: false },
  transient: { terminal: false, retry: 'auto', needsHuman: false },
  annulled: { terminal: true, retry: 'never', needsHuman: false },
  'not-found': { terminal: true, retry: 'never', needsHuman: false },
};

export function pacResult(
  status: PacStatus,
  fields: Omit<PacResult, 'status' | 'terminal' | 'retry' | 'needsHuman' | 'dgiIssues'> & {
    dgiIssues?: DgiIssue[];
    needsHuman?: boolean;
  },
): PacResult {
  // The DGI's own codes mean the same through every PAC (dgi-codes.ts).
  status = statusWithDgiCodes(status, fields.dgiIssues ?? [], fields.pacCode);
  const traits = STATUS_TRAITS[status];
  return {
    status,
    ...traits,
    ...fields,
    dgiIssues: fields.dgiIssues ?? [],
    needsHuman: fields.needsHuman ?? traits.needsHuman,
  };
}

/** DGI codes whose effect is a notification (spec §13.3): informative, never a rejection. */
export const DGI_NOTIFICATION_CODES = new Set(['1607', '1608', '1609', '1616', '1617']);

export function dgiIssue(code: string, message: string): DgiIssue {
  return { code, message, effect: DGI_NOTIFICATION_CODES.has(code) ? 'N' : 'E' };
}
