import type { DgiIssue } from './dgi-issue.js';
/**
 * The states of a fiscal document (docs/document-lifecycle.md has the diagram). Kept small and explicit;
 * the PACs' own codes map onto these in the PAC layer.
 */
export type DocumentStatus =
  | 'received'
  | 'prepared'
  | 'signed'
  | 'awaiting_submission'
  | 'queued_offline'
  | 'issued_in_contingency'
  | 'submitted'
  | 'authorized'
  | 'rejected'
  | 'needs_support'
  | 'annulled'
  | 'cancelled';

/**
 * The document workflow's phases: build (and sign), hold (issued in contingency, until it ends), submit,
 * ask (what the PAC holds: state.asking says why), person (an operator decides), annul-window (authorized,
 * open to an annulment), done.
 */
export type DocumentPhase = 'build' | 'hold' | 'submit' | 'ask' | 'person' | 'annul-window' | 'done';

export interface DocumentEvent {
  at: string;
  status: DocumentStatus;
  actor: string;
  note?: string;
}

export interface DocumentState {
  documentId: string;
  status: DocumentStatus;
  cufe?: string;
  total?: string;
  /** The receiver asked for the CAFE by e-mail (iEntCAFE 3, with an address). */
  cafeByEmail?: boolean;
  /** The e-mail of the CAFE, once started after authorization (its outcome: the API's `deliveries`). */
  cafeDelivery?: { workflowId: string };
  certificateFingerprint?: string;
  /** Issued in this contingency (iTpEmis 02/04): held until it ends, then transmitted. */
  contingency?: { id: string };
  /** fepa signed (false: the PAC signs; fepa's signing step was skipped). */
  signedByFepa?: boolean;
  protocol?: string;
  authorizedAt?: string;
  /** Why a person is needed, when one is. */
  needsPerson?: { reason: string; code?: string };
  /** Still asking the PAC (also in needs_support after the pending deadline). */
  polling?: boolean;
  /**
   * While fepa asks the PAC what it holds: why, since when, the next delay, refused credentials so far,
   * and the operator action waiting on the answer (annul, cancel). Carried across continue-as-new.
   */
  asking?: {
    purpose: 'pending' | 'unknown' | 'duplicate' | 'annulment' | 'cancel';
    since: string;
    delayMs: number;
    authFailures: number;
    action?: { actor: string; reason?: string };
    /** Wait (with backoff) before the next query; false: ask at once. */
    waitNext?: boolean;
    /** After a first "not found": wait this long once, then ask again before believing it. */
    settleFirstMs?: number;
    /** The second round of asking after an unknown outcome ("not found" must hold). */
    confirming?: boolean;
  };
  /** Where the document workflow stands (workflows/document-workflow.ts: one step per phase). */
  phase?: DocumentPhase;
  /** The submission's retries while the PAC cannot be reached or refuses the credentials. */
  retry?: { offlineDelayMs: number; authFailures: number };
  /** When the annulment window closes (measured from the authorization). */
  annulWindowEndsAt?: string;
  submissions: number;
  polls: number;
  reconciliations: number;
  lastPac?: { status: string; code?: string; message?: string };
  dgiIssues: DgiIssue[];
  corrections: string[];
  /** Operator actions, accepted or ignored, with who and why. */
  actions: Array<{
    at: string;
    kind: string;
    actor: string;
    reason?: string;
    accepted: boolean;
    note?: string;
  }>;
  history: DocumentEvent[];
}
