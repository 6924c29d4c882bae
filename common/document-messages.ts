import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DocumentState } from './document-lifecycle.js';

/** Who acts and why: recorded with every operator action. */
export interface OperatorAction {
  actor: string;
  reason?: string;
}

export interface CorrectionAction extends OperatorAction {
  /** The correction stored by the API (validated there, same number and type). */
  correctionId: string;
}

export interface AnnulAction extends OperatorAction {
  reason: string;
}

export const getDocumentState = defineQuery<DocumentState>('getDocumentState');

// Each action is an Update (synchronous feedback: the validator refuses it with a reason) and a Signal of
// the same name (what the Temporal UI and CLI send; an invalid one is recorded and ignored).
export const submitUpdate = defineUpdate<DocumentState, [OperatorAction]>('submit');
export const resubmitUpdate = defineUpdate<DocumentState, [OperatorAction]>('resubmit');
export const correctUpdate = defineUpdate<DocumentState, [CorrectionAction]>('correct');
export const annulUpdate = defineUpdate<DocumentState, [AnnulAction]>('annul');
export const cancelUpdate = defineUpdate<DocumentState, [OperatorAction]>('cancel');

export const submitSignal = defineSignal<[OperatorAction]>('submit');
export const resubmitSignal = defineSignal<[OperatorAction]>('resubmit');
export const correctSignal = defineSignal<[CorrectionAction]>('correct');
export const annulSignal = defineSignal<[AnnulAction]>('annul');
export const cancelSignal = defineSignal<[OperatorAction]>('cancel');

export type ActionKind = 'submit' | 'resubmit' | 'correct' | 'annul' | 'cancel';

/** Timings of a document, all injectable (tests run them in milliseconds). */
export interface DocumentTimings {
  pollInitialMs: number;
  pollMaxMs: number;
  /** Fraction of random spread added to each poll delay, so pending documents do not poll in step. */
  pollJitter: number;
  /** After this long without a final answer the document needs a person (and is still polled). */
  pendingDeadlineMs: number;
  offlineRetryInitialMs: number;
  offlineRetryMaxMs: number;
  authRetries: number;
  /** How long an authorized document's workflow stays open to accept an annulment. */
  annulWindowMs: number;
  maxPollsPerRun: number;
  /** Start-to-close limit of one PAC call (a dead worker's call is given up after this). */
  pacCallTimeoutMs: number;
  /**
   * After this long without a verdict on an unknown outcome, a duplicate, an annulment or a cancel check,
   * the document shows that it needs a person, and fepa keeps asking.
   */
  verdictDeadlineMs: number;
  /** Bookkeeping (PostgreSQL) is retried without limit, backing off from the first to the second. */
  bookkeepingRetryInitialMs: number;
  bookkeepingRetryMaxMs: number;
  /**
   * How long an operator action's Update waits for the action to be applied before it answers the state
   * as it is (the API's deadline for an Update is 15 s).
   */
  updateAnswerWaitMs: number;
  /**
   * After a submission whose outcome is unknown, a "not found" from the PAC is believed only when it is
   * still "not found" this long after the first one: a PAC may still be working on the request whose
   * answer was lost (queued, or waiting on its own database), and resending then issues it twice.
   */
  notFoundSettleMs: number;
  /** The CAFE's e-mail to the receiver is retried from this delay (doubling up to 30 min)… */
  deliveryRetryInitialMs: number;
  /** …and given up this long after authorization (support is told; the document is not affected). */
  deliveryGiveUpMs: number;
  /** A document issued in contingency checks this often whether its contingency ended (besides the signal). */
  contingencyCheckMs: number;
  /** An open contingency probes the PAC this often. */
  contingencyProbeMs: number;
  /** Its documents are transmitted this far apart when it ends (emission order, rate-limited). */
  contingencyTransmitSpacingMs: number;
  /** The length of an hour for the 24/48/72-hour alerts (tests compress it). */
  contingencyHourMs: number;
  /** An open contingency continues as new after this many probe turns (its history stays short). */
  contingencyTurnsPerRun: number;
}

export const DEFAULT_TIMINGS: DocumentTimings = {
  pollInitialMs: 5_000,
  pollMaxMs: 15 * 60_000,
  pollJitter: 0.2,
  pendingDeadlineMs: 24 * 3_600_000,
  offlineRetryInitialMs: 10_000,
  offlineRetryMaxMs: 5 * 60_000,
  authRetries: 3,
  annulWindowMs: 7 * 24 * 3_600_000,
  maxPollsPerRun: 200,
  pacCallTimeoutMs: 2 * 60_000,
  verdictDeadlineMs: 30 * 60_000,
  bookkeepingRetryInitialMs: 1_000,
  bookkeepingRetryMaxMs: 60_000,
  updateAnswerWaitMs: 10_000,
  notFoundSettleMs: 2 * 60_000,
  deliveryRetryInitialMs: 30_000,
  deliveryGiveUpMs: 48 * 3_600_000,
  contingencyCheckMs: 5 * 60_000,
  contingencyProbeMs: 30_000,
  contingencyTransmitSpacingMs: 200,
  contingencyHourMs: 3_600_000,
  contingencyTurnsPerRun: 500,
};

/** Sent to a document issued in contingency when its contingency ends: transmit now. */
export const contingencyEndedSignal = defineSignal<[{ contingencyId: string }]>('contingencyEnded');
