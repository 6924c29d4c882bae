import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { DocumentPhase, DocumentState } from '../common/document-lifecycle.js';
import type { DocumentWorkflowInput } from '../common/document-workflow-types.js';
import { createContext, type DocumentContext } from './document/context.js';
import { registerOperatorHandlers } from './document/operator-actions.js';
import { createPhases } from './document/phases.js';
import { createTransitions } from './document/transitions.js';

/**
 * One fiscal document, durable from request to its final DGI state (docs/document-lifecycle.md):
 * build → sign (when fepa signs for this PAC) → submit → ask until the PAC's verdict, with people
 * stepping in where the PAC says a person must. Never acts on what the PAC may hold without asking it.
 *
 * An explicit state machine: `state.phase` says where the document stands; each phase is one bounded step
 * (document/phases.ts) that returns the next; this loop runs them, and is the only place that continues as
 * new, carrying the state and everything received but not yet acted on.
 */
export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentState> {
  const ctx = createContext(input);
  const { state } = ctx;
  registerOperatorHandlers(ctx);
  const tr = createTransitions(ctx);
  // The business key's search attributes are set once, when the workflow starts (DocumentService).
  const phases = createPhases(ctx, tr);

  if (!input.carried) {
    await tr.moveTo('received', 'api');
    state.phase = 'build';
  }
  for (;;) {
    const phase: DocumentPhase = state.phase ?? 'build';
    if (phase === 'done') break;
    state.phase = await step(phase);
    if (state.phase !== 'done' && longEnough(ctx)) await carryOn(ctx);
  }
  ctx.inbox.closing = true;
  await condition(allHandlersFinished);
  return state;

  function step(phase: Exclude<DocumentPhase, 'done'>): Promise<DocumentPhase> {
    switch (phase) {
      case 'build':
        return phases.build();
      case 'hold':
        return phases.hold();
      case 'submit':
        return phases.submit();
      case 'ask':
        return phases.ask();
      case 'person':
        return phases.person();
      case 'annul-window':
        return phases.annulWindow();
    }
  }
}

/** A run that asked or waited long enough (its history stays short) continues as new. */
const longEnough = (ctx: DocumentContext) =>
  ctx.run.polls >= ctx.t.maxPollsPerRun || workflowInfo().continueAsNewSuggested;

/** Continues as new with the state and what was received and not yet acted on (an accepted action). */
async function carryOn(ctx: DocumentContext): Promise<never> {
  ctx.inbox.closing = true;
  await condition(allHandlersFinished);
  const { pending, contingencyEnded } = ctx.inbox;
  return continueAsNew<typeof documentWorkflow>({
    ...ctx.input,
    carried: ctx.state,
    carriedInbox: {
      ...(pending ? { pending: { kind: pending.kind, action: pending.action } } : {}),
      ...(contingencyEnded ? { contingencyEnded } : {}),
    },
  });
}
