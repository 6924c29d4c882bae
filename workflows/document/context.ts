import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  sleep,
} from '@temporalio/workflow';
import type { PacActivities } from '../../activities/pac-activities.js';
import type { DocumentState } from '../../common/document-lifecycle.js';
import {
  DEFAULT_TIMINGS,
  type ActionKind,
  type CorrectionAction,
  type DocumentTimings,
  type OperatorAction,
} from '../../common/document-messages.js';
import type { DocumentWorkflowInput } from '../../common/document-workflow-types.js';
import { NON_RETRYABLE_FAILURE_TYPES as NON_RETRYABLE } from '../../common/failure-types.js';
import { bookkeepingActivities } from './bookkeeping.js';

/** An operator action accepted by a handler, waiting for the workflow's loop to take it. */
export type Pending = {
  kind: ActionKind;
  action: OperatorAction & Partial<CorrectionAction>;
  /** Set once the loop has applied the action (the document moved for it) or turned it down. */
  result?: { refused: false } | { refused: true; note: string };
};

/** Where the document workflow stands: one object the handlers, transitions and PAC steps share. */
export interface DocumentContext {
  input: DocumentWorkflowInput;
  t: DocumentTimings;
  state: DocumentState;
  local: ReturnType<typeof bookkeepingActivities>;
  pac: PacActivities;
  pacQuery: PacActivities;
  inbox: {
    pending?: Pending | undefined;
    /** The action the loop took last, until its result is known. */
    current?: Pending | undefined;
    /** The run is ending: Update handlers stop waiting for results. */
    closing?: boolean;
    /** The document's contingency has ended (signalled by the contingency workflow): transmit. */
    contingencyEnded?: boolean;
  };
  /** PAC queries and offline retries in this run (continue-as-new after `maxPollsPerRun`). */
  run: { polls: number };
  /**
   * Durable waits and the workflow's log: Temporal's in a workflow; the phase tests give their own, so every
   * phase runs as a plain function (test/unit/workflow/phases.test.ts).
   */
  waits: Waits;
}

export interface Waits {
  sleep(ms: number): Promise<void>;
  /** Until `done()` holds (true), or `ms` passed first (false). */
  until(done: () => boolean, ms?: number): Promise<boolean>;
  warn(message: string, fields: Record<string, unknown>): void;
}

export const TEMPORAL_WAITS: Waits = {
  sleep: (ms) => sleep(ms),
  until: (done, ms) => (ms === undefined ? condition(done).then(() => true) : condition(done, ms)),
  warn: (message, fields) => log.warn(message, fields),
};

export function createContext(input: DocumentWorkflowInput): DocumentContext {
  const t: DocumentTimings = { ...DEFAULT_TIMINGS, ...input.timings };
  return {
    input,
    t,
    local: bookkeepingActivities(t),
    // A submission is never retried by Temporal: its outcome would be unknown (reconciled instead).
    pac: proxyActivities<PacActivities>({
      taskQueue: input.pacTaskQueue,
      startToCloseTimeout: t.pacCallTimeoutMs,
      retry: { maximumAttempts: 1 },
    }),
    pacQuery: proxyActivities<PacActivities>({
      taskQueue: input.pacTaskQueue,
      startToCloseTimeout: t.pacCallTimeoutMs,
      retry: {
        initialInterval: '2s',
        maximumInterval: '1m',
        maximumAttempts: 5,
        nonRetryableErrorTypes: NON_RETRYABLE,
      },
    }),
    state: input.carried ?? {
      documentId: input.documentId,
      status: 'received',
      submissions: 0,
      polls: 0,
      reconciliations: 0,
      dgiIssues: [],
      corrections: [],
      actions: [],
      history: [],
    },
    // What the last run accepted and had not acted on yet (continueAsNewIfLong carries it).
    inbox: {
      ...(input.carriedInbox?.pending ? { pending: { ...input.carriedInbox.pending } } : {}),
      ...(input.carriedInbox?.contingencyEnded ? { contingencyEnded: true } : {}),
    },
    run: { polls: 0 },
    waits: TEMPORAL_WAITS,
  };
}

/**
 * The typed failure of an activity (type and message), or undefined for anything else. A local
 * activity's failure arrives unwrapped, as the ApplicationFailure itself.
 */
export function failureOf(err: unknown): { type: string; message: string } | undefined {
  if (err instanceof ApplicationFailure) return { type: err.type ?? 'Error', message: err.message };
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Error', message: cause.message };
    return { type: cause?.name ?? 'ActivityFailure', message: cause?.message ?? err.message };
  }
  return undefined;
}

/** A delay with random spread, so documents waiting on the same PAC do not ask in step. */
export const jittered = (ctx: DocumentContext, ms: number) =>
  Math.round(ms * (1 + ctx.t.pollJitter * Math.random()));
