import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PacOutcome } from '../../../common/pac-outcome.js';
import type { PacStatus } from '../../../pac/pac-result.js';
import { decide } from '../../../workflows/document/decide.js';
import { holdsNothingValid, isVerdict } from '../../../workflows/document/pac-verdict.js';

const STATUSES: PacStatus[] = [
  'authorized',
  'pending',
  'unknown',
  'rejected-correctable',
  'duplicate',
  'error-needs-support',
  'auth-failed',
  'transient',
  'annulled',
  'not-found',
];

/**
 * The table as docs/document-lifecycle.md states it: status → next step, for a submission's answer and
 * a status query's answer (`+conf`: authorized awaiting the PAC's confirmation; `+notSent`: nothing left).
 */
const EXPECTED: Record<string, { submit: string; query: string }> = {
  authorized: { submit: 'authorized', query: 'authorized' },
  'authorized+conf': { submit: 'poll:submitted(always)', query: 'poll:submitted(always)' },
  pending: { submit: 'poll:submitted', query: 'poll:submitted' },
  unknown: { submit: 'reconcile-unknown', query: 'reconcile-unknown' },
  'rejected-correctable': { submit: 'person:rejected', query: 'person:rejected' },
  duplicate: { submit: 'reconcile-duplicate', query: 'reconcile-duplicate' },
  'error-needs-support': { submit: 'person:needs_support', query: 'person:needs_support' },
  'auth-failed': { submit: 'resubmit', query: 'resubmit' },
  transient: { submit: 'poll:submitted', query: 'poll:submitted' },
  'transient+notSent': { submit: 'resubmit', query: 'resubmit' },
  annulled: { submit: 'annulled', query: 'annulled' },
  'not-found': { submit: 'reconcile-unknown', query: 'resubmit' },
};

const VERDICTS = new Set([
  'authorized',
  'pending',
  'annulled',
  'rejected-correctable',
  'error-needs-support',
  'not-found',
]);

const outcome = (status: PacStatus, extra: Partial<PacOutcome> = {}): PacOutcome => ({
  status,
  dgiIssues: [],
  pacCode: 'X1',
  pacMessage: 'mensaje del PAC',
  ...extra,
});

function describeDecision(o: PacOutcome, from: 'submit' | 'query'): string {
  const d = decide(o, from);
  if (d.next === 'poll') return d.enter ? `poll:submitted${d.enter.always ? '(always)' : ''}` : 'poll';
  if (d.next === 'person') return `person:${d.status}`;
  return d.next;
}

describe('the decision table (pure, every PAC status)', () => {
  const cases: Array<[string, PacOutcome]> = [
    ...STATUSES.map((s): [string, PacOutcome] => [s, outcome(s)]),
    ['authorized+conf', outcome('authorized', { needsConfirmation: true })],
    ['transient+notSent', outcome('transient', { notSent: true })],
  ];

  it('has one expected row for every status of the unified model', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), cases.map(([name]) => name).sort());
  });

  for (const [name, o] of cases) {
    it(`${name}: after a submission and after a status query`, () => {
      assert.equal(describeDecision(o, 'submit'), EXPECTED[name]!.submit);
      assert.equal(describeDecision(o, 'query'), EXPECTED[name]!.query);
    });
  }

  it("hands a person the PAC's message and code, or a default reason", () => {
    assert.deepEqual(decide(outcome('rejected-correctable'), 'submit'), {
      next: 'person',
      status: 'rejected',
      reason: 'mensaje del PAC',
      code: 'X1',
    });
    const bare = decide({ status: 'error-needs-support', dgiIssues: [] }, 'query');
    assert.deepEqual(bare, {
      next: 'person',
      status: 'needs_support',
      reason: 'the PAC reported an error that needs support',
    });
  });

  it('treats only authorized (confirmed), pending, annulled, rejected, error and not-found as verdicts', () => {
    for (const status of STATUSES) assert.equal(isVerdict(outcome(status)), VERDICTS.has(status), status);
    assert.equal(isVerdict(outcome('authorized', { needsConfirmation: true })), false);
  });

  it('lets a cancel through only when the PAC holds nothing valid', () => {
    const allowed = STATUSES.filter((s) => holdsNothingValid(outcome(s)));
    assert.deepEqual(allowed.sort(), ['not-found', 'rejected-correctable']);
  });
});
