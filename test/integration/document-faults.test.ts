import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { annulUpdate, cancelUpdate, getDocumentState } from '../../common/document-messages.js';
import type { DocumentState } from '../../common/document-lifecycle.js';
import { CompanyId, DocStatus } from '../../common/search-attributes.js';
import { connectDatabase } from '../../platform/storage/database.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, saveRecordedHistories } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTcpFaultProxy } from '../helpers/tcp-fault-proxy.js';
import { freePort } from '../harness/free-port.js';
import { closeTestStack } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { waitForStatus } from '../helpers/workflow-waits.js';
import { LOCAL_BOOKKEEPING_ATTEMPTS } from '../../workflows/document/bookkeeping.js';

/**
 * The document workflow under faults, on the real dev server with the PAC simulator over HTTP: every
 * place the workflow asks the PAC what it holds must reach a verdict before it acts (issue #17), and
 * the safety holes of issue #12 stay closed. Each test failed on the workflow before those fixes.
 */
/** A test that would wait forever on a workflow that never ends fails instead. */
const LIMIT = { timeout: 90_000 };

describe('the document workflow under faults', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let scenarios: ReturnType<typeof documentScenarios>;
  let example: Record<string, any>;

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    example = await loadExample('invoice-spec-example.json');
    scenarios = documentScenarios(simulator, worker, example);
    example = await loadExample('invoice-spec-example.json');
  });
  const recorded: Array<[string, WorkflowHandle]> = [];
  after(async () => {
    await saveRecordedHistories(recorded);
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  const statuses = (state: DocumentState) => state.history.map((h) => h.status);
  const refusedWith = async (promise: Promise<unknown>, pattern: RegExp) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowUpdateFailedError, `expected a refused update, got ${String(err)}`);
    assert.match(String(err.cause?.message ?? err.message), pattern);
  };

  it(
    'duplicate, then a failed status query, then authorized: ends authorized with one submission',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000101', {
        script: ['duplicate'],
        queryFaults: ['http-500'],
      });
      recorded.push(['duplicate-failed-query-authorized', handle]);
      const state = await handle.result();
      assert.equal(state.status, 'authorized', JSON.stringify(state.history));
      assert.equal(await scenarios.submissions(c, '0000000101'), 1);
      assert.ok(state.polls >= 2, 'asked again after the failed query');
      assert.ok(!statuses(state).includes('needs_support'));
    },
  );

  it(
    'unknown outcome, then three failed queries (500, refused credentials, 500), then authorized: one submission',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000102', {
        script: ['lose-reply'],
        queryFaults: ['http-500', 'auth-failed', 'http-500'],
      });
      const state = await handle.result();
      assert.equal(state.status, 'authorized', JSON.stringify(state.history));
      assert.equal(await scenarios.submissions(c, '0000000102'), 1, 'never resubmitted without a verdict');
      assert.ok(state.polls >= 4);
    },
  );

  it(
    'a "not found" right after a lost reply is confirmed before resending: the PAC was still working on it',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      // The submission is stored and its reply lost; the PAC's first status answer says "not found" (as one
      // still stalled on the request would); a later one holds it authorized.
      const { handle } = await scenarios.issue(c, '0000000112', {
        script: ['lose-reply'],
        queryFaults: ['not-found'],
        timings: { notFoundSettleMs: 500 },
      });
      const state = await handle.result();
      assert.equal(state.status, 'authorized', JSON.stringify(state.history));
      assert.equal(await scenarios.submissions(c, '0000000112'), 1, 'not resent on the first "not found"');
      assert.ok(state.polls >= 2, 'asked again after the first "not found"');
    },
  );

  it('an auth failure while polling a pending document keeps asking, never resubmits', LIMIT, async () => {
    const c = await scenarios.company();
    const { handle } = await scenarios.issue(c, '0000000103', {
      script: ['pending', 'pending', 'authorized'],
      queryFaults: ['auth-failed', 'ok', 'auth-failed'],
    });
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(await scenarios.submissions(c, '0000000103'), 1);
  });

  it(
    'refused credentials on every query: needs_support after the configured retries, still asking, then moves on',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000104', {
        script: ['lose-reply'],
        queryFaults: Array.from({ length: 8 }, () => 'auth-failed'),
        timings: { authRetries: 2 },
      });
      const waiting = await waitForStatus(handle, 'needs_support');
      assert.equal(waiting.needsPerson?.code, 'AUTH_FAILED');
      assert.equal(waiting.polling, true, 'still asking the PAC');
      await refusedWith(
        handle.executeUpdate(cancelUpdate, { args: [{ actor: 'soporte@fepa', reason: 'dudoso' }] }),
        /still being asked what it holds/,
      );
      const state = await handle.result();
      assert.equal(state.status, 'authorized', 'the verdict came and the document moved on by itself');
      assert.equal(await scenarios.submissions(c, '0000000104'), 1);
    },
  );

  it(
    'refuses cancel while a duplicate is being reconciled, and continues as new while it asks',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000105', {
        script: ['duplicate'],
        queryFaults: Array.from({ length: 12 }, () => 'http-500'),
        timings: { verdictDeadlineMs: 100, maxPollsPerRun: 4 },
      });
      const firstRun = (await handle.describe()).runId;
      const waiting = await waitForStatus(handle, 'needs_support');
      assert.equal(waiting.asking?.purpose, 'duplicate');
      assert.equal(waiting.needsPerson?.code, 'DUPLICATE');
      await refusedWith(
        handle.executeUpdate(cancelUpdate, { args: [{ actor: 'soporte@fepa', reason: 'duplicado' }] }),
        /\(duplicate\).*cancel an authorized invoice/,
      );
      const state = await handle.result();
      assert.equal(state.status, 'authorized');
      const lastRun = await handle.describe();
      assert.notEqual(lastRun.runId, firstRun, 'continued as new while asking');
      assert.equal(
        lastRun.typedSearchAttributes.get(CompanyId),
        c.id,
        'the search attributes set at start carry over',
      );
      assert.equal(lastRun.typedSearchAttributes.get(DocStatus), 'authorized');
      assert.equal(await scenarios.submissions(c, '0000000105'), 1);
      assert.ok(
        state.actions.every((a) => a.kind !== 'cancel'),
        'the refused update left no action',
      );
    },
  );

  it('refuses to cancel a document the PAC holds as authorized, and follows the PAC', LIMIT, async () => {
    const c = await scenarios.company({ pac: 'edoc' });
    const { handle } = await scenarios.issue(c, '0000000106', { script: ['edoc-state:4'] });
    recorded.push(['cancel-refused-pac-holds', handle]);
    await waitForStatus(handle, 'needs_support');
    // The DGI authorized it after all (the PAC's error was its own).
    const set = await simulator.admin('/documents/status', {
      ruc: c.ruc,
      number: '0000000106',
      status: 'authorized',
    });
    assert.equal(set.status, 200);
    // The update answers once the PAC has been asked: refused, with what the PAC holds.
    await assert.rejects(
      handle.executeUpdate(cancelUpdate, { args: [{ actor: 'soporte@fepa', reason: 'error del PAC' }] }),
      (err: unknown) =>
        err instanceof WorkflowUpdateFailedError &&
        /holds this document as authorized/.test(err.cause?.message ?? ''),
    );
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.ok(!statuses(state).includes('cancelled'));
    const refusal = state.actions.find((a) => a.kind === 'cancel' && !a.accepted);
    assert.match(refusal?.note ?? '', /holds this document as authorized/);
  });

  it(
    'cancels a submitted document the PAC holds nothing valid for (rejected), after asking',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000107', { script: ['reject:1601'] });
      await waitForStatus(handle, 'rejected');
      const pollsBefore = (await handle.query(getDocumentState)).polls;
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ actor: 'soporte@fepa', reason: 'venta anulada' }],
      });
      assert.equal(answer.status, 'cancelled', 'the update answers the state the cancel led to');
      const state = await handle.result();
      assert.equal(state.status, 'cancelled');
      assert.ok(state.polls > pollsBefore, 'the PAC was asked before cancelling');
    },
  );

  it(
    'a cancel accepted while queued offline cancels after asking the PAC; it is never read as an annulment',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox', baseUrl: `http://127.0.0.1:${await freePort()}` });
      const { handle } = await scenarios.issue(c, '0000000111', {
        timings: { annulWindowMs: 60_000, updateAnswerWaitMs: 300 },
      });
      await waitForStatus(handle, 'queued_offline');
      // The PAC cannot be asked yet: after updateAnswerWaitMs the update answers the state as it is.
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ actor: 'caja-2', reason: 'venta anulada en caja' }],
      });
      assert.equal(answer.status, 'queued_offline');
      assert.equal(answer.actions.at(-1)?.accepted, true);
      // The PAC answers again: it holds nothing for this document, so the cancel goes ahead.
      await scenarios.bringPacBack(c);
      const state = await handle.result();
      assert.equal(state.status, 'cancelled', JSON.stringify(state.history.map((h) => h.status)));
      assert.ok(!statuses(state).includes('authorized'));
      assert.equal(await scenarios.submissions(c, '0000000111'), 0, 'never sent once cancelled');
    },
  );

  it('an annulment whose reply is lost is settled by asking: annulled', LIMIT, async () => {
    const c = await scenarios.company();
    const { handle } = await scenarios.issue(c, '0000000108', {
      annulFaults: ['lose-reply'],
      timings: { annulWindowMs: 60_000 },
    });
    recorded.push(['annulment-lost-reply', handle]);
    await waitForStatus(handle, 'authorized');
    const answer = await handle.executeUpdate(annulUpdate, {
      args: [{ actor: 'contabilidad@empresa', reason: 'Factura emitida por error al cliente equivocado' }],
    });
    assert.equal(answer.status, 'annulled', 'the update answers once the PAC was asked');
    const state = await handle.result();
    assert.equal(state.status, 'annulled');
    assert.deepEqual(statuses(state).slice(-2), ['authorized', 'annulled']);
  });

  it(
    'a failed annulment is recorded as refused, without entering authorized again; a later one succeeds',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000109', {
        annulFaults: ['http-500'],
        timings: { annulWindowMs: 60_000 },
      });
      recorded.push(['failed-annulment-then-annulled', handle]);
      const authorized = await waitForStatus(handle, 'authorized');
      const reason = 'Factura emitida por error al cliente equivocado';
      await assert.rejects(
        handle.executeUpdate(annulUpdate, { args: [{ actor: 'contabilidad@empresa', reason }] }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          /holds the document as authorized/.test(err.cause?.message ?? ''),
        'the update fails with what the PAC holds',
      );
      const after = await handle.query(getDocumentState);
      assert.equal(after.status, 'authorized');
      assert.equal(statuses(after).filter((s) => s === 'authorized').length, 1, 'authorized entered once');
      assert.equal(
        after.annulWindowEndsAt,
        authorized.annulWindowEndsAt,
        'the window still runs from the authorization',
      );
      assert.match(after.actions.find((a) => !a.accepted)?.note ?? '', /holds the document as authorized/);
      await handle.executeUpdate(annulUpdate, { args: [{ actor: 'contabilidad@empresa', reason }] });
      assert.equal((await handle.result()).status, 'annulled');
    },
  );

  it(
    'a PostgreSQL outage longer than the old retry budget delays the document, never fails it',
    LIMIT,
    async () => {
      const database = new URL(process.env.FEPA_TEST_DATABASE_URL!);
      const proxy = await startTcpFaultProxy({
        host: database.hostname,
        port: Number(database.port || 5432),
      });
      const proxied = new URL(database);
      proxied.host = proxy.address;
      const sql = connectDatabase(proxied.toString(), { max: 2, reconnectBackoffSeconds: 0.05 });
      const outageWorker = await startTestWorker({ simulatorUrl: simulator.url, sql });
      try {
        const c = await scenarios.company();
        proxy.cut();
        const { handle } = await documentScenarios(simulator, outageWorker, example).issue(c, '0000000110', {
          timings: { bookkeepingRetryInitialMs: 100, bookkeepingRetryMaxMs: 300 },
        });
        // The outage lasts until bookkeeping has been tried more often than the old limit (10 attempts).
        const pendingActivity = async () => (await handle.describe()).raw.pendingActivities?.[0];
        // Quick local attempts come first, then the durable activity, whose attempts show in the UI.
        const attempts = async () => LOCAL_BOOKKEEPING_ATTEMPTS + ((await pendingActivity())?.attempt ?? 0);
        for (let i = 0; i < 600 && (await attempts()) <= 11; i++)
          await new Promise((r) => setTimeout(r, 100));
        const waiting = await pendingActivity();
        assert.equal(waiting?.activityType?.name, 'recordDocumentTransition');
        assert.ok((await attempts()) > 10, `${await attempts()} attempts: retried past the old limit`);
        assert.ok(waiting?.lastFailure?.message, 'the last failure is visible in the UI');
        proxy.restore();
        const state = await handle.result();
        assert.equal(state.status, 'authorized');
      } finally {
        await outageWorker.stop();
        await sql.end({ timeout: 1 });
        await proxy.close();
      }
    },
  );
});
