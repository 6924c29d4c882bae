import { sleep } from '@temporalio/workflow';
import type { PacOutcome } from '../../common/pac-outcome.js';
import { jittered, type DocumentContext } from './context.js';
import type { Settled } from './pac-conversation.js';

/**
 * How runs started before the 'ask-until-verdict' patch asked the PAC. Kept only so their histories
 * replay as recorded (test/histories v1-, v2-); every new run uses pac-conversation.ts. Delete once no
 * such run is open (the namespace's retention after the upgrade).
 */
interface Steps {
  queryOnce(): Promise<PacOutcome>;
  remember(o: PacOutcome): void;
  needPerson(status: 'needs_support' | 'rejected', reason: string, code?: string): Promise<void>;
  settle(o: PacOutcome, from: 'submit' | 'query'): Promise<Settled>;
}

export async function legacyPoll(
  ctx: DocumentContext,
  steps: Steps & { continueAsNewIfLong(): Promise<void> },
): Promise<Settled> {
  const { t, state } = ctx;
  state.polling = true;
  let delay = t.pollInitialMs;
  const deadline = Date.now() + t.pendingDeadlineMs;
  for (;;) {
    await sleep(jittered(ctx, delay));
    delay = Math.min(delay * 2, t.pollMaxMs);
    const answer = await steps.queryOnce();
    steps.remember(answer);
    const stillOpen =
      answer.status === 'pending' ||
      answer.status === 'transient' ||
      answer.status === 'unknown' ||
      (answer.status === 'authorized' && answer.needsConfirmation);
    if (!stillOpen) {
      state.polling = false;
      return steps.settle(answer, 'query');
    }
    if (Date.now() > deadline && state.status !== 'needs_support') {
      await steps.needPerson(
        'needs_support',
        `no final answer from the PAC after ${Math.round(t.pendingDeadlineMs / 60_000)} min; still asking`,
        'PENDING_DEADLINE',
      );
    }
    await steps.continueAsNewIfLong();
  }
}

export async function legacyDuplicate(steps: Steps): Promise<Settled> {
  const answer = await steps.queryOnce();
  steps.remember(answer);
  if (answer.status === 'authorized' || answer.status === 'pending' || answer.status === 'annulled')
    return steps.settle(answer, 'query');
  await steps.needPerson(
    'needs_support',
    `the PAC reports a duplicate number but has no authorization for it (${answer.status})`,
    'DUPLICATE',
  );
  return 'needs_support';
}

export async function legacyReconcile(ctx: DocumentContext, steps: Steps): Promise<Settled> {
  const { t, state } = ctx;
  state.polling = true;
  let delay = t.pollInitialMs;
  for (let attempt = 0; ; attempt++) {
    const answer = await steps.queryOnce();
    steps.remember(answer);
    if (answer.status !== 'transient' && answer.status !== 'unknown') {
      state.polling = false;
      return answer.status === 'not-found' ? 'resubmit' : steps.settle(answer, 'query');
    }
    if (attempt >= 5 && state.status !== 'needs_support') {
      await steps.needPerson(
        'needs_support',
        'the outcome of a submission is unknown and the PAC cannot be asked',
        'UNKNOWN_OUTCOME',
      );
    }
    await sleep(jittered(ctx, delay));
    delay = Math.min(delay * 2, t.pollMaxMs);
  }
}
