import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_RECEIVED_TIMINGS, type ReceivedState } from '../../../common/received-messages.js';
import type { DgiConfirmation } from '../../../common/received-document.js';
import { MANIFESTATION_CODES } from '../../../common/received-document.js';
import { decideConfirmation, manifestRefusal } from '../../../workflows/received/decide-received.js';

const answers: DgiConfirmation['answer'][] = [
  'authorized',
  'annulled',
  'not-found',
  'not-offered',
  'no-answer',
];
const codes = Object.keys(MANIFESTATION_CODES);

describe("the received document's decisions, as plain functions", () => {
  it('only the DGI\'s "authorized" leads to accepted; no answer asks again, with growing waits up to the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...answers),
        fc.nat({ max: 40 }),
        fc.nat({ max: 10 }),
        (answer, attempt, notFound) => {
          const step = decideConfirmation(
            { answer, checkedAt: 'now' },
            { attempt, notFound },
            DEFAULT_RECEIVED_TIMINGS,
          );
          if (step.kind === 'settle' && step.status === 'accepted') assert.equal(answer, 'authorized');
          if (answer === 'no-answer') {
            assert.equal(step.kind, 'ask-again');
            if (step.kind === 'ask-again')
              assert.ok(step.afterMs <= DEFAULT_RECEIVED_TIMINGS.maxRetryMs && step.afterMs > 0);
          }
          if (answer === 'not-offered')
            assert.deepEqual([step.kind, step.kind === 'settle' && step.status], ['settle', 'unconfirmed']);
          if (answer === 'not-found')
            assert.equal(step.kind === 'settle', notFound + 1 >= DEFAULT_RECEIVED_TIMINGS.notFoundAttempts);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a manifestation is refused before anything is sent unless the document is accepted and not already manifested', () => {
    const accepted: ReceivedState = { status: 'accepted' };
    assert.equal(manifestRefusal(accepted, { code: '1002', actor: 'a' }, codes), undefined);
    assert.match(manifestRefusal(accepted, { code: '2000', actor: 'a' }, codes)!, /one of/);
    assert.match(
      manifestRefusal(accepted, { code: '1004', reason: 'corto', actor: 'a' }, codes)!,
      /15 to 500/,
    );
    for (const status of [
      'verifying',
      'confirming',
      'invalid',
      'annulled',
      'not_at_dgi',
      'unconfirmed',
    ] as const)
      assert.match(manifestRefusal({ status }, { code: '1002', actor: 'a' }, codes)!, new RegExp(status));
    const sending = {
      status: 'accepted',
      manifestation: { code: '1002', actor: 'a', status: 'sending', at: '' },
    } as const;
    assert.match(manifestRefusal(sending, { code: '1001', actor: 'a' }, codes)!, /being sent/);
    const done = {
      status: 'accepted',
      manifestation: { code: '1002', actor: 'a', status: 'accepted', at: '' },
    } as const;
    assert.match(manifestRefusal(done, { code: '1002', actor: 'a' }, codes)!, /already registered/);
    assert.equal(manifestRefusal(done, { code: '1001', actor: 'a' }, codes), undefined);
  });
});
