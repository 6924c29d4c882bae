import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
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
  /** Runs started before the 'ask-until-verdict' patch keep their recorded behaviour. */
  untilVerdict: boolean;
  /** Runs started after the 'update-answers-when-applied' patch answer an Update once it is applied. */
  answerWhenApplied: boolean;
  /** Runs started after the 'not-found-settles' patch confirm a "not found" before resubmitting. */
  notFoundSettles: boolean;
  /** Runs started after the 'cafe-delivery' patch e-mail the CAFE after authorization when asked to. */
  cafeDelivery: boolean;
  /** Runs started after the 'contingency' patch open contingencies and re-issue queued documents in them. */
  contingency: boolean;
  /**
   * Runs started after the 'webhooks-decided-at-start' patch notify without consulting the older
   * 'webhook-notifications' patch mid-run (found in the contingency tests: that patch, called only after a
   * local activity said the company has a webhook, failed replays for queries now and then).
   */
  webhooksFromStart: boolean;
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
}

/** Behaviours decided once per run, before any command (patches: older runs replay as recorded). */
export interface RunFeatures {
  untilVerdict: boolean;
  localBookkeeping: boolean;
  answerWhenApplied: boolean;
  notFoundSettles: boolean;
  cafeDelivery: boolean;
  contingency: boolean;
  webhooksFromStart: boolean;
}

export function createContext(input: DocumentWorkflowInput, features: RunFeatures): DocumentContext {
  const t: DocumentTimings = { ...DEFAULT_TIMINGS, ...input.timings };
  return {
    input,
    t,
    untilVerdict: features.untilVerdict,
    answerWhenApplied: features.answerWhenApplied,
    notFoundSettles: features.notFoundSettles,
    cafeDelivery: features.cafeDelivery,
    contingency: features.contingency,
    webhooksFromStart: features.webhooksFromStart,
    local: bookkeepingActivities(t, features.localBookkeeping),
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
