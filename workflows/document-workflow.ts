import { allHandlersFinished, condition, upsertSearchAttributes } from '@temporalio/workflow';
import { Contingency } from '../common/search-attributes.js';
import type { DocumentState } from '../common/document-lifecycle.js';
import type { DocumentWorkflowInput } from '../common/document-workflow-types.js';
import { createAfterAuthorization } from './document/after-authorization.js';
import { createContext, failureOf } from './document/context.js';
import { registerOperatorHandlers, waitForPerson } from './document/operator-actions.js';
import { createPacConversation, type Settled } from './document/pac-conversation.js';
import { createTransitions } from './document/transitions.js';

type Next = Settled | 'start' | 'wait' | 'cancelled' | 'contingency' | 'reissue';

/**
 * One fiscal document, durable from request to its final DGI state (docs/document-lifecycle.md):
 * build → sign (when fepa signs for this PAC) → submit → ask until the PAC's verdict, with people
 * stepping in where the PAC says a person must. Never acts on what the PAC may hold without asking it.
 * This file is the phase loop; what each step does lives in `document/`.
 */
export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentState> {
  const ctx = createContext(input);
  const { state, t } = ctx;
  registerOperatorHandlers(ctx);
  const tr = createTransitions(ctx);
  // The business key's search attributes are set once, when the workflow starts (DocumentService).
  const talk = createPacConversation(ctx, tr);
  const after = createAfterAuthorization(ctx, tr, talk);

  const buildAndSign = async (): Promise<'ok' | 'stopped'> => {
    try {
      const prepared = await ctx.local.prepareDocument({ documentId: input.documentId });
      state.cufe = prepared.cufe;
      if (prepared.contingencyId) state.contingency = { id: prepared.contingencyId };
      state.total = prepared.total;
      if (prepared.cafeByEmail) state.cafeByEmail = true;
      await tr.moveTo('prepared');
      const mode = await ctx.local.pacSignatureMode({ companyId: input.companyId });
      state.signedByFepa = mode.fepaSigns;
      if (mode.fepaSigns) {
        const signed = await ctx.local.signDocument({
          documentId: input.documentId,
          companyId: input.companyId,
        });
        state.certificateFingerprint = signed.certificateFingerprint;
        await tr.moveTo('signed');
      } else {
        await tr.moveTo('signed', 'fepa', 'signing skipped: this PAC signs the document itself');
      }
      return mode.autoSubmit ? 'ok' : 'stopped';
    } catch (err) {
      const failure = failureOf(err);
      if (!failure) throw err;
      await tr.needPerson('needs_support', failure.message, failure.type);
      return 'stopped';
    }
  };

  /**
   * Builds and signs, then says where to go: submit now, hold until the contingency it was issued in ends,
   * or wait (for `submit`, or for a person).
   */
  const buildThenRoute = async (): Promise<'start' | 'wait' | 'contingency'> => {
    const built = await buildAndSign();
    if (built === 'ok' && state.contingency) {
      upsertSearchAttributes([{ key: Contingency, value: state.contingency.id }]);
      await tr.moveTo(
        'issued_in_contingency',
        'fepa',
        `issued in contingency ${state.contingency.id}: its CUFE and CAFE are valid now; transmitted when the contingency ends`,
      );
      return 'contingency';
    }
    if (built === 'ok') return 'start';
    if (state.status === 'signed')
      await tr.moveTo('awaiting_submission', 'fepa', 'automatic submission is off for this company');
    return 'wait';
  };

  /** A continued run picks up where the last one stopped (also in the middle of asking the PAC). */
  const resume = async (): Promise<Next> => {
    switch (state.asking?.purpose) {
      case 'unknown':
        return talk.reconcile();
      case 'duplicate':
        return talk.reconcileDuplicate();
      case 'annulment':
        return 'authorized';
      case 'cancel':
        return after.cancelAfterAsking(state.asking.action ?? { actor: 'fepa' });
      case 'pending':
        return talk.poll();
      case undefined:
        break;
    }
    if (state.polling) return talk.poll();
    if (state.status === 'issued_in_contingency') return 'contingency';
    return state.status === 'signed' || state.status === 'queued_offline' ? 'start' : 'wait';
  };

  let next: Next;
  if (!input.carried) {
    await tr.moveTo('received', 'api');
    next = await buildThenRoute();
  } else {
    next = await resume();
  }

  for (;;) {
    if (next === 'cancelled') break;
    if (next === 'contingency') {
      await talk.untilContingencyEnds(state.contingency!.id);
      next = 'start';
      continue;
    }
    if (next === 'reissue') {
      await tr.moveTo(
        'received',
        'fepa',
        `re-issued in the open contingency (company setting): the 01${state.cufe ? ` (CUFE ${state.cufe})` : ''} never reached the PAC nor the customer; same number, new CUFE`,
      );
      next = await buildThenRoute();
      continue;
    }
    if (next === 'start' || next === 'resubmit') {
      next = await talk.submitUntilSettled();
      continue;
    }
    if (next === 'authorized') {
      state.annulWindowEndsAt ??= new Date(Date.now() + t.annulWindowMs).toISOString();
      if (state.status !== 'authorized')
        await tr.moveTo(
          'authorized',
          'pac',
          `authorized${state.protocol ? `, protocol ${state.protocol}` : ''}`,
        );
      if (state.cafeByEmail && !state.cafeDelivery) await tr.startCafeDelivery();
      await after.authorizedPhase();
      break;
    }
    if (next === 'annulled') {
      await tr.moveTo('annulled', 'pac');
      break;
    }
    // rejected, needs_support, awaiting_submission: a person decides.
    const { kind, action } = await waitForPerson(ctx);
    if (kind === 'cancel') {
      if (state.submissions > 0) {
        next = await after.cancelAfterAsking(action);
        continue;
      }
      await tr.moveTo('cancelled', action.actor, action.reason ?? 'cancelled by an operator');
      break;
    }
    delete state.needsPerson;
    if (kind === 'correct') {
      state.corrections.push(action.correctionId!);
      await tr.moveTo(
        'received',
        action.actor,
        `corrected (${action.reason ?? 'no reason given'}): rebuilt with the same number`,
      );
      next = await buildThenRoute();
      continue;
    }
    const neverSigned =
      state.signedByFepa === undefined || (state.signedByFepa && !state.certificateFingerprint);
    await tr.moveTo(
      neverSigned ? 'received' : 'signed',
      action.actor,
      `${kind}${action.reason ? `: ${action.reason}` : ''}`,
    );
    next = neverSigned ? await buildThenRoute() : 'start';
  }
  ctx.inbox.closing = true;
  await condition(allHandlersFinished);
  return state;
}
