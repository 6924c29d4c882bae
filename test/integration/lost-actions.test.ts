import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { annulUpdate, getDocumentState } from '../../common/document-messages.js';
import { getContingencyState } from '../../common/contingency-messages.js';
import { savePacSettings } from '../../platform/storage/pac-settings-store.js';
import { createCompanyWithCertificate } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, FAST } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { until, waitForStatus } from '../helpers/workflow-waits.js';

/**
 * An operator action accepted just before a workflow continues as new is carried into the next run, never
 * dropped (issue #25): both tests failed before the fix (the action was answered as accepted, then lost).
 */
const LIMIT = { timeout: 90_000 };

describe('operator actions across continue-as-new', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let scenarios: ReturnType<typeof documentScenarios>;

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    scenarios = documentScenarios(simulator, worker, await loadExample('invoice-spec-example.json'));
  });
  after(async () => {
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  it(
    'document: an annulment accepted while fepa asks the PAC about an earlier one survives continue-as-new',
    LIMIT,
    async () => {
      const c = await scenarios.company();
      const { handle } = await scenarios.issue(c, '0000000901', {
        // The first annulment fails with a 500 (nothing annulled): fepa asks what the PAC holds; the first two
        // queries fail too, and the run continues as new after its second query.
        annulFaults: ['http-500'],
        queryFaults: ['http-500', 'http-500'],
        timings: {
          annulWindowMs: 20_000,
          maxPollsPerRun: 2,
          pollInitialMs: 1_500,
          pollJitter: 0,
          updateAnswerWaitMs: 200,
        },
      });
      await waitForStatus(handle, 'authorized');
      const reason = 'Factura emitida por error al cliente equivocado';
      const runBefore = (await handle.describe()).runId;
      await handle.executeUpdate(annulUpdate, { args: [{ actor: 'primera', reason }] });
      await until('fepa asks the PAC about the first annulment', async () =>
        (await handle.query(getDocumentState)).asking?.purpose === 'annulment' ? true : undefined,
      );
      // Accepted (answered with the state) while the run is about to continue as new.
      const accepted = await handle.executeUpdate(annulUpdate, { args: [{ actor: 'segunda', reason }] });
      assert.equal(accepted.actions.at(-1)?.actor, 'segunda');
      assert.equal(accepted.actions.at(-1)?.accepted, true);
      const state = await handle.result();
      assert.notEqual((await handle.describe()).runId, runBefore, 'the run continued as new meanwhile');
      assert.equal(state.status, 'annulled', JSON.stringify(state.actions));
      assert.equal(state.history.at(-1)?.actor, 'segunda');
    },
  );

  it(
    'contingency: an end received while the last probe of a run is under way survives continue-as-new',
    LIMIT,
    async () => {
      // The company's PAC address is a relay to the simulator that holds the third probe until told.
      let calls = 0;
      let held!: () => void;
      const heldNow = new Promise<void>((resolve) => (held = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const relay: Server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          void (async () => {
            if (++calls === 3) {
              held();
              await released;
            }
            const answer = await fetch(`${simulator.url}${req.url}`, {
              method: req.method!,
              headers: {
                'content-type': req.headers['content-type'] ?? 'application/json',
                ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
                ...(req.headers['ocp-apim-subscription-key']
                  ? { 'ocp-apim-subscription-key': String(req.headers['ocp-apim-subscription-key']) }
                  : {}),
              },
              ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
            });
            res.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
            });
            res.end(Buffer.from(await answer.arrayBuffer()));
          })();
        });
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      const api: TestApi = await startTestApi({
        client: (await testTemporal()).client,
        sql: testDatabase(),
        taskQueue: worker.taskQueue,
        pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
        timings: { ...FAST, contingencyProbeMs: 20, contingencyTurnsPerRun: 2 },
      });
      try {
        const company = await createCompanyWithCertificate(testDatabase());
        await savePacSettings(testDatabase(), testSecretBox, {
          companyId: company.id,
          pac: 'sandbox',
          baseUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
          autoSubmit: true,
        });
        const call = await api.clientFor(company.id, 'operator');
        const opened = await call('POST', `/v1/companies/${company.id}/contingency`, {
          environment: '2',
          actor: 'soporte',
          reason: 'Falla de conexión con el PAC desde la sucursal',
          endWhenPacAnswers: true,
        });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        const workflowId = (opened.body as { contingency: { workflowId: string } }).contingency.workflowId;
        const handle = (await testTemporal()).client.workflow.getHandle(workflowId);
        await heldNow; // the third probe, the last of this run (turns 0, 1, 2), is under way
        const runBefore = (await handle.describe()).runId;
        const ending = call('POST', `/v1/companies/${company.id}/contingency/end`, {
          environment: '2',
          actor: 'soporte',
        });
        await until('the end signal is in the history', async () => {
          const history = await handle.fetchHistory();
          return history.events?.some((e) => e.workflowExecutionSignaledEventAttributes) ? true : undefined;
        });
        release();
        const state = await until(
          'the contingency ends',
          async () => {
            const s = await (
              await testTemporal()
            ).client.workflow
              .getHandle(workflowId)
              .query(getContingencyState);
            return s.phase === 'transmitting' || s.phase === 'ended' ? s : undefined;
          },
          20_000,
        );
        assert.match(state.endedBy ?? '', /^soporte /);
        assert.notEqual((await handle.describe()).runId, runBefore, 'the run continued as new meanwhile');
        assert.equal((await ending).status, 200);
      } finally {
        release();
        await api.close();
        await new Promise<void>((resolve) => relay.close(() => resolve()));
      }
    },
  );
});
