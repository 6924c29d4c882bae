import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos, type ChaosConfig } from '../../bench/chaos/run-chaos.js';
import { freePortBlock } from '../harness/free-port.js';
import { harnessSetting, silentLog } from '../helpers/test-stack.js';

/**
 * The reduced chaos run (`npm run chaos` is the full one): 100 documents through two APIs and two workers
 * on a Temporal cluster on a PostgreSQL of its own, 10% lost replies and other PAC faults, one worker
 * killed (kill -9) mid-run, the PAC down for a while, PostgreSQL crashed and restarted. Nothing lost, nothing issued twice, fepa and the PAC agree.
 */
export const REDUCED_CHAOS: ChaosConfig = {
  seed: 20261203,
  documents: 100,
  concurrency: 8,
  workers: 2,
  apis: 2,
  historyShards: 1,
  timings: {
    pollInitialMs: 200,
    pollMaxMs: 1_000,
    offlineRetryInitialMs: 300,
    offlineRetryMaxMs: 2_000,
    pacCallTimeoutMs: 3_000,
    verdictDeadlineMs: 60_000,
    annulWindowMs: 1,
    notFoundSettleMs: 10_000,
  },
  simulator: {
    pendingRate: 0.2,
    rejectRate: 0.03,
    faults: { loseReply: 0.1, http500: 0.05, hang: 0.03, duplicate: 0.03, hangMs: 5_000 },
  },
  schedule: [
    { atMs: 3_000, target: 'worker-1', downForMs: 3_000 },
    { atMs: 5_000, target: 'simulator', downForMs: 8_000 },
    { atMs: 9_000, target: 'postgres', downForMs: 3_000 },
  ],
  settleTimeoutMs: 240_000,
  throwawayPostgres: true,
};

describe('chaos (reduced): faults combined on a real cluster', () => {
  it(
    'loses nothing, issues nothing twice, agrees with the PAC, leaves no document stuck',
    { timeout: 600_000 },
    async () => {
      const report = await runChaos(REDUCED_CHAOS, {
        adminDatabaseUrl: harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL'),
        freePortBlock,
        log: silentLog,
      });
      const detail = JSON.stringify(
        { counts: report.counts, byStatus: report.byStatus, details: report.details },
        null,
        1,
      );
      assert.equal(report.counts.accepted, 100, detail);
      assert.equal(report.counts.lost, 0, detail);
      assert.equal(report.counts.duplicates, 0, detail);
      assert.equal(report.counts.mismatches, 0, detail);
      assert.equal(report.counts.stuck, 0, detail);
      assert.equal(report.counts.numberGaps, 0, detail);
      assert.equal(report.counts.uncleanServerErrors, 0, detail);
      assert.deepEqual(
        report.faults.map((f) => f.target).sort(),
        ['postgres', 'simulator', 'worker-1'],
        'both faults were injected',
      );
      assert.ok((report.byStatus.authorized ?? 0) > 80, detail);
      // The faults reached fepa: lost replies and hangs (unknown outcomes) and the PAC's outage (not sent).
      const answers = JSON.stringify(report.pacAnswers);
      assert.ok((report.pacAnswers['submit:unknown'] ?? 0) >= 3, answers);
      assert.ok(
        (report.pacAnswers['submit:transient'] ?? 0) + (report.pacAnswers['submit:unknown'] ?? 0) >= 5,
        answers,
      );
    },
  );
});
