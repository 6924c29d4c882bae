import type { PacOutcome } from '../../common/pac-outcome.js';

/** What the workflow does next with a PAC answer (the unified model, pac-apis §6.2 and §6.4). */
export type Decision =
  | { next: 'authorized' }
  /** Keep asking; `enter` first moves to `submitted` (always, or unless already submitted or waiting for support). */
  | { next: 'poll'; enter?: { note: string; always: boolean } }
  | { next: 'resubmit' }
  | { next: 'reconcile-unknown' }
  | { next: 'reconcile-duplicate' }
  | { next: 'person'; status: 'rejected' | 'needs_support'; reason: string; code?: string }
  | { next: 'annulled' };

/**
 * The decision table, pure: (where the answer came from, the PAC's answer) → the next step. Every
 * status of the unified model has exactly one row; test/unit/workflow/decide.test.ts covers them all.
 */
export function decide(o: PacOutcome, from: 'submit' | 'query'): Decision {
  const code = o.pacCode ?? '';
  switch (o.status) {
    case 'authorized':
      return o.needsConfirmation
        ? {
            next: 'poll',
            enter: {
              note: `authorized by the DGI (${code}), waiting for the PAC's confirmation`,
              always: true,
            },
          }
        : { next: 'authorized' };
    case 'pending':
      return { next: 'poll', enter: { note: `pending at the PAC (${code})`, always: false } };
    case 'transient':
      // Nothing reached the PAC (connection refused): sending again is safe. Otherwise ask.
      return o.notSent
        ? { next: 'resubmit' }
        : { next: 'poll', enter: { note: 'transient answer: asking again later', always: false } };
    case 'unknown':
      return { next: 'reconcile-unknown' };
    case 'not-found':
      // A status query that finds nothing: it never reached the PAC. A submission answered so: ask.
      return from === 'query' ? { next: 'resubmit' } : { next: 'reconcile-unknown' };
    case 'duplicate':
      return { next: 'reconcile-duplicate' };
    case 'rejected-correctable':
      return {
        next: 'person',
        status: 'rejected',
        reason: o.pacMessage ?? 'rejected by the PAC or the DGI',
        ...(o.pacCode ? { code: o.pacCode } : {}),
      };
    case 'error-needs-support':
      return {
        next: 'person',
        status: 'needs_support',
        reason: o.pacMessage ?? 'the PAC reported an error that needs support',
        ...(o.pacCode ? { code: o.pacCode } : {}),
      };
    case 'auth-failed':
      // Reached only for a submission: a query's auth failure is never a verdict (pac-verdict.ts).
      return { next: 'resubmit' };
    case 'annulled':
      return { next: 'annulled' };
  }
}
