import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import type { DocumentStatus } from '../../common/document-lifecycle.js';
import {
  annulSignal,
  annulUpdate,
  cancelSignal,
  cancelUpdate,
  contingencyEndedSignal,
  correctSignal,
  correctUpdate,
  getDocumentState,
  resubmitSignal,
  resubmitUpdate,
  submitSignal,
  submitUpdate,
  type ActionKind,
  type CorrectionAction,
  type OperatorAction,
} from '../../common/document-messages.js';
import type { DocumentContext, Pending } from './context.js';

/** What a person may do in a state (for notifications). */
export const ALLOWED_ACTIONS_FOR: Partial<Record<DocumentStatus, ActionKind[]>> = {
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

/** Why an action cannot be taken now, or undefined when it can (the Update validators' one rule). */
export function refusal(ctx: DocumentContext, kind: ActionKind, action: unknown): string | undefined {
  const { state, inbox } = ctx;
  const a = action as Partial<CorrectionAction> | undefined;
  if (!a || typeof a.actor !== 'string' || a.actor.trim() === '') return 'actor (who acts) is required';
  if (!ALLOWED[kind].includes(state.status)) return `cannot ${kind} a document in status ${state.status}`;
  if (inbox.pending) return `another action (${inbox.pending.kind}) is already queued`;
  if ((kind === 'resubmit' || kind === 'cancel' || kind === 'correct') && state.polling)
    return `the PAC is still being asked what it holds for this document${state.asking ? ` (${state.asking.purpose})` : ''}; acting now could issue it twice or cancel an authorized invoice`;
  if (kind === 'correct' && (typeof a.correctionId !== 'string' || !a.correctionId))
    return 'correctionId is required';
  if (kind === 'annul' && (typeof a.reason !== 'string' || a.reason.length < 15))
    return 'reason must have at least 15 characters';
  return undefined;
}

/**
 * The state query, and each operator action as an Update (refused by its validator with a reason) and a
 * Signal of the same name (for the UI and CLI; a refused one is recorded and ignored). Registered before
 * any await.
 */
export function registerOperatorHandlers(ctx: DocumentContext): void {
  const { state } = ctx;
  setHandler(getDocumentState, () => state);
  setHandler(contingencyEndedSignal, () => {
    ctx.inbox.contingencyEnded = true;
  });
  const accept = (kind: ActionKind, action: OperatorAction & Partial<CorrectionAction>): Pending => {
    const pending: Pending = { kind, action };
    ctx.inbox.pending = pending;
    state.actions.push({
      at: new Date().toISOString(),
      kind,
      actor: action.actor,
      ...(action.reason ? { reason: action.reason } : {}),
      accepted: true,
    });
    return pending;
  };
  /**
   * An Update is answered once its action is applied (the state it led to) or turned down after
   * acceptance (the update fails with the reason); after `updateAnswerWaitMs` it answers the state as it
   * is, the action still in progress.
   */
  const answer = async (pending: Pending) => {
    await condition(
      () => pending.result !== undefined || ctx.inbox.closing === true,
      ctx.t.updateAnswerWaitMs,
    );
    if (pending.result?.refused)
      throw ApplicationFailure.create({
        type: 'ActionRefused',
        message: pending.result.note,
        nonRetryable: true,
      });
    return state;
  };
  const kinds: Array<[ActionKind, typeof submitUpdate, typeof submitSignal]> = [
    ['submit', submitUpdate, submitSignal],
    ['resubmit', resubmitUpdate, resubmitSignal],
    ['correct', correctUpdate, correctSignal],
    ['annul', annulUpdate, annulSignal],
    ['cancel', cancelUpdate, cancelSignal],
  ];
  for (const [kind, update, signal] of kinds) {
    setHandler(update, (action) => answer(accept(kind, action)), {
      validator: (action) => {
        const why = refusal(ctx, kind, action);
        if (why) throw new Error(why);
      },
      description: `Operator action: ${kind} (refused with a reason when not allowed now)`,
    });
    setHandler(signal, (action) => {
      const why = refusal(ctx, kind, action);
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
}

/** Waits for a person's action and takes it from the inbox. */
export async function waitForPerson(ctx: DocumentContext): Promise<Pending> {
  await ctx.waits.until(() => ctx.inbox.pending !== undefined);
  return takePending(ctx);
}

export function takePending(ctx: DocumentContext): Pending {
  const taken = ctx.inbox.pending!;
  ctx.inbox.pending = undefined;
  ctx.inbox.current = taken;
  return taken;
}

/** The action taken last has been applied: the document moved for it. */
export function actionApplied(ctx: DocumentContext): void {
  if (ctx.inbox.current) ctx.inbox.current.result = { refused: false };
  ctx.inbox.current = undefined;
}

/** Records an accepted action that the PAC's answer turned down (the document does not move for it). */
export function refuseAction(
  ctx: DocumentContext,
  kind: ActionKind,
  action: OperatorAction,
  note: string,
): void {
  ctx.state.actions.push({ at: new Date().toISOString(), kind, actor: action.actor, accepted: false, note });
  ctx.waits.warn('operator action refused', { kind, note });
  if (ctx.inbox.current?.kind === kind) ctx.inbox.current.result = { refused: true, note };
  ctx.inbox.current = undefined;
}
