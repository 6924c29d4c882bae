import type { DgiIssue } from '../common/dgi-issue.js';
import type { PacStatus } from '../common/pac-outcome.js';

/**
 * What a DGI code means for the document, whichever PAC relays it (as its own answer code, as Aludra does, or
 * inside a rejection's message, as HKA's 109 and eDoc's errors do): one table, so the same DGI answer ends
 * the same way through every PAC. A rejection carrying one of these codes is not "correct and resend".
 */
export const DGI_CODES: Readonly<Record<string, { status: PacStatus; note: string }>> = {
  '1513': { status: 'duplicate', note: 'duplicate fiscal number: reconcile, the first may be authorized' },
  '1508': {
    status: 'error-needs-support',
    note: 'excessive time in contingency: correcting the data cannot fix it (spec: contingency, 72 hours)',
  },
};

/** Strongest first: a duplicate must be reconciled before anything else; then what only support can fix. */
const PRECEDENCE: PacStatus[] = ['duplicate', 'error-needs-support'];

/**
 * The status of a PAC's answer once the DGI codes it carries are read: a rejection (or a bare DGI code, read
 * as one) that carries a code of the table takes that code's status. Any other answer keeps the PAC's own.
 */
export function statusWithDgiCodes(
  status: PacStatus,
  issues: readonly DgiIssue[],
  pacCode?: string,
): PacStatus {
  if (status !== 'rejected-correctable') return status;
  const codes = new Set(issues.map((i) => i.code));
  if (pacCode && /^[0-9]{4}$/.test(pacCode)) codes.add(pacCode);
  const meanings = [...codes].map((c) => DGI_CODES[c]?.status).filter((s): s is PacStatus => s !== undefined);
  return PRECEDENCE.find((s) => meanings.includes(s)) ?? status;
}
