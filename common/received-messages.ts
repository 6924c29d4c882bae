import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DgiConfirmation, ManifestationState, ReceivedStatus } from './received-document.js';

/** How long a received document's workflow waits and asks (tests shorten them). */
export interface ReceivedTimings {
  /** First wait after the DGI gave no answer; doubles up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
  /**
   * "Not found" answers before the document is `not_at_dgi`: a supplier may e-mail a document minutes before
   * its PAC registers it, so fepa asks again a few times, `notFoundRetryMs` apart.
   */
  notFoundAttempts: number;
  notFoundRetryMs: number;
  /**
   * After acceptance, when to look again for an annulment, counted from acceptance. The annulment window is
   * not public ([UNCERTAIN], spec dgi-fe §13.4: one integration uses 182 hours): the last look is just
   * before 182 hours. The workflow ends after it; until then it takes manifestations.
   */
  annulmentChecksMs: number[];
  /** Attempts to send a manifestation the PAC did not answer before it is `failed`. */
  manifestationAttempts: number;
}

const HOUR = 3_600_000;
export const DEFAULT_RECEIVED_TIMINGS: ReceivedTimings = {
  firstRetryMs: 30_000,
  maxRetryMs: HOUR,
  notFoundAttempts: 6,
  notFoundRetryMs: 10 * 60_000,
  annulmentChecksMs: [24 * HOUR, 72 * HOUR, 181 * HOUR],
  manifestationAttempts: 8,
};

export interface ReceivedWorkflowInput {
  receivedId: string;
  companyId: string;
  cufe: string;
  supplierRuc: string;
  /** The company PAC's task queue (receiving's PAC calls share its rate limit). */
  pacTaskQueue: string;
  timings?: Partial<ReceivedTimings>;
}

export interface ReceivedState {
  status: ReceivedStatus;
  dgi?: DgiConfirmation;
  manifestation?: ManifestationState;
  /** Why a person should look (invalid, unconfirmed, not at the DGI). */
  reason?: string;
}

export interface ManifestRequest {
  code: string;
  reason?: string;
  actor: string;
}

export const getReceivedState = defineQuery<ReceivedState>('getReceivedState');
export const manifestUpdate = defineUpdate<ReceivedState, [ManifestRequest]>('manifest');
