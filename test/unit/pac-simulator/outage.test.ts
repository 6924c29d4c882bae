import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Outage } from '../../../tools/pac-simulator/outage.js';

test('a simulated PAC outage lasts its duration, then the PAC is up by itself; it can also be ended early', () => {
  let now = Date.parse('2026-12-03T12:00:00Z');
  const outage = new Outage(() => now);
  assert.equal(outage.isDown(), false);
  const started = outage.start(10 * 60_000, 'unavailable');
  assert.deepEqual(started, {
    down: true,
    mode: 'unavailable',
    since: '2026-12-03T12:00:00.000Z',
    until: '2026-12-03T12:10:00.000Z',
    refusedCalls: 0,
  });
  now += 10 * 60_000 - 1;
  assert.equal(outage.isDown(), true);
  now += 1;
  assert.equal(outage.isDown(), false, 'up again after exactly its duration');
  outage.start(60_000);
  now += 1_000;
  const ended = outage.end();
  assert.equal(ended.down, false);
  assert.equal(ended.until, new Date(now).toISOString(), 'ended early: the window closes now');
});
