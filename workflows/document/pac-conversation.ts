import { condition, allHandlersFinished, continueAsNew, sleep, workflowInfo } from '@temporalio/workflow';
import type { PacOutcome } from '../../common/pac-outcome.js';
import type { DocumentState } from '../../common/document-lifecycle.js';
import type { DocumentWorkflowInput } from '../../common/document-workflow-types.js';
import { failureOf, jittered, type DocumentContext } from './context.js';
import { decide } from './decide.js';
import { failedQuery, isVerdict, STILL_ASKING, unknownOutcome, type AskingPurpose } from './pac-verdict.js';
import type { Transitions } from './transitions.js';

/** Where an answer leaves the document: final, waiting for a person, or to be sent (again). */
export type Settled = 'authorized' | 'rejected' | 'needs_support' | 'resubmit' | 'annulled';

export type PacConversation = ReturnType<typeof createPacConversation>;

/**
 * Everything the workflow says to the PAC and what each answer means (pac-apis §6; the rule of
 * docs/document-lifecycle.md: never act on what the PAC may hold without its verdict).
 */
export function createPacConversation(ctx: DocumentContext, tr: Transitions) {
  const { input, t, state } = ctx;

  /** A PAC call's answer; when it says the PAC has been unreachable long enough, a contingency opens. */
  const heard = async (o: PacOutcome): Promise<PacOutcome> => {
    if (o.contingencyAdvised) await tr.openContingency(o.contingencyAdvised);
    return o;
  };

  const submitOnce = async (): Promise<PacOutcome> => {
    state.submissions++;
    try {
      return await heard(await ctx.pac.submitToPac({ documentId: input.documentId }));
    } catch (err) {
      return unknownOutcome(failureOf(err)?.message ?? 'activity failed');
    }
  };

  const queryOnce = async (): Promise<PacOutcome> => {
    state.polls++;
    ctx.run.polls++;
    try {
      return await heard(await ctx.pacQuery.queryPacStatus({ documentId: input.documentId }));
    } catch (err) {
      return failedQuery(failureOf(err)?.message ?? 'query failed');
    }
  };

  /**
   * Holds a document issued in contingency until the contingency ends: the contingency workflow signals
   * it, and the document also asks now and then (a signal sent between two runs is not lost for long).
   */
  const untilContingencyEnds = async (contingencyId: string) => {
    for (;;) {
      if (ctx.inbox.contingencyEnded) return;
      if ((await ctx.local.contingencyHasEnded({ contingencyId })).ended) return;
      if (await condition(() => ctx.inbox.contingencyEnded === true, t.contingencyCheckMs)) return;
      ctx.run.polls++;
      await continueAsNewIfLong();
    }
  };

  /** Every loop that waits checks this: a long wait continues as new, carrying the state. */
  const continueAsNewIfLong = async () => {
    if (ctx.run.polls < t.maxPollsPerRun && !workflowInfo().continueAsNewSuggested) return;
    ctx.inbox.closing = true;
    await condition(allHandlersFinished);
    // An action accepted and not yet taken (its Update was answered) must happen in the next run.
    const { pending, contingencyEnded } = ctx.inbox;
    // Typed by its input, not by importing the workflow (that import was a cycle).
    await continueAsNew<(input: DocumentWorkflowInput) => Promise<DocumentState>>({
      ...input,
      carried: state,
      carriedInbox: {
        ...(pending ? { pending: { kind: pending.kind, action: pending.action } } : {}),
        ...(contingencyEnded ? { contingencyEnded } : {}),
      },
    });
  };

  /** The document (not yet authorized) waits for support while fepa asks; an authorized one keeps its state. */
  const stillAsking = async (purpose: AskingPurpose, reason: string, code: string) => {
    if (purpose === 'annulment' || purpose === 'cancel' || state.status === 'needs_support')
      tr.flagPerson(reason, code);
    else await tr.needPerson('needs_support', reason, code);
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
        await sleep(jittered(ctx, asking.delayMs));
        asking.delayMs = Math.min(asking.delayMs * 2, t.pollMaxMs);
      }
      wait = true;
      const answer = await queryOnce();
      tr.remember(answer);
      if (isVerdict(answer)) {
        delete state.asking;
        state.polling = false;
        // The flag `stillAsking` raised without a move (annulment and cancel checks) goes with the wait.
        if (purpose === 'annulment' || purpose === 'cancel') tr.clearPersonFlag(STILL_ASKING[purpose].code);
        if (purpose === 'annulment') tr.clearPersonFlag('AUTH_FAILED');
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

  /** Asks the PAC until it gives a final answer; durable timers with backoff and jitter. */
  const poll = async (): Promise<Settled> =>
    settle(await askUntilVerdict('pending', { waitFirst: true }), 'query');

  /** Carries out the decision table's answer (decide.ts). */
  const settle = async (o: PacOutcome, from: 'submit' | 'query'): Promise<Settled> => {
    tr.remember(o);
    const d = decide(o, from);
    switch (d.next) {
      case 'authorized':
      case 'resubmit':
      case 'annulled':
        return d.next;
      case 'poll':
        if (d.enter && (d.enter.always || (state.status !== 'submitted' && state.status !== 'needs_support')))
          await tr.moveTo('submitted', 'pac', d.enter.note);
        return poll();
      case 'reconcile-unknown':
        return reconcile();
      case 'reconcile-duplicate':
        state.reconciliations++;
        return reconcileDuplicate();
      case 'person':
        await tr.needPerson(d.status, d.reason, d.code);
        return d.status;
    }
  };

  /** After a duplicate answer: what the PAC holds under this document decides, never a single try. */
  const reconcileDuplicate = async (): Promise<Settled> => {
    const verdict = await askUntilVerdict('duplicate', { waitFirst: false });
    if (verdict.status !== 'not-found') return settle(verdict, 'query');
    await tr.needPerson(
      'needs_support',
      'the PAC reports this number as a duplicate but holds no document with this CUFE: another document may use the number',
      'DUPLICATE',
    );
    return 'needs_support';
  };

  /** After an unknown outcome: ask before anything else; resubmit only when the PAC never saw it. */
  const reconcile = async (): Promise<Settled> => {
    state.reconciliations++;
    const verdict = await askUntilVerdict('unknown', { waitFirst: false });
    if (verdict.status !== 'not-found') return settle(verdict, 'query');
    // The PAC may still be working on the request whose answer was lost: believe "not found" only
    // when it holds after notFoundSettleMs (found in chaos runs: a PAC stalled on its own database
    // stored the first submission after answering "not found", and the resend issued it twice).
    await sleep(t.notFoundSettleMs);
    const again = await askUntilVerdict('unknown', { waitFirst: false });
    if (again.status !== 'not-found') return settle(again, 'query');
    return 'resubmit';
  };

  /**
   * Submits until the PAC settles; offline and auth failures are retried with backoff (nothing was
   * taken). A cancel accepted while queued offline stops the retries ('wait': the loop takes it).
   */
  const submitUntilSettled = async (): Promise<Settled | 'wait' | 'reissue'> => {
    let offlineDelay = t.offlineRetryInitialMs;
    let authFailures = 0;
    for (;;) {
      const outcome = await submitOnce();
      const settled = await settle(outcome, 'submit');
      if (settled !== 'resubmit') return settled;
      if (outcome.status === 'auth-failed' && ++authFailures > t.authRetries) {
        await tr.needPerson('needs_support', 'the PAC keeps refusing the credentials', 'AUTH_FAILED');
        return 'needs_support';
      }
      if (outcome.notSent) {
        if (state.status !== 'queued_offline')
          await tr.moveTo(
            'queued_offline',
            'fepa',
            'the PAC cannot be reached; the signed document is kept and sent when it answers',
          );
        if (await condition(() => ctx.inbox.pending?.kind === 'cancel', jittered(ctx, offlineDelay)))
          return 'wait';
        offlineDelay = Math.min(offlineDelay * 2, t.offlineRetryMaxMs);
        const reissue = await ctx.local.reissueQueuedInContingency({
          documentId: input.documentId,
          companyId: input.companyId,
          environment: input.environment,
        });
        if (reissue.reissued) return 'reissue';
        ctx.run.polls++;
        await continueAsNewIfLong();
      } else if (outcome.status === 'auth-failed') {
        await sleep(jittered(ctx, t.offlineRetryInitialMs));
      }
    }
  };

  return {
    submitUntilSettled,
    settle,
    poll,
    reconcile,
    reconcileDuplicate,
    askUntilVerdict,
    continueAsNewIfLong,
    untilContingencyEnds,
  };
}
