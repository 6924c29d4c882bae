import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  contingencySettingsOf,
  ContingencySettingsSchema,
  shouldOpenContingency,
} from '../../../domain/contingency/contingency-settings.js';
import { pacAnswered } from '../../../pac/pac-answered.js';
import { pacResult } from '../../../pac/pac-result.js';

test('defaults: a company that chose nothing never opens a contingency by itself', () => {
  const settings = contingencySettingsOf({});
  assert.deepEqual(settings, {
    autoOpen: false,
    afterFailures: 5,
    afterMinutes: 10,
    endAfterHealthyMinutes: 5,
    modality: 'prior',
    reissueOfflineDocuments: false,
  });
  const failing = { consecutiveFailures: 1_000, failingSince: new Date(0) };
  assert.deepEqual(shouldOpenContingency(settings, failing, new Date()), { open: false });
  assert.deepEqual(
    contingencySettingsOf({ afterFailures: 'many' }),
    settings,
    'a broken stored value: defaults',
  );
});

test('the settings schema names the field and rule of a bad value', () => {
  const bad = ContingencySettingsSchema.safeParse({ afterFailures: 0, modality: 'later', extra: 1 });
  assert.equal(bad.success, false);
  const paths = bad.error.issues.map((i) => i.path.join('.') || i.code).sort();
  assert.deepEqual(paths, ['afterFailures', 'modality', 'unrecognized_keys']);
});

test('property: opens exactly when the streak reaches the count or has lasted the minutes, with that evidence', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 120 }),
      fc.integer({ min: 0, max: 80 }),
      fc.integer({ min: 0, max: 200 * 60_000 }),
      (afterFailures, afterMinutes, failures, downMs) => {
        const settings = contingencySettingsOf({ autoOpen: true, afterFailures, afterMinutes });
        const now = new Date('2026-12-03T18:00:00Z');
        const failingSince = failures > 0 ? new Date(now.getTime() - downMs) : undefined;
        const decision = shouldOpenContingency(
          settings,
          { consecutiveFailures: failures, failingSince, lastFailure: 'ECONNREFUSED' },
          now,
        );
        const expected = failures > 0 && (failures >= afterFailures || downMs >= afterMinutes * 60_000);
        assert.equal(decision.open, expected);
        if (decision.open) {
          assert.equal(decision.evidence.failingSince, failingSince!.toISOString());
          assert.equal(decision.evidence.consecutiveFailures, failures);
          assert.match(
            decision.evidence.rule,
            failures >= afterFailures ? /consecutive PAC calls/ : /no PAC answer for/,
          );
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('only an answer from the PAC counts as an answer: no response and gateway pages do not', () => {
  const request = { method: 'POST', url: 'https://pac.example/fe' };
  const withStatus = (status?: number) =>
    pacResult('transient', {
      raw: {
        request,
        ...(status ? { response: { status, body: '' } } : { error: 'ECONNREFUSED' }),
        elapsedMs: 1,
      },
    });
  assert.equal(pacAnswered(withStatus()), false);
  for (const status of [502, 503, 504]) assert.equal(pacAnswered(withStatus(status)), false, String(status));
  for (const status of [200, 400, 401, 404, 500])
    assert.equal(pacAnswered(withStatus(status)), true, String(status));
});
