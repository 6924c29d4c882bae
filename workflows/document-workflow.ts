import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  allHandlersFinished,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DocumentActivities } from '../activities/document-activities.js';
import type { PacActivities } from '../activities/pac-activities.js';
import type { RecordActivities } from '../activities/record-activities.js';
import type { DocumentState, DocumentStatus } from '../common/document-lifecycle.js';
import {
  annulSignal,
  annulUpdate,
  cancelSignal,
  cancelUpdate,
  correctSignal,
  correctUpdate,
  DEFAULT_TIMINGS,
  getDocumentState,
  resubmitSignal,
  resubmitUpdate,
  submitSignal,
  submitUpdate,
  type ActionKind,
  type CorrectionAction,
  type DocumentTimings,
  type OperatorAction,
} from '../common/document-messages.js';
import type { DocumentWorkflowInput } from '../common/document-workflow-types.js';
import type { PacOutcome } from '../common/pac-outcome.js';
import type { DocumentWebhookEvent } from '../common/webhook-event.js';
import { NON_RETRYABLE_FAILURE_TYPES as NON_RETRYABLE } from '../common/failure-types.js';
import {
  failedQuery,
  holdsNothingValid,
  isVerdict,
  STILL_ASKING,
  unknownOutcome,
  type AskingPurpose,
} from './document/pac-verdict.js';
import { webhookDeliveryWorkflow } from './webhook-delivery-workflow.js';
import {
  CompanyId,
  Cufe,
  DocNumber,
  DocStatus,
  DocType,
  EmitterRuc,
  NeedsPerson,
  Pac,
} from '../common/search-attributes.js';

/** What a person may do in a state (for notifications). */
const ALLOWED_ACTIONS_FOR: Partial<Record<DocumentStatus, ActionKind[]>> = {
  rejected: ['correct', 'cancel'],
  needs_support: ['resubmit', 'cancel'],
};

/** Where each action may be taken (the validator's rule, written once). */
const ALLOWED: Record<ActionKind, DocumentStatus[]> = {
  submit: ['awaiting_submission'],
  correct: ['rejected'],
  resubmit: ['needs_support'],
  annul: ['authorized'],
  cancel: ['awaiting_submission', 'queued_offline', 'rejected', 'needs_support'],
};

type Pending = { kind: ActionKind; action: OperatorAction & Partial<CorrectionAction> };
type Settled = 'authorized' | 'rejected' | 'needs_support' | 'resubmit' | 'annulled';

function failureOf(err: unknown): { type: string; message: string } | undefined {
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Error', message: cause.message };
    return { type: cause?.name ?? 'ActivityFailure', message: cause?.message ?? err.message };
  }
  return undefined;
}

/**
 * One fiscal document, durable from request to its final DGI state (docs/document-lifecycle.md):
 * build → sign (when fepa signs for this PAC) → submit → poll until terminal, with people stepping in
 * where the PAC says a person must. Never resubmits after an unknown outcome without asking the PAC first.
 */
