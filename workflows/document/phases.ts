import type { DocumentPhase, DocumentState } from '../../common/document-lifecycle.js';
import type { OperatorAction } from '../../common/document-messages.js';
import type { PacOutcome } from '../../common/pac-outcome.js';
import { failureOf, jittered, type DocumentContext } from './context.js';
import { decide } from './decide.js';
import { refuseAction, takePending, waitForPerson } from './operator-actions.js';
import {
  failedQuery,
  holdsNothingValid,
  isVerdict,
  STILL_ASKING,
  unknownOutcome,
  type AskingPurpose,
} from './pac-verdict.js';
import type { Transitions } from './transitions.js';

/**
 * The document workflow's phases (docs/document-lifecycle.md). Each is one bounded step: it does one thing
 * (build, one submission, one query, one wait for a person…), records what it needs in the durable state, and
 * returns the phase to run next. The loop in document-workflow.ts runs them and alone continues as new, so a
 * phase never has to stop half-way.
 */
export function createPhases(ctx: DocumentContext, tr: Transitions) {
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

  /** Starts asking the PAC what it holds (the `ask` phase does it, one query per step). */
  const startAsking = (
    purpose: AskingPurpose,
    options: { waitFirst: boolean; action?: OperatorAction; settleFirstMs?: number; confirming?: boolean },
  ): DocumentPhase => {
    state.polling = true;
    state.asking = {
      purpose,
      since: new Date().toISOString(),
      delayMs: t.pollInitialMs,
      authFailures: 0,
      waitNext: options.waitFirst,
      ...(options.action
        ? {
            action: {
              actor: options.action.actor,
              ...(options.action.reason ? { reason: options.action.reason } : {}),
            },
          }
        : {}),
      ...(options.settleFirstMs ? { settleFirstMs: options.settleFirstMs } : {}),
      ...(options.confirming ? { confirming: true } : {}),
    };
    return 'ask';
  };

  /** Authorized: the annulment window runs from now; the CAFE goes by e-mail when the receiver asked for it. */
  const enterAuthorized = async (): Promise<DocumentPhase> => {
    state.annulWindowEndsAt ??= new Date(Date.now() + t.annulWindowMs).toISOString();
    if (state.status !== 'authorized')
      await tr.moveTo(
        'authorized',
        'pac',
        `authorized${state.protocol ? `, protocol ${state.protocol}` : ''}`,
      );
    if (state.cafeByEmail && !state.cafeDelivery) await tr.startCafeDelivery();
    return 'annul-window';
  };

  /** Carries out the decision table's answer (decide.ts) for an answer to a submission or a query. */
  const settle = async (o: PacOutcome, from: 'submit' | 'query'): Promise<DocumentPhase> => {
    tr.remember(o);
    const d = decide(o, from);
    switch (d.next) {
      case 'authorized':
        return enterAuthorized();
      case 'resubmit':
        return 'submit';
      case 'annulled':
        await tr.moveTo('annulled', 'pac');
        return 'done';
      case 'poll':
        if (d.enter && (d.enter.always || (state.status !== 'submitted' && state.status !== 'needs_support')))
          await tr.moveTo('submitted', 'pac', d.enter.note);
        return startAsking('pending', { waitFirst: true });
      case 'reconcile-unknown':
        state.reconciliations++;
        return startAsking('unknown', { waitFirst: false });
      case 'reconcile-duplicate':
        state.reconciliations++;
        return startAsking('duplicate', { waitFirst: false });
      case 'person':
        await tr.needPerson(d.status, d.reason, d.code);
        return 'person';
    }
  };

  /** Builds and signs (when fepa signs for this PAC); false when a person must act first. */
  const buildAndSign = async (): Promise<'ok' | 'stopped'> => {
    try {
      const prepared = await ctx.local.prepareDocument({ documentId: input.documentId });
      if (prepared.contingencyId) state.contingency = { id: prepared.contingencyId };
      state.total = prepared.total;
      if (prepared.cafeByEmail) state.cafeByEmail = true;
      await tr.moveTo('prepared');
      // In contingency fepa signs where the PAC takes a signed copy: the customer needs a valid CAFE now.
      const mode = await ctx.local.pacSignatureMode({
        companyId: input.companyId,
        ...(state.contingency ? { inContingency: true } : {}),
      });
      state.signedByFepa = mode.fepaSigns;
      if (mode.fepaSigns) {
        // The CUFE is shown once it is issued: when fepa signs, now; when the PAC signs, the PAC's (issue #27 §4).
        state.cufe = prepared.cufe;
        const signed = await ctx.local.signDocument({
          documentId: input.documentId,
          companyId: input.companyId,
        });
        state.certificateFingerprint = signed.certificateFingerprint;
        await tr.moveTo('signed');
      } else {
        await tr.moveTo(
          'signed',
          'fepa',
          'signing skipped: this PAC signs the document itself and gives its CUFE',
        );
      }
      return mode.autoSubmit ? 'ok' : 'stopped';
    } catch (err) {
      const failure = failureOf(err);
      if (!failure) throw err;
      await tr.needPerson('needs_support', failure.message, failure.type);
      return 'stopped';
    }
  };

  /** build: build and sign, then submit now, hold until the contingency it was issued in ends, or wait. */
  const build = async (): Promise<DocumentPhase> => {
    const built = await buildAndSign();
    if (built === 'ok' && state.contingency) {
      tr.markContingency(state.contingency.id);
      await tr.moveTo(
        'issued_in_contingency',
        'fepa',
        `issued in contingency ${state.contingency.id}: its CUFE and CAFE are valid now; transmitted when the contingency ends`,
      );
      return 'hold';
    }
    if (built === 'ok') return 'submit';
    if (state.status === 'signed')
      await tr.moveTo('awaiting_submission', 'fepa', 'automatic submission is off for this company');
    return 'person';
  };

  /**
   * hold: a document issued in contingency waits until the contingency ends; the contingency workflow
   * signals it, and the document also asks now and then (a signal sent between two runs is not lost for long).
   */
  const hold = async (): Promise<DocumentPhase> => {
    const contingencyId = state.contingency!.id;
    if (ctx.inbox.contingencyEnded) return 'submit';
    if ((await ctx.local.contingencyHasEnded({ contingencyId })).ended) return 'submit';
    if (await ctx.waits.until(() => ctx.inbox.contingencyEnded === true, t.contingencyCheckMs))
      return 'submit';
    ctx.run.polls++;
    return 'hold';
  };

  /**
   * submit: one submission. Offline and refused credentials are retried with backoff (nothing was taken); a
   * cancel accepted while queued offline stops the retries (the person phase takes it). In an open
   * contingency a queued 01 may be re-issued in it (company setting).
   */
  const submit = async (): Promise<DocumentPhase> => {
    const retry = (state.retry ??= { offlineDelayMs: t.offlineRetryInitialMs, authFailures: 0 });
    const outcome = await submitOnce();
    const next = await settle(outcome, 'submit');
    if (next !== 'submit') {
      delete state.retry;
      return next;
    }
    if (outcome.status === 'auth-failed' && ++retry.authFailures > t.authRetries) {
      delete state.retry;
      await tr.needPerson('needs_support', 'the PAC keeps refusing the credentials', 'AUTH_FAILED');
      return 'person';
    }
    if (outcome.notSent) {
      if (state.status !== 'queued_offline')
        await tr.moveTo(
          'queued_offline',
          'fepa',
          'the PAC cannot be reached; the signed document is kept and sent when it answers',
        );
      if (
        await ctx.waits.until(() => ctx.inbox.pending?.kind === 'cancel', jittered(ctx, retry.offlineDelayMs))
      ) {
        delete state.retry;
        return 'person';
      }
      retry.offlineDelayMs = Math.min(retry.offlineDelayMs * 2, t.offlineRetryMaxMs);
      const reissue = await ctx.local.reissueQueuedInContingency({
        documentId: input.documentId,
        companyId: input.companyId,
        environment: input.environment,
      });
      if (reissue.reissued) {
        delete state.retry;
        await tr.moveTo(
          'received',
          'fepa',
          `re-issued in the open contingency (company setting): the 01${state.cufe ? ` (CUFE ${state.cufe})` : ''} never reached the PAC nor the customer; same number, new CUFE`,
        );
        return 'build';
      }
      ctx.run.polls++;
    } else if (outcome.status === 'auth-failed') {
      await ctx.waits.sleep(jittered(ctx, t.offlineRetryInitialMs));
    }
    return 'submit';
  };

  /** The document (not yet authorized) waits for support while fepa asks; an authorized one keeps its state. */
  const stillAsking = async (purpose: AskingPurpose, reason: string, code: string) => {
    if (purpose === 'annulment' || purpose === 'cancel' || state.status === 'needs_support')
      tr.flagPerson(reason, code);
    else await tr.needPerson('needs_support', reason, code);
  };

  /**
   * ask: one question to the PAC about what it holds (after a wait with backoff when it is not the first).
   * Transient, unknown, auth-failed answers and failed queries are no verdict: ask again (after the
   * deadline, support is shown the document, and fepa keeps asking). A verdict decides by why fepa asked.
   */
  const ask = async (): Promise<DocumentPhase> => {
    const asking = state.asking!;
    const { purpose } = asking;
    if (asking.settleFirstMs) {
      await ctx.waits.sleep(asking.settleFirstMs);
      delete asking.settleFirstMs;
    } else if (asking.waitNext) {
      await ctx.waits.sleep(jittered(ctx, asking.delayMs));
      asking.delayMs = Math.min(asking.delayMs * 2, t.pollMaxMs);
    }
    asking.waitNext = true;
    const answer = await queryOnce();
    tr.remember(answer);
    if (!isVerdict(answer)) {
      const deadline =
        Date.parse(asking.since) + (purpose === 'pending' ? t.pendingDeadlineMs : t.verdictDeadlineMs);
      if (answer.status === 'auth-failed' && ++asking.authFailures === t.authRetries + 1)
        await stillAsking(
          purpose,
          "the PAC refuses fepa's credentials for status queries; still asking",
          'AUTH_FAILED',
        );
      if (Date.now() > deadline && !state.needsPerson)
        await stillAsking(purpose, STILL_ASKING[purpose].reason, STILL_ASKING[purpose].code);
      return 'ask';
    }
    delete state.asking;
    state.polling = false;
    // The flag `stillAsking` raised without a move (annulment and cancel checks) goes with the wait.
    if (purpose === 'annulment' || purpose === 'cancel') tr.clearPersonFlag(STILL_ASKING[purpose].code);
    if (purpose === 'annulment') tr.clearPersonFlag('AUTH_FAILED');
    return verdict(purpose, answer, asking);
  };

  /** What the PAC's verdict means, by why fepa asked. */
  const verdict = async (
    purpose: AskingPurpose,
    answer: PacOutcome,
    asking: NonNullable<DocumentState['asking']>,
  ): Promise<DocumentPhase> => {
    const action = asking.action ?? { actor: 'fepa' };
    switch (purpose) {
      case 'pending':
        return settle(answer, 'query');
      case 'unknown':
        if (answer.status !== 'not-found') return settle(answer, 'query');
        // The PAC may still be working on the request whose answer was lost: believe "not found" only
        // when it holds after notFoundSettleMs (found in chaos runs: a PAC stalled on its own database
        // stored the first submission after answering "not found", and the resend issued it twice).
        if (!asking.confirming)
          return startAsking('unknown', {
            waitFirst: false,
            settleFirstMs: t.notFoundSettleMs,
            confirming: true,
          });
        return 'submit';
      case 'duplicate':
        if (answer.status !== 'not-found') return settle(answer, 'query');
        await tr.needPerson(
          'needs_support',
          'the PAC reports this number as a duplicate but holds no document with this CUFE: another document may use the number',
          'DUPLICATE',
        );
        return 'person';
      case 'annulment':
        if (answer.status === 'annulled') {
          await tr.moveTo('annulled', action.actor, action.reason);
          return 'done';
        }
        refuseAction(
          ctx,
          'annul',
          action,
          `the annulment's outcome was unknown; the PAC holds the document as ${answer.status}`,
        );
        return 'annul-window';
      case 'cancel':
        // A cancel goes ahead only when the PAC holds nothing valid (never received, or rejected).
        if (holdsNothingValid(answer)) {
          await tr.moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
          return 'done';
        }
        refuseAction(
          ctx,
          'cancel',
          action,
          `the PAC holds this document as ${answer.status}; it cannot be cancelled`,
        );
        if (answer.status === 'error-needs-support' && state.status === 'needs_support') return 'person';
        return settle(answer, 'query');
    }
  };

  /** person: rejected, needs support, or held for submission: an operator's action decides. */
  const person = async (): Promise<DocumentPhase> => {
    const { kind, action } = await waitForPerson(ctx);
    if (kind === 'cancel') {
      // The PAC may hold what was sent: ask it before cancelling.
      if (state.submissions > 0) return startAsking('cancel', { waitFirst: false, action });
      await tr.moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
      return 'done';
    }
    delete state.needsPerson;
    if (kind === 'correct') {
      state.corrections.push(action.correctionId!);
      await tr.moveTo(
        'received',
        action.actor,
        `corrected (${action.reason ?? 'no reason given'}): rebuilt with the same number`,
      );
      return 'build';
    }
    const neverSigned =
      state.signedByFepa === undefined || (state.signedByFepa && !state.certificateFingerprint);
    await tr.moveTo(
      neverSigned ? 'received' : 'signed',
      action.actor,
      `${kind}${action.reason ? `: ${action.reason}` : ''}`,
    );
    return neverSigned ? 'build' : 'submit';
  };

  const annul = (action: OperatorAction) =>
    ctx.pac
      .annulAtPac({ documentId: input.documentId, reason: action.reason ?? '' })
      .catch((err: unknown): PacOutcome => unknownOutcome(failureOf(err)?.message ?? 'annulment failed'));

  /**
   * annul-window: authorized, open to an annulment until the window (from the authorization) closes. A
   * refused or failed annulment is recorded and the document stays authorized; one whose outcome is unknown
   * is settled by asking the PAC before anything else.
   */
  const annulWindow = async (): Promise<DocumentPhase> => {
    const remaining = Date.parse(state.annulWindowEndsAt!) - Date.now();
    if (remaining <= 0 || !(await ctx.waits.until(() => ctx.inbox.pending !== undefined, remaining)))
      return 'done';
    const { kind, action } = takePending(ctx);
    if (kind !== 'annul') {
      // Accepted in an earlier state and never taken (never read as an annulment).
      refuseAction(ctx, kind, action, `${kind} does not apply to an authorized document`);
      return 'annul-window';
    }
    const answer = await annul(action);
    tr.remember(answer);
    if (answer.status === 'annulled') {
      await tr.moveTo('annulled', action.actor, action.reason);
      return 'done';
    }
    const unknown = answer.status === 'unknown' || (answer.status === 'transient' && !answer.notSent);
    if (unknown) return startAsking('annulment', { waitFirst: false, action });
    refuseAction(ctx, 'annul', action, `the PAC did not annul: ${answer.pacMessage ?? answer.status}`);
    return 'annul-window';
  };

  return { build, hold, submit, ask, person, annulWindow };
}

export type Phases = ReturnType<typeof createPhases>;
