import {
  ActivityFailure,
  ApplicationFailure,
  log,
  proxyActivities,
  proxyLocalActivities,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { ContingencyActivities } from '../../activities/contingency-activities.js';
import type { DocumentActivities } from '../../activities/document-activities.js';
import type { PacActivities } from '../../activities/pac-activities.js';
import type { RecordActivities } from '../../activities/record-activities.js';
import type { DocumentTimings } from '../../common/document-messages.js';
import { NON_RETRYABLE_FAILURE_TYPES as NON_RETRYABLE } from '../../common/failure-types.js';

type Bookkeeping = DocumentActivities &
  RecordActivities &
  Pick<ContingencyActivities, 'contingencyHasEnded' | 'reissueQueuedInContingency'> &
  Pick<PacActivities, 'pacSignatureMode'>;

/** Only a database write or read of the worker's own: cheap enough to run inside the workflow task. */
type Quick = 'recordDocumentTransition' | 'pacSignatureMode';

/** How many times a local attempt is made before the durable activity takes over. */
export const LOCAL_BOOKKEEPING_ATTEMPTS = 3;

/**
 * The document's PostgreSQL bookkeeping. An outage delays the document, never fails it: the durable
 * activity is retried without limit, and its attempts and last failure show on the pending activity in
 * the Temporal UI (the worker logs each one).
 *
 * The quick steps run first as local activities: one marker event instead of an activity's three and a workflow task round trip. A local
 * activity's retries are invisible in the UI, so after a few quick attempts the step falls back to the
 * durable activity, which is where a long outage waits (and shows). Both steps are idempotent.
 */
export function bookkeepingActivities(t: DocumentTimings): Bookkeeping {
  const durable = proxyActivities<Bookkeeping>({
    startToCloseTimeout: '30s',
    retry: {
      initialInterval: t.bookkeepingRetryInitialMs,
      backoffCoefficient: 2,
      maximumInterval: t.bookkeepingRetryMaxMs,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const quick = proxyLocalActivities<Pick<Bookkeeping, Quick>>({
    startToCloseTimeout: '10s',
    // The quick phase is short whatever happens; a longer wait belongs to the durable activity.
    scheduleToCloseTimeout: '20s',
    retry: {
      initialInterval: t.bookkeepingRetryInitialMs,
      backoffCoefficient: 2,
      maximumInterval: t.bookkeepingRetryMaxMs,
      maximumAttempts: LOCAL_BOOKKEEPING_ATTEMPTS,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const quickThenDurable =
    <K extends Quick>(name: K) =>
    async (...args: Parameters<Bookkeeping[K]>): Promise<Awaited<ReturnType<Bookkeeping[K]>>> => {
      const call = (side: Pick<Bookkeeping, Quick>) =>
        (side[name] as (...a: Parameters<Bookkeeping[K]>) => Promise<Awaited<ReturnType<Bookkeeping[K]>>>)(
          ...args,
        );
      try {
        return await call(quick);
      } catch (err) {
        if (!retryable(err)) throw err;
        log.warn('bookkeeping waits for PostgreSQL: retrying as an activity (visible in the Temporal UI)', {
          step: name,
          error: err instanceof Error ? err.message : String(err),
        });
        return call(durable);
      }
    };
  const quickSteps: Pick<Bookkeeping, Quick> = {
    recordDocumentTransition: quickThenDurable('recordDocumentTransition'),
    pacSignatureMode: quickThenDurable('pacSignatureMode'),
  };
  // `durable` is a proxy that makes any activity on access (it cannot be spread): wrap it the same way.
  return new Proxy(durable, {
    get: (target, name, receiver): unknown =>
      Object.hasOwn(quickSteps, name) ? quickSteps[name as Quick] : Reflect.get(target, name, receiver),
  });
}

/**
 * A quick phase that ended for a reason a later attempt could fix (its attempts ran out, or it timed
 * out), not a non-retryable failure. A local activity's failure arrives as the activity's own failure
 * (an ApplicationFailure or a TimeoutFailure), not wrapped in an ActivityFailure.
 */
function retryable(err: unknown): boolean {
  if (err instanceof ActivityFailure) {
    if (err.retryState === 'NON_RETRYABLE_FAILURE') return false;
    return retryable(err.cause);
  }
  if (err instanceof ApplicationFailure) return !NON_RETRYABLE.includes(err.type ?? '');
  return err instanceof TimeoutFailure;
}
