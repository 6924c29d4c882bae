import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resubmitUpdate } from '../../common/document-messages.js';
import { PacRegistry } from '../../pac/pac-registry.js';
import { findPacSettings, savePacSettings } from '../../platform/storage/pac-settings-store.js';
import { createCompanyWithCertificate } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { waitForStatus } from '../helpers/workflow-waits.js';

/**
 * A tenant cannot make fepa's workers call an address of its choosing (issue #24): the API refuses it naming
 * the field, and a stored address that no longer passes stops the call before anything is sent; the document
 * waits for support with a code that says why, and goes on once the address is fixed. Only loopback is ever
 * contacted: a refused call is refused before it connects, and DNS is faked.
 */
const LIMIT = { timeout: 60_000 };

describe('outbound addresses a tenant sets', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;
  let scenarios: ReturnType<typeof documentScenarios>;
  const resolved: string[] = [];

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    const simulatorHost = new URL(simulator.url).host;
    worker = await startTestWorker({
      simulatorUrl: simulator.url,
      pacs: new PacRegistry({
        sql: testDatabase(),
        box: testSecretBox,
        simulatorUrl: simulator.url,
        timeoutMs: 5_000,
        // As `npm start` runs it: the simulator's host and port, nothing else on loopback.
        allowedHosts: [simulatorHost],
        // Every published PAC host "resolves" inside the network: DNS rebinding.
        resolve: (host) => {
          resolved.push(host);
          return Promise.resolve(['10.1.2.3']);
        },
      }),
    });
    const env = await testTemporal();
    api = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      pacAllowedHosts: [simulatorHost],
    });
    scenarios = documentScenarios(simulator, worker, await loadExample('invoice-spec-example.json'));
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  it('PUT pac: every address outside the list is a 400 naming baseUrl, and nothing is saved', async () => {
    const c = await createCompanyWithCertificate(testDatabase());
    const admin = await api.clientFor(c.id);
    const before = await findPacSettings(testDatabase(), c.id);
    const aludra = { apiKey: 'key-12345678', companyCode: 'X' };
    for (const baseUrl of [
      'http://127.0.0.1:8025/',
      'http://127.0.0.1:54329/',
      'http://localhost:7233/',
      'http://10.0.0.5/',
      'http://192.168.0.10:8080/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:3000/',
      'http://[fe80::1]/',
      'https://apim.aludra.cloud.attacker.example/',
      'http://apim.aludra.cloud/',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/',
    ]) {
      const answer = await admin('PUT', `/v1/companies/${c.id}/pac`, { pac: 'aludra', baseUrl, aludra });
      assert.equal(answer.status, 400, `${baseUrl}: ${JSON.stringify(answer.body)}`);
      assert.ok(
        answer.body.issues.some((i: { path: string }) => i.path === 'baseUrl'),
        `${baseUrl}: ${JSON.stringify(answer.body.issues)}`,
      );
    }
    assert.deepEqual(await findPacSettings(testDatabase(), c.id), before, 'nothing was saved');
    const published = await admin('PUT', `/v1/companies/${c.id}/pac`, {
      pac: 'aludra',
      baseUrl: 'https://qa-apim.aludra.cloud',
      aludra,
    });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    const simulatorPac = await admin('PUT', `/v1/companies/${c.id}/pac`, {
      pac: 'hka',
      baseUrl: simulator.hkaUrl,
      hka: { tokenEmpresa: 't', tokenPassword: 'p' },
    });
    assert.equal(simulatorPac.status, 200, 'the operator allowed its simulator');
  });

  it('PUT webhook: internal addresses and other schemes refused naming url', async () => {
    const c = await createCompanyWithCertificate(testDatabase());
    const admin = await api.clientFor(c.id);
    for (const url of ['http://169.254.169.254/', 'http://10.0.0.1/hook', 'file:///etc/passwd']) {
      const answer = await admin('PUT', `/v1/companies/${c.id}/webhook`, { url });
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.issues[0].path, 'url');
    }
  });

  it(
    'a stored address no longer allowed stops the call: needs_support with its code, then authorized once fixed',
    LIMIT,
    async () => {
      // Saved before the operator narrowed the list (written straight to storage, as an old row would be).
      const c = await scenarios.company({ pac: 'sandbox', baseUrl: 'http://127.0.0.1:54329' });
      const { handle } = await scenarios.issue(c, '0000000701');
      const waiting = await waitForStatus(handle, 'needs_support');
      assert.equal(waiting.needsPerson?.code, 'PAC_ADDRESS_NOT_ALLOWED', JSON.stringify(waiting.needsPerson));
      assert.match(waiting.needsPerson.reason, /FEPA_PAC_ALLOWED_HOSTS/);
      assert.equal(await scenarios.submissions(c, '0000000701'), 0, 'nothing reached any PAC');
      await scenarios.bringPacBack(c);
      await handle.executeUpdate(resubmitUpdate, {
        args: [{ actor: 'soporte', reason: 'PAC address fixed' }],
      });
      const done = await handle.result();
      assert.equal(done.status, 'authorized');
      assert.equal(await scenarios.submissions(c, '0000000701'), 1);
    },
  );

  it(
    'a published PAC host that resolves inside the network is refused at the call (DNS rebinding)',
    LIMIT,
    async () => {
      const c = await createCompanyWithCertificate(testDatabase());
      await savePacSettings(testDatabase(), testSecretBox, {
        companyId: c.id,
        pac: 'edoc',
        baseUrl: 'https://labpa.guru-soft.com/EdocPanama/4.0',
        autoSubmit: true,
        credentials: { edoc: { user: 'u', password: 'p' } },
      });
      const { handle } = await scenarios.issue(c, '0000000702');
      const waiting = await waitForStatus(handle, 'needs_support');
      assert.equal(
        waiting.needsPerson?.code,
        'OUTBOUND_INTERNAL_ADDRESS',
        JSON.stringify(waiting.needsPerson),
      );
      assert.ok(resolved.includes('labpa.guru-soft.com'));
      await handle.terminate('test over');
    },
  );
});
