import type { DgiIssue } from './dgi-issue.js';
import type { ContingencyEvidence } from './contingency-messages.js';

/**
 * The unified outcome of any PAC call (spec pac-apis §6.2). Every adapter maps its own codes onto this,
 * in one table, by code; callers switch on `status` exhaustively.
 */
export type PacStatus =
  | 'authorized'
  | 'pending'
  | 'unknown'
  | 'rejected-correctable'
  | 'duplicate'
  | 'error-needs-support'
  | 'auth-failed'
  | 'transient'
  | 'annulled'
  | 'not-found';

/**
 * What a PAC activity tells the workflow: the unified result without the raw exchange (stored apart).
 * What a status means for the document is decided in one place, the workflow's decision table
 * (workflows/document/decide.ts), not by flags carried here.
 */
export interface PacOutcome {
  status: PacStatus;
  needsConfirmation?: boolean;
  notSent?: boolean;
  cufe?: string;
  protocol?: string;
  authorizedAt?: string;
  pacCode?: string;
  pacMessage?: string;
  dgiIssues: DgiIssue[];
  /**
   * The PAC has not answered the company's calls for long enough that its settings say to open a contingency
   * (none is open yet): the evidence, and when the outage started.
   */
  contingencyAdvised?: { since: string; evidence: ContingencyEvidence };
}

/** PAC calls run on one task queue per PAC, so a server-side rate limit protects each PAC. */
export const pacTaskQueue = (pac: string) => `fepa-pac-${pac}`;
export const PAC_NAMES = ['sandbox', 'aludra', 'edoc', 'hka'] as const;
