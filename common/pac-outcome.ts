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
 * What a PAC said, in the one shape every adapter answers with (pac/pac-result.ts adds the raw exchange for
 * audit). What it means for the document is decided in one place, the workflow's decision table
 * (workflows/document/decide.ts): no flag here says what to do.
 */
export interface PacAnswer {
  status: PacStatus;
  /** The request never left (connection refused, DNS): resending is safe without a status query. */
  notSent?: boolean;
  /** Aludra 0260: authorized, to be confirmed later (spec pac-apis §3.5, uncertain). */
  needsConfirmation?: boolean;
  cufe?: string;
  protocol?: string;
  authorizedAt?: string;
  pacCode?: string;
  pacMessage?: string;
  dgiIssues: DgiIssue[];
}

/** What a PAC activity tells the workflow: the PAC's answer (its raw exchange is stored apart). */
export interface PacOutcome extends PacAnswer {
  /**
   * The PAC has not answered the company's calls for long enough that its settings say to open a contingency
   * (none is open yet): the evidence, and when the outage started.
   */
  contingencyAdvised?: { since: string; evidence: ContingencyEvidence };
}

/** PAC calls run on one task queue per PAC, so a server-side rate limit protects each PAC. */
export const pacTaskQueue = (pac: string) => `fepa-pac-${pac}`;
export const PAC_NAMES = ['sandbox', 'aludra', 'edoc', 'hka'] as const;
