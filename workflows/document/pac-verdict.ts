import type { PacOutcome } from '../../common/pac-outcome.js';

/**
 * Why fepa is asking the PAC what it holds: polling a pending document, after a submission whose outcome
 * is unknown, after a duplicate answer, after an annulment whose outcome is unknown, before a cancel.
 */
export type AskingPurpose = 'pending' | 'unknown' | 'duplicate' | 'annulment' | 'cancel';

/**
 * Whether a status query's answer says what the PAC holds (docs/document-lifecycle.md): only
 * authorized (confirmed), pending, annulled, rejected, an error record, or a definite not-found do.
 * Transient, unknown, auth-failed (or a failed query) mean "ask again later", never a conclusion.
 */
export function isVerdict(answer: PacOutcome): boolean {
  switch (answer.status) {
    case 'authorized':
      return !answer.needsConfirmation;
    case 'pending':
    case 'annulled':
    case 'rejected-correctable':
    case 'error-needs-support':
    case 'not-found':
      return true;
    case 'transient':
    case 'unknown':
    case 'auth-failed':
    case 'duplicate':
      return false;
  }
}

/** A cancel may go ahead only when the PAC holds nothing valid under this document (never, or rejected). */
export const holdsNothingValid = (verdict: PacOutcome): boolean =>
  verdict.status === 'not-found' || verdict.status === 'rejected-correctable';

/** An activity that died around a PAC call: the outcome is unknown, exactly like a lost reply. */
export const unknownOutcome = (message: string): PacOutcome => ({
  status: 'unknown',
  dgiIssues: [],
  pacMessage: message,
});

/** A status query that could not be made or answered: ask again later. */
export const failedQuery = (message: string): PacOutcome => ({
  status: 'transient',
  dgiIssues: [],
  pacMessage: message,
});

/** What support reads while fepa keeps asking without a verdict. */
export const STILL_ASKING: Record<AskingPurpose, { reason: string; code: string }> = {
  pending: { reason: 'no final answer from the PAC yet; still asking', code: 'PENDING_DEADLINE' },
  unknown: {
    reason: 'the outcome of a submission is unknown and the PAC has not said what it holds; still asking',
    code: 'UNKNOWN_OUTCOME',
  },
  duplicate: {
    reason: 'the PAC reports a duplicate number and has not said what it holds yet; still asking',
    code: 'DUPLICATE',
  },
  annulment: {
    reason: 'the outcome of an annulment is unknown and the PAC has not said; still asking',
    code: 'ANNULMENT_UNKNOWN',
  },
  cancel: { reason: 'a cancel waits for the PAC to say what it holds; still asking', code: 'CANCEL_CHECK' },
};
