import type { DgiIssue, PacStatus, RetryAdvice } from '../pac/pac-result.js';

/** What a PAC activity tells the workflow: the unified result without the raw exchange (stored apart). */
export interface PacOutcome {
  status: PacStatus;
  terminal: boolean;
  retry: RetryAdvice;
  needsHuman: boolean;
  needsConfirmation?: boolean;
  notSent?: boolean;
  cufe?: string;
  protocol?: string;
  authorizedAt?: string;
  pacCode?: string;
  pacMessage?: string;
  dgiIssues: DgiIssue[];
}

/** PAC calls run on one task queue per PAC, so a server-side rate limit protects each PAC. */
export const pacTaskQueue = (pac: string) => `fepa-pac-${pac}`;
export const PAC_NAMES = ['sandbox', 'aludra', 'edoc'] as const;
