import type { DgiIssue } from '../common/dgi-issue.js';
import { statusWithDgiCodes } from './dgi-codes.js';

export type { DgiIssue };
import type { PacAnswer, PacStatus } from '../common/pac-outcome.js';

export type { PacStatus };

/** What was sent and received, for audit (credentials and tokens are never included). */
export interface RawExchange {
  request: { method: string; url: string; body?: unknown };
  response?: { status: number; body: string };
  error?: string;
  elapsedMs: number;
}

/** What a PAC said (common/pac-outcome.ts `PacAnswer`), with what only the PAC layer and the audit need. */
export interface PacResult extends PacAnswer {
  qrUrl?: string;
  receivedAt?: string;
  /** The XML returned by a PAC that signs (eDoc). */
  signedXml?: string;
  raw: RawExchange;
}

export function pacResult(
  status: PacStatus,
  fields: Omit<PacResult, 'status' | 'dgiIssues'> & { dgiIssues?: DgiIssue[] },
): PacResult {
  // The DGI's own codes mean the same through every PAC (dgi-codes.ts).
  return {
    ...fields,
    status: statusWithDgiCodes(status, fields.dgiIssues ?? [], fields.pacCode),
    dgiIssues: fields.dgiIssues ?? [],
  };
}

/** DGI codes whose effect is a notification (spec §13.3): informative, never a rejection. */
export const DGI_NOTIFICATION_CODES = new Set(['1607', '1608', '1609', '1616', '1617']);

export function dgiIssue(code: string, message: string): DgiIssue {
  return { code, message, effect: DGI_NOTIFICATION_CODES.has(code) ? 'N' : 'E' };
}
