import type { DgiConfirmation, ReceivedStatus } from '../../common/received-document.js';
import type { ManifestRequest, ReceivedState, ReceivedTimings } from '../../common/received-messages.js';

export type ConfirmationStep =
  | {
      kind: 'settle';
      status: Extract<ReceivedStatus, 'accepted' | 'annulled' | 'not_at_dgi' | 'unconfirmed'>;
      reason?: string;
    }
  | { kind: 'ask-again'; afterMs: number };

/**
 * What an answer of the DGI (through the PAC) means for a received document. Only the DGI's own
 * "authorized" makes it `accepted`; a PAC that cannot ask leaves it `unconfirmed`, never accepted.
 * `attempt` counts answers without a verdict so far, `notFound` the "not found" ones.
 */
export function decideConfirmation(
  answer: DgiConfirmation,
  counts: { attempt: number; notFound: number },
  timings: ReceivedTimings,
): ConfirmationStep {
  switch (answer.answer) {
    case 'authorized':
      return { kind: 'settle', status: 'accepted' };
    case 'annulled':
      return { kind: 'settle', status: 'annulled', reason: 'the supplier annulled it at the DGI' };
    case 'not-offered':
      return {
        kind: 'settle',
        status: 'unconfirmed',
        reason: answer.message ?? 'the PAC cannot ask the DGI',
      };
    case 'not-found':
      return counts.notFound + 1 >= timings.notFoundAttempts
        ? {
            kind: 'settle',
            status: 'not_at_dgi',
            reason: `the DGI does not know this CUFE (asked ${counts.notFound + 1} times)`,
          }
        : { kind: 'ask-again', afterMs: timings.notFoundRetryMs };
    case 'no-answer':
      return {
        kind: 'ask-again',
        afterMs: Math.min(timings.maxRetryMs, timings.firstRetryMs * 2 ** Math.min(counts.attempt, 20)),
      };
  }
}

/** Why a manifestation is refused before anything is sent (the update's validator: nothing is recorded). */
export function manifestRefusal(
  state: ReceivedState,
  request: ManifestRequest,
  codes: readonly string[],
): string | undefined {
  if (!codes.includes(request.code)) return `code must be one of ${codes.join(', ')}`;
  if (request.reason !== undefined && (request.reason.length < 15 || request.reason.length > 500))
    return 'reason must have 15 to 500 characters';
  if (state.status !== 'accepted')
    return `only a document the DGI confirmed (accepted) can be manifested; this one is ${state.status}`;
  if (state.manifestation?.status === 'sending') return 'a manifestation is being sent; wait for its answer';
  if (state.manifestation?.status === 'accepted' && state.manifestation.code === request.code)
    return `manifestation ${request.code} was already registered`;
  return undefined;
}
