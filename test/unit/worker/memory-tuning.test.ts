import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withWorkerMemoryTuning } from '../../../worker/memory-tuning.js';

test('worker memory tuning: added to the environment, without overriding what the operator set', () => {
  const plain = withWorkerMemoryTuning({ PATH: '/bin' });
  assert.equal(plain.MALLOC_ARENA_MAX, '2');
  assert.equal(plain.NODE_OPTIONS, '--max-semi-space-size=2 --max-old-space-size=512');
  assert.equal(plain.PATH, '/bin');
  const operator = withWorkerMemoryTuning({
    MALLOC_ARENA_MAX: '4',
    NODE_OPTIONS: '--max-old-space-size=2048',
  });
  assert.equal(operator.MALLOC_ARENA_MAX, '4');
  assert.equal(operator.NODE_OPTIONS, '--max-old-space-size=2048 --max-semi-space-size=2');
});