export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentState> {
  // Runs started before this patch keep their recorded behaviour; every new run asks the PAC until it
  // has a verdict (docs/document-lifecycle.md). Decided once, before any command.
  const untilVerdict = patched('ask-until-verdict');
  const t: DocumentTimings = { ...DEFAULT_TIMINGS, ...input.timings };
  // Bookkeeping is PostgreSQL: an outage delays the document, never fails it (retried without limit;
  // the pending activity's attempts and last failure show in the Temporal UI, the worker logs each one).
  const local = proxyActivities<
    DocumentActivities & RecordActivities & Pick<PacActivities, 'pacSignatureMode'>
  >({
    startToCloseTimeout: '30s',
    retry: {
      initialInterval: t.bookkeepingRetryInitialMs,
      backoffCoefficient: 2,
      maximumInterval: t.bookkeepingRetryMaxMs,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const pac = proxyActivities<PacActivities>({
    taskQueue: input.pacTaskQueue,
    startToCloseTimeout: t.pacCallTimeoutMs,
    retry: { maximumAttempts: 1 },
  });
  const pacQuery = proxyActivities<PacActivities>({
    taskQueue: input.pacTaskQueue,
    startToCloseTimeout: t.pacCallTimeoutMs,
    retry: {
      initialInterval: '2s',
      maximumInterval: '1m',
      maximumAttempts: 5,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const state: DocumentState = input.carried ?? {
    documentId: input.documentId,
    status: 'received',
    submissions: 0,
    polls: 0,
    reconciliations: 0,
    dgiIssues: [],
    corrections: [],
    actions: [],
    history: [],
  };
  let pending: Pending | undefined;
  let pollsThisRun = 0;

  // ---- handlers first (before any await) ----
  setHandler(getDocumentState, () => state);
  const refusal = (kind: ActionKind, action: unknown): string | undefined => {
    const a = action as Partial<CorrectionAction> | undefined;
    if (!a || typeof a.actor !== 'string' || a.actor.trim() === '') return 'actor (who acts) is required';
    if (!ALLOWED[kind].includes(state.status)) return `cannot ${kind} a document in status ${state.status}`;
    if (pending) return `another action (${pending.kind}) is already queued`;
    if ((kind === 'resubmit' || kind === 'cancel' || kind === 'correct') && state.polling)
      return `the PAC is still being asked what it holds for this document${state.asking ? ` (${state.asking.purpose})` : ''}; acting now could issue it twice or cancel an authorized invoice`;
    if (kind === 'correct' && (typeof a.correctionId !== 'string' || !a.correctionId))
      return 'correctionId is required';
    if (kind === 'annul' && (typeof a.reason !== 'string' || a.reason.length < 15))
      return 'reason must have at least 15 characters';
    return undefined;
  };
  const accept = (kind: ActionKind, action: OperatorAction & Partial<CorrectionAction>) => {
    pending = { kind, action };
    state.actions.push({
      at: new Date().toISOString(),
      kind,
      actor: action.actor,
      ...(action.reason ? { reason: action.reason } : {}),
      accepted: true,
    });
  };
  const kinds: Array<[ActionKind, typeof submitUpdate, typeof submitSignal]> = [
    ['submit', submitUpdate, submitSignal],
    ['resubmit', resubmitUpdate, resubmitSignal],
    ['correct', correctUpdate, correctSignal],
    ['annul', annulUpdate, annulSignal],
    ['cancel', cancelUpdate, cancelSignal],
  ];
  for (const [kind, update, signal] of kinds) {
    setHandler(
      update,
      (action) => {
        accept(kind, action);
        return state;
      },
      {
        validator: (action) => {
          const why = refusal(kind, action);
          if (why) throw new Error(why);
        },
        description: `Operator action: ${kind} (refused with a reason when not allowed now)`,
      },
    );
    setHandler(signal, (action) => {
      const why = refusal(kind, action);
      if (why) {
        const actor =
          typeof (action as OperatorAction | undefined)?.actor === 'string' ? action.actor : 'unknown';
        state.actions.push({ at: new Date().toISOString(), kind, actor, accepted: false, note: why });
        log.warn('operator signal ignored', { kind, why });
        return;
      }
      accept(kind, action);
    });
  }

  // ---- state changes: query, search attributes and PostgreSQL stay in step ----
  upsertSearchAttributes([
    { key: CompanyId, value: input.companyId },
    { key: EmitterRuc, value: input.emitterRuc },
    { key: DocType, value: input.docType },
    { key: DocNumber, value: input.number },
    { key: Pac, value: input.pac },
  ]);
  const moveTo = async (
    status: DocumentStatus,
    actor = 'fepa',
    note?: string,
    detail: Record<string, unknown> = {},
  ) => {
    const from = state.history.at(-1)?.status ?? null;
    state.status = status;
    if (status !== 'needs_support' && status !== 'rejected') delete state.needsPerson;
    state.history.push({ at: new Date().toISOString(), status, actor, ...(note ? { note } : {}) });
    upsertSearchAttributes([
      { key: DocStatus, value: status },
      { key: NeedsPerson, value: state.needsPerson !== undefined },
      ...(state.cufe ? [{ key: Cufe, value: state.cufe }] : []),
    ]);
    const recorded = await local.recordDocumentTransition({
      documentId: input.documentId,
      seq: state.history.length,
      from,
      to: status,
      actor,
      kind: 'status',
      detail: { ...detail, ...(note ? { note } : {}) },
    });
    if (state.needsPerson)
      log.warn('document needs a person', {
        status,
        reason: state.needsPerson.reason,
        code: state.needsPerson.code,
      });
    // Every change is announced to the company's webhook by a child workflow of its own (retried until
    // delivered); the document never waits for the receiver. Patched: older runs did not notify.
    if (recorded?.webhook && patched('webhook-notifications')) await notify(status);
  };
  const notify = async (status: DocumentStatus) => {
    const seq = state.history.length;
    const self = `/v1/companies/${input.companyId}/documents/${input.documentId}`;
    const event: DocumentWebhookEvent = {
      eventId: `${workflowInfo().workflowId}:${seq}`,
      documentId: input.documentId,
      workflowId: workflowInfo().workflowId,
      seq,
      status,
      key: {
        environment: input.environment,
        docType: input.docType,
        branch: input.branch,
        pointOfSale: input.pointOfSale,
        number: input.number,
        emitterRuc: input.emitterRuc,
      },
      ...(state.cufe ? { cufe: state.cufe } : {}),
      ...(state.protocol ? { protocol: state.protocol } : {}),
      pac: { name: input.pac, ...(state.lastPac ?? {}) },
      dgiIssues: state.dgiIssues,
      ...(state.needsPerson
        ? { needsPerson: { ...state.needsPerson, actions: ALLOWED_ACTIONS_FOR[status] ?? [] } }
        : {}),
      at: new Date().toISOString(),
      links: { self, xml: `${self}/xml` },
    };
    await startChild(webhookDeliveryWorkflow, {
      workflowId: `webhook:${event.eventId}`,
      args: [{ companyId: input.companyId, event }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  };
  const needPerson = async (status: 'needs_support' | 'rejected', reason: string, code?: string) => {
    state.needsPerson = { reason, ...(code ? { code } : {}) };
    await moveTo(status, 'fepa', reason);
  };
  const remember = (o: PacOutcome) => {
    state.lastPac = {
      status: o.status,
      ...(o.pacCode ? { code: o.pacCode } : {}),
      ...(o.pacMessage ? { message: o.pacMessage } : {}),
    };
    if (o.dgiIssues.length) state.dgiIssues = o.dgiIssues;
    if (o.cufe) state.cufe = o.cufe;
    if (o.protocol) state.protocol = o.protocol;
    if (o.authorizedAt) state.authorizedAt = o.authorizedAt;
  };
  const waitForPerson = async (): Promise<Pending> => {
    await condition(() => pending !== undefined);
    const taken = pending!;
    pending = undefined;
    return taken;
  };
  const jittered = (ms: number) => Math.round(ms * (1 + t.pollJitter * Math.random()));

  // ---- steps ----
  const buildAndSign = async (): Promise<'ok' | 'stopped'> => {
    try {
      const prepared = await local.prepareDocument({ documentId: input.documentId });
      state.cufe = prepared.cufe;
      state.total = prepared.total;
      await moveTo('prepared');
      const mode = await local.pacSignatureMode({ companyId: input.companyId });
      state.signedByFepa = mode.fepaSigns;
      if (mode.fepaSigns) {
        const signed = await local.signDocument({ documentId: input.documentId, companyId: input.companyId });
        state.certificateFingerprint = signed.certificateFingerprint;
        await moveTo('signed');
      } else {
        await moveTo('signed', 'fepa', 'signing skipped: this PAC signs the document itself');
      }
      return mode.autoSubmit ? 'ok' : 'stopped';
    } catch (err) {
      const failure = failureOf(err);
      if (!failure) throw err;
      await needPerson('needs_support', failure.message, failure.type);
      return 'stopped';
    }
  };

  const submitOnce = async (): Promise<PacOutcome> => {
    state.submissions++;
    try {
      return await pac.submitToPac({ documentId: input.documentId });
    } catch (err) {
      return unknownOutcome(failureOf(err)?.message ?? 'activity failed');
    }
  };

  const queryOnce = async (): Promise<PacOutcome> => {
    state.polls++;
    pollsThisRun++;
    try {
      return await pacQuery.queryPacStatus({ documentId: input.documentId });
    } catch (err) {
      return failedQuery(failureOf(err)?.message ?? 'query failed');
    }
  };

  /** Every loop that waits checks this: a long wait continues as new, carrying the state. */
  const continueAsNewIfLong = async () => {
    if (pollsThisRun < t.maxPollsPerRun && !workflowInfo().continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof documentWorkflow>({ ...input, carried: state });
  };

  /** Shows that a person is needed without leaving the current state (fepa keeps asking meanwhile). */
  const flagPerson = (reason: string, code: string) => {
    state.needsPerson = { reason, code };
    upsertSearchAttributes([{ key: NeedsPerson, value: true }]);
    log.warn('document needs a person', { status: state.status, reason, code });
  };
  const clearPersonFlag = (code: string) => {
    if (state.needsPerson?.code !== code) return;
    delete state.needsPerson;
    upsertSearchAttributes([{ key: NeedsPerson, value: false }]);
  };

  /**
   * Asks the PAC what it holds until it gives a verdict (pac-verdict.ts); a transient, unknown or
   * auth-failed answer, or a failed query, means asking again later with backoff. After the deadline
   * the document shows it needs a person, and fepa keeps asking. The wait survives continue-as-new.
   */
  const askUntilVerdict = async (
    purpose: AskingPurpose,
    options: { waitFirst: boolean; action?: { actor: string; reason?: string } },
  ): Promise<PacOutcome> => {
    state.polling = true;
    const asking = (state.asking ??= {
      purpose,
      since: new Date().toISOString(),
      delayMs: t.pollInitialMs,
      authFailures: 0,
      ...(options.action ? { action: options.action } : {}),
    });
    const deadline =
      Date.parse(asking.since) + (purpose === 'pending' ? t.pendingDeadlineMs : t.verdictDeadlineMs);
    let wait = options.waitFirst;
    for (;;) {
      if (wait) {
        await sleep(jittered(asking.delayMs));
        asking.delayMs = Math.min(asking.delayMs * 2, t.pollMaxMs);
      }
      wait = true;
      const answer = await queryOnce();
      remember(answer);
      if (isVerdict(answer)) {
        delete state.asking;
        state.polling = false;
        return answer;
      }
      if (answer.status === 'auth-failed' && ++asking.authFailures === t.authRetries + 1)
        await stillAsking(
          purpose,
          "the PAC refuses fepa's credentials for status queries; still asking",
          'AUTH_FAILED',
        );
      if (Date.now() > deadline && !state.needsPerson)
        await stillAsking(purpose, STILL_ASKING[purpose].reason, STILL_ASKING[purpose].code);
      await continueAsNewIfLong();
    }
  };
  /** The document (not yet authorized) waits for support while fepa asks; an authorized one keeps its state. */
  const stillAsking = async (purpose: AskingPurpose, reason: string, code: string) => {
    if (purpose === 'annulment' || purpose === 'cancel' || state.status === 'needs_support')
      flagPerson(reason, code);
    else await needPerson('needs_support', reason, code);
  };

  /** Asks the PAC until it gives a final answer; durable timers with backoff and jitter. */
  const poll = async (startDelay = t.pollInitialMs): Promise<Settled> => {
    if (untilVerdict) return settle(await askUntilVerdict('pending', { waitFirst: true }), 'query');
    state.polling = true;
    let delay = startDelay;
    const deadline = Date.now() + t.pendingDeadlineMs;
    for (;;) {
      await sleep(jittered(delay));
      delay = Math.min(delay * 2, t.pollMaxMs);
      const answer = await queryOnce();
      remember(answer);
      const stillOpen =
        answer.status === 'pending' ||
        answer.status === 'transient' ||
        answer.status === 'unknown' ||
        (answer.status === 'authorized' && answer.needsConfirmation);
      if (!stillOpen) {
        state.polling = false;
        return settle(answer, 'query');
      }
      if (Date.now() > deadline && state.status !== 'needs_support') {
        await needPerson(
          'needs_support',
          `no final answer from the PAC after ${Math.round(t.pendingDeadlineMs / 60_000)} min; still asking`,
          'PENDING_DEADLINE',
        );
      }
      await continueAsNewIfLong();
    }
  };

  /** What an answer means for the document. Follows the unified model's rules (pac-apis §6.2, §6.4). */
  const settle = async (o: PacOutcome, from: 'submit' | 'query'): Promise<Settled> => {
    remember(o);
    switch (o.status) {
      case 'authorized':
        if (o.needsConfirmation) {
          await moveTo(
            'submitted',
            'pac',
            `authorized by the DGI (${o.pacCode ?? ''}), waiting for the PAC's confirmation`,
          );
          return poll();
        }
        return 'authorized';
      case 'pending':
        if (state.status !== 'submitted' && state.status !== 'needs_support')
          await moveTo('submitted', 'pac', `pending at the PAC (${o.pacCode ?? ''})`);
        return poll();
      case 'transient':
        if (o.notSent) return 'resubmit'; // nothing reached the PAC: sending again is safe (offline handling)
        if (state.status !== 'submitted' && state.status !== 'needs_support')
          await moveTo('submitted', 'pac', 'transient answer: asking again later');
        return poll();
      case 'unknown':
      case 'not-found':
        if (from === 'query' && o.status === 'not-found') return 'resubmit';
        return reconcile();
      case 'duplicate':
        state.reconciliations++;
        return untilVerdict ? reconcileDuplicate() : legacyDuplicate();
      case 'rejected-correctable':
        await needPerson('rejected', o.pacMessage ?? 'rejected by the PAC or the DGI', o.pacCode);
        return 'rejected';
      case 'error-needs-support':
        await needPerson(
          'needs_support',
          o.pacMessage ?? 'the PAC reported an error that needs support',
          o.pacCode,
        );
        return 'needs_support';
      case 'auth-failed':
        return 'resubmit'; // from a submission only: a query's auth failure is never a verdict
      case 'annulled':
        return 'annulled';
    }
  };

  /** After a duplicate answer: what the PAC holds under this document decides, never a single try. */
  const reconcileDuplicate = async (): Promise<Settled> => {
    const verdict = await askUntilVerdict('duplicate', { waitFirst: false });
    if (verdict.status !== 'not-found') return settle(verdict, 'query');
    await needPerson(
      'needs_support',
      'the PAC reports this number as a duplicate but holds no document with this CUFE: another document may use the number',
      'DUPLICATE',
    );
    return 'needs_support';
  };
  const legacyDuplicate = async (): Promise<Settled> => {
    const answer = await queryOnce();
    remember(answer);
    if (answer.status === 'authorized' || answer.status === 'pending' || answer.status === 'annulled')
      return settle(answer, 'query');
    await needPerson(
      'needs_support',
      `the PAC reports a duplicate number but has no authorization for it (${answer.status})`,
      'DUPLICATE',
    );
    return 'needs_support';
  };

  /** After an unknown outcome: ask before anything else; resubmit only when the PAC never saw it. */
  const reconcile = async (): Promise<Settled> => {
    state.reconciliations++;
    if (untilVerdict) {
      const verdict = await askUntilVerdict('unknown', { waitFirst: false });
      return verdict.status === 'not-found' ? 'resubmit' : settle(verdict, 'query');
    }
    // While the PAC is being asked, resubmitting or cancelling could issue the document twice.
    state.polling = true;
    let delay = t.pollInitialMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await queryOnce();
      remember(answer);
      if (answer.status !== 'transient' && answer.status !== 'unknown') {
        state.polling = false;
        return answer.status === 'not-found' ? 'resubmit' : settle(answer, 'query');
      }
      if (attempt >= 5 && state.status !== 'needs_support') {
        await needPerson(
          'needs_support',
          'the outcome of a submission is unknown and the PAC cannot be asked',
          'UNKNOWN_OUTCOME',
        );
      }
      await sleep(jittered(delay));
      delay = Math.min(delay * 2, t.pollMaxMs);
    }
  };

  /** Submits until the PAC settles; offline and auth failures are retried with backoff (nothing was taken). */
  const submitUntilSettled = async (): Promise<Settled> => {
    let offlineDelay = t.offlineRetryInitialMs;
    let authFailures = 0;
    for (;;) {
      const outcome = await submitOnce();
      const settled = await settle(outcome, 'submit');
      if (settled !== 'resubmit') return settled;
      if (outcome.status === 'auth-failed') {
        authFailures++;
        if (authFailures > t.authRetries) {
          await needPerson('needs_support', 'the PAC keeps refusing the credentials', 'AUTH_FAILED');
          return 'needs_support';
        }
      }
      if (outcome.notSent) {
        if (state.status !== 'queued_offline')
          await moveTo(
            'queued_offline',
            'fepa',
            'the PAC cannot be reached; the signed document is kept and sent when it answers',
          );
        await sleep(jittered(offlineDelay));
        offlineDelay = Math.min(offlineDelay * 2, t.offlineRetryMaxMs);
        if (untilVerdict) {
          pollsThisRun++;
          await continueAsNewIfLong();
        }
      } else if (outcome.status === 'auth-failed') {
        await sleep(jittered(t.offlineRetryInitialMs));
      }
    }
  };

  const refuseAction = (kind: ActionKind, action: OperatorAction, note: string) => {
    state.actions.push({ at: new Date().toISOString(), kind, actor: action.actor, accepted: false, note });
    log.warn('operator action refused', { kind, note });
  };

  /**
   * Authorized: open to an annulment until the window (from the authorization) closes. A refused or
   * failed annulment is recorded as such and the document stays authorized; an annulment whose outcome
   * is unknown is settled by asking the PAC before anything else.
   */
  const authorizedPhase = async (): Promise<'done' | 'annulled'> => {
    if (state.asking?.purpose === 'annulment') {
      const resumed = await annulmentVerdict(state.asking.action ?? { actor: 'fepa' });
      if (resumed === 'annulled') return 'annulled';
    }
    state.annulWindowEndsAt ??= new Date(Date.now() + t.annulWindowMs).toISOString();
    for (;;) {
      const remaining = Date.parse(state.annulWindowEndsAt) - Date.now();
      if (remaining <= 0 || !(await condition(() => pending !== undefined, remaining))) return 'done';
      const { action } = pending!;
      pending = undefined;
      const answer = await pac
        .annulAtPac({ documentId: input.documentId, reason: action.reason ?? '' })
        .catch((err: unknown) => unknownOutcome(failureOf(err)?.message ?? 'annulment failed'));
      remember(answer);
      if (answer.status === 'annulled') {
        await moveTo('annulled', action.actor, action.reason);
        return 'annulled';
      }
      const unknown = answer.status === 'unknown' || (answer.status === 'transient' && !answer.notSent);
      if (unknown) {
        if (
          (await annulmentVerdict({
            actor: action.actor,
            ...(action.reason ? { reason: action.reason } : {}),
          })) === 'annulled'
        )
          return 'annulled';
      } else refuseAction('annul', action, `the PAC did not annul: ${answer.pacMessage ?? answer.status}`);
    }
  };
  const annulmentVerdict = async (action: {
    actor: string;
    reason?: string;
  }): Promise<'annulled' | 'not'> => {
    const verdict = await askUntilVerdict('annulment', { waitFirst: false, action });
    clearPersonFlag(STILL_ASKING.annulment.code);
    clearPersonFlag('AUTH_FAILED');
    if (verdict.status === 'annulled') {
      await moveTo('annulled', action.actor, action.reason);
      return 'annulled';
    }
    refuseAction(
      'annul',
      action,
      `the annulment's outcome was unknown; the PAC holds the document as ${verdict.status}`,
    );
    return 'not';
  };

  /**
   * A cancel of a document the PAC may hold: ask first; cancel only when it holds nothing valid
   * (never received, or rejected). Otherwise the PAC's verdict is what happens next.
   */
  const cancelAfterAsking = async (action: OperatorAction): Promise<Settled | 'cancelled' | 'wait'> => {
    const verdict = await askUntilVerdict('cancel', { waitFirst: false, action });
    clearPersonFlag(STILL_ASKING.cancel.code);
    if (holdsNothingValid(verdict)) {
      await moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
      return 'cancelled';
    }
    refuseAction(
      'cancel',
      action,
      `the PAC holds this document as ${verdict.status}; it cannot be cancelled`,
    );
    if (verdict.status === 'error-needs-support' && state.status === 'needs_support') return 'wait';
    return settle(verdict, 'query');
  };

  // ---- the lifecycle ----
  /** Builds and signs, then says where to go: submit now, or wait (for `submit`, or for a person). */
  const buildThenRoute = async (): Promise<'start' | 'wait'> => {
    const built = await buildAndSign();
    if (built === 'ok') return 'start';
    if (state.status === 'signed')
      await moveTo('awaiting_submission', 'fepa', 'automatic submission is off for this company');
    return 'wait';
  };
  /** A continued run picks up where the last one stopped (also in the middle of asking the PAC). */
  const resume = async (): Promise<Settled | 'start' | 'wait' | 'cancelled'> => {
    switch (state.asking?.purpose) {
      case 'unknown':
        return reconcile();
      case 'duplicate':
        return reconcileDuplicate();
      case 'annulment':
        return 'authorized';
      case 'cancel':
        return cancelAfterAsking(state.asking.action ?? { actor: 'fepa' });
      case 'pending':
        return poll();
      case undefined:
        break;
    }
    if (state.polling) return poll(t.pollInitialMs);
    return state.status === 'signed' || state.status === 'queued_offline' ? 'start' : 'wait';
  };
  let next: Settled | 'start' | 'wait' | 'cancelled';
  if (!input.carried) {
    await moveTo('received', 'api');
    next = await buildThenRoute();
  } else {
    next = await resume();
  }

  for (;;) {
    if (next === 'cancelled') break;
    if (next === 'start' || next === 'resubmit') {
      next = await submitUntilSettled();
      continue;
    }
    if (next === 'authorized') {
      if (untilVerdict) {
        state.annulWindowEndsAt ??= new Date(Date.now() + t.annulWindowMs).toISOString();
        if (state.status !== 'authorized')
          await moveTo(
            'authorized',
            'pac',
            `authorized${state.protocol ? `, protocol ${state.protocol}` : ''}`,
          );
        await authorizedPhase();
        break;
      }
      await moveTo('authorized', 'pac', `authorized${state.protocol ? `, protocol ${state.protocol}` : ''}`);
      const asked = await condition(() => pending !== undefined, t.annulWindowMs);
      if (!asked) break;
      const { action } = pending!;
      pending = undefined;
      const answer = await pac
        .annulAtPac({ documentId: input.documentId, reason: action.reason ?? '' })
        .catch((err: unknown): PacOutcome => unknownOutcome(failureOf(err)?.message ?? 'annulment failed'));
      remember(answer);
      if (answer.status === 'annulled') {
        await moveTo('annulled', action.actor, action.reason);
        break;
      }
      state.actions.push({
        at: new Date().toISOString(),
        kind: 'annul',
        actor: action.actor,
        accepted: false,
        note: `the PAC did not annul: ${answer.pacMessage ?? answer.status}`,
      });
      next = 'authorized';
      continue;
    }
    if (next === 'annulled') {
      await moveTo('annulled', 'pac');
      break;
    }
    // rejected, needs_support, awaiting_submission: a person decides.
    const { kind, action } = await waitForPerson();
    if (kind === 'cancel') {
      if (untilVerdict && state.submissions > 0) {
        next = await cancelAfterAsking(action);
        continue;
      }
      await moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
      break;
    }
    delete state.needsPerson;
    if (kind === 'correct') {
      state.corrections.push(action.correctionId!);
      await moveTo(
        'received',
        action.actor,
        `corrected (${action.reason ?? 'no reason given'}): rebuilt with the same number`,
      );
      next = await buildThenRoute();
      continue;
    }
    const neverSigned =
      state.signedByFepa === undefined || (state.signedByFepa && !state.certificateFingerprint);
    await moveTo(
      neverSigned ? 'received' : 'signed',
      action.actor,
      `${kind}${action.reason ? `: ${action.reason}` : ''}`,
    );
    next = neverSigned ? await buildThenRoute() : 'start';
  }
  await condition(allHandlersFinished);
  return state;
}
