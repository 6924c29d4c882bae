import { condition } from '@temporalio/workflow';
import type { OperatorAction } from '../../common/document-messages.js';
import type { PacOutcome } from '../../common/pac-outcome.js';
import { failureOf, type DocumentContext } from './context.js';
import { refuseAction, takePending } from './operator-actions.js';
import type { PacConversation, Settled } from './pac-conversation.js';
import { holdsNothingValid, unknownOutcome } from './pac-verdict.js';
import type { Transitions } from './transitions.js';

/** Annulment and cancel: the two actions that must first know what the PAC holds. */
export function createAfterAuthorization(ctx: DocumentContext, tr: Transitions, talk: PacConversation) {
  const { input, t, state } = ctx;

  const annul = (action: OperatorAction) =>
    ctx.pac
      .annulAtPac({ documentId: input.documentId, reason: action.reason ?? '' })
      .catch((err: unknown): PacOutcome => unknownOutcome(failureOf(err)?.message ?? 'annulment failed'));

  const annulmentVerdict = async (action: {
    actor: string;
    reason?: string;
  }): Promise<'annulled' | 'not'> => {
    const verdict = await talk.askUntilVerdict('annulment', { waitFirst: false, action });
    if (verdict.status === 'annulled') {
      await tr.moveTo('annulled', action.actor, action.reason);
      return 'annulled';
    }
    refuseAction(
      ctx,
      'annul',
      action,
      `the annulment's outcome was unknown; the PAC holds the document as ${verdict.status}`,
    );
    return 'not';
  };

  /**
   * Authorized: open to an annulment until the window (from the authorization) closes. A refused or
   * failed annulment is recorded as such and the document stays authorized; an annulment whose outcome
   * is unknown is settled by asking the PAC before anything else.
   */
  const authorizedPhase = async (): Promise<'done' | 'annulled'> => {
    if (state.asking?.purpose === 'annulment') {
      if ((await annulmentVerdict(state.asking.action ?? { actor: 'fepa' })) === 'annulled')
        return 'annulled';
    }
    state.annulWindowEndsAt ??= new Date(Date.now() + t.annulWindowMs).toISOString();
    for (;;) {
      const remaining = Date.parse(state.annulWindowEndsAt) - Date.now();
      if (remaining <= 0 || !(await condition(() => ctx.inbox.pending !== undefined, remaining)))
        return 'done';
      const { kind, action } = takePending(ctx);
      if (kind !== 'annul') {
        // Accepted in an earlier state and never taken (never read as an annulment).
        refuseAction(ctx, kind, action, `${kind} does not apply to an authorized document`);
        continue;
      }
      const answer = await annul(action);
      tr.remember(answer);
      if (answer.status === 'annulled') {
        await tr.moveTo('annulled', action.actor, action.reason);
        return 'annulled';
      }
      const unknown = answer.status === 'unknown' || (answer.status === 'transient' && !answer.notSent);
      if (!unknown)
        refuseAction(ctx, 'annul', action, `the PAC did not annul: ${answer.pacMessage ?? answer.status}`);
      else if (
        (await annulmentVerdict({
          actor: action.actor,
          ...(action.reason ? { reason: action.reason } : {}),
        })) === 'annulled'
      )
        return 'annulled';
    }
  };

  /**
   * A cancel of a document the PAC may hold: ask first; cancel only when it holds nothing valid
   * (never received, or rejected). Otherwise the PAC's verdict is what happens next.
   */
  const cancelAfterAsking = async (action: OperatorAction): Promise<Settled | 'cancelled' | 'wait'> => {
    const verdict = await talk.askUntilVerdict('cancel', { waitFirst: false, action });
    if (holdsNothingValid(verdict)) {
      await tr.moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
      return 'cancelled';
    }
    refuseAction(
      ctx,
      'cancel',
      action,
      `the PAC holds this document as ${verdict.status}; it cannot be cancelled`,
    );
    if (verdict.status === 'error-needs-support' && state.status === 'needs_support') return 'wait';
    return talk.settle(verdict, 'query');
  };

  return { authorizedPhase, cancelAfterAsking };
}
