import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { computeRucDv } from '../../domain/dgi-document/index.js';
import type { Company } from '../../platform/storage/company-store.js';
import { savePacSettings } from '../../platform/storage/pac-settings-store.js';
import { saveWebhook } from '../../platform/storage/webhook-store.js';
import { ensureFolioWatchSchedule } from '../../worker/daily-schedules.js';
import { createCompanyWithCertificate, documentFor, randomJuridicalRuc } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { FAST } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { until, waitForStatus } from '../helpers/workflow-waits.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const run = promisify(execFile);

/**
 * HKA's account services through fepa (issue #16 §4–§5): folios read on request and by the daily
 * schedule, the alert (log, webhook, company status) under the threshold and on code 119, RUC look-ups
 * through the API and the CLI, the optional receiver check before submission, and fields HKA cannot
 * carry refused when the document is created. Real dev server, real API, real SOAP to the simulator.
 */
describe("HKA's account services: folios, RUC look-up, receiver check (real dev server, API, CLI)", () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;
  let example: Record<string, any>;
  let receiver: WebhookReceiver;

  before(async () => {
    simulator = await startSimulator();
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    api = await startTestApi({
      client: (await testTemporal()).client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: FAST,
    });
    example = await loadExample('invoice-spec-example.json');
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await simulator.close();
    await receiver.close();
    await closeTestStack();
  });

  /** A company on HKA (its simulator account registered with the company's emitter) and its webhook. */
  async function hkaCompany(account: Record<string, unknown> = {}): Promise<Company> {
    const company = await createCompanyWithCertificate(testDatabase());
    const credentials = { tokenEmpresa: `token-${company.id}`, tokenPassword: 'hka-secret-password' };
    await simulator.admin('/accounts', {
      id: `hka-${company.id}`,
      pac: 'hka',
      environment: '2',
      ...credentials,
      emitter: documentFor(company, example, '1').gDGen.gEmis,
      ...account,
    });
    await savePacSettings(testDatabase(), testSecretBox, {
      companyId: company.id,
      pac: 'hka',
      baseUrl: simulator.hkaUrl,
      autoSubmit: true,
      credentials: { hka: credentials },
    });
    await saveWebhook(testDatabase(), testSecretBox, company.id, receiver.url, 'whsec-hka-0123456789abcdef');
    return company;
  }

  const cli = async (key: string, ...args: string[]) =>
    run('npx', ['tsx', join(PROJECT_ROOT, 'app/cli/main.ts'), ...args, '--api', api.url], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FEPA_API_KEY: key },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('reads folios on request; under the threshold it warns by webhook and company status; 119 raises the same alert', async () => {
    const company = await hkaCompany({ folios: { total: 3, used: 1 } });
    const admin = await api.clientFor(company.id, 'admin');
    const operator = await api.clientFor(company.id, 'operator');
    const integrator = await api.clientFor(company.id, 'integrator');

    const none = await integrator('GET', `/v1/companies/${company.id}/folios`);
    assert.deepEqual([none.status, none.body.low, none.body.latest], [200, false, undefined]);
    assert.equal((await integrator('POST', `/v1/companies/${company.id}/folios/check`)).status, 403);
    const bad = await admin('PUT', `/v1/companies/${company.id}/hka-settings`, { folioAlertThreshold: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.issues[0].path, 'folioAlertThreshold');
    assert.equal(
      (await admin('PUT', `/v1/companies/${company.id}/hka-settings`, { folioAlertThreshold: 5 })).status,
      200,
    );

    const checked = await operator('POST', `/v1/companies/${company.id}/folios/check`);
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.deepEqual(
      [checked.body.low, checked.body.threshold, checked.body.latest.available, checked.body.latest.reason],
      [true, 5, 2, 'request'],
    );
    await until('the folios.low webhook', () =>
      receiver.bodies.some((e) => e.type === 'folios.low' && e.folios.available === 2),
    );

    // The CLI reads the same figures (an integrator key reads; --check needs an operator).
    const integratorKey = await api.keyFor(company.id, 'integrator');
    const shown = await cli(integratorKey, 'folios', '--company', company.id);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /2 folios left .*alert under 5\n! LOW/);
    const refused = await cli(integratorKey, 'folios', '--company', company.id, '--check');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /403/);

    // Two documents spend the last two folios; the third is refused with 119 and the alert is raised.
    const documents = api.deps.documents;
    for (const number of ['0000000001', '0000000002']) {
      const created = await documents.create(company.id, documentFor(company, example, number));
      assert.equal(created.outcome, 'created');
      const env = await testTemporal();
      await waitForStatus(
        env.client.workflow.getHandle(created.outcome === 'created' ? created.workflowId : ''),
        'authorized',
      );
    }
    const third = await documents.create(company.id, documentFor(company, example, '0000000003'));
    assert.equal(third.outcome, 'created');
    const handle = (await testTemporal()).client.workflow.getHandle(
      third.outcome === 'created' ? third.workflowId : '',
    );
    const stuck = await waitForStatus(handle, 'needs_support');
    assert.equal(stuck.lastPac?.code, '119');
    const status = await integrator('GET', `/v1/companies/${company.id}/folios`);
    assert.deepEqual(
      [status.body.low, status.body.latest.reason, status.body.latest.available],
      [true, 'no-folios', 0],
    );
    await until('the folios.low webhook of code 119', () =>
      receiver.bodies.some((e) => e.type === 'folios.low' && e.folios.reason === 'no-folios'),
    );
  });

  it('registers the daily folio read as a Temporal schedule that reads every HKA company', async () => {
    const company = await hkaCompany({ folios: { total: 1000, used: 10 } });
    const env = await testTemporal();
    const scheduleId = `test-folio-watch-${company.id}`;
    assert.equal(
      await ensureFolioWatchSchedule(env.client, {
        taskQueue: worker.taskQueue,
        pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
        scheduleId,
      }),
      'created',
    );
    const schedule = env.client.schedule.getHandle(scheduleId);
    try {
      const described = await schedule.describe();
      assert.deepEqual(described.spec.calendars?.[0]?.hour, [{ start: 7, end: 7, step: 1 }]);
      assert.equal(described.spec.timezone, 'America/Panama');
      await schedule.trigger();
      const integrator = await api.clientFor(company.id, 'integrator');
      await until('the scheduled reading', async () => {
        const view = await integrator('GET', `/v1/companies/${company.id}/folios`);
        return view.body.latest?.reason === 'schedule' && view.body.latest.available === 990;
      });
    } finally {
      await schedule.delete();
    }
  });

  it('looks up RUCs through the API and the CLI; answers are cached; a non-HKA company gets 409', async () => {
    const company = await hkaCompany();
    const integrator = await api.clientFor(company.id, 'integrator');
    const stranger = randomJuridicalRuc();
    const found = await integrator('GET', `/v1/companies/${company.id}/ruc/${stranger.ruc}?type=2`);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(
      [found.body.dv, found.body.enrolled, found.body.source],
      [computeRucDv(stranger.ruc, '2'), false, 'pac'],
    );
    const again = await integrator('GET', `/v1/companies/${company.id}/ruc/${stranger.ruc}?type=2`);
    assert.equal(again.body.source, 'cache');
    const badType = await integrator('GET', `/v1/companies/${company.id}/ruc/${stranger.ruc}?type=3`);
    assert.deepEqual([badType.status, badType.body.issues[0].path], [400, 'query.type']);
    const unknown = await integrator('GET', `/v1/companies/${company.id}/ruc/not-a-ruc?type=2`);
    assert.equal(unknown.status, 404);

    const key = await api.keyFor(company.id, 'integrator');
    const printed = await cli(
      key,
      'ruc-lookup',
      company.ruc,
      '--type',
      company.rucType,
      '--company',
      company.id,
    );
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, new RegExp(`${company.ruc} DV ${company.dv}`));
    assert.match(printed.stdout, /enrolled in electronic invoicing \(asked HKA\)/);
    const usage = await cli(key, 'ruc-lookup', company.ruc, '--company', company.id);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--type/);

    const other = await createCompanyWithCertificate(testDatabase());
    const notHka = await (
      await api.clientFor(other.id, 'integrator')
    )('GET', `/v1/companies/${other.id}/ruc/${stranger.ruc}?type=2`);
    assert.equal(notHka.status, 409);
  });

  it('checks a contributor receiver before submission when asked: an unregistered RUC is never sent', async () => {
    const company = await hkaCompany();
    const admin = await api.clientFor(company.id, 'admin');
    assert.equal(
      (await admin('PUT', `/v1/companies/${company.id}/hka-settings`, { checkReceiverRuc: true })).status,
      200,
    );
    // A RUC of valid form and check digit that the DGI registry does not know.
    const ghost = randomJuridicalRuc();
    await simulator.admin('/unregistered-rucs', { ruc: ghost.ruc });
    const request = documentFor(company, example, '0000000011');
    request.gDGen.gDatRec.gRucRec = { dTipoRuc: '2', dRuc: ghost.ruc, dDV: ghost.dv };
    const created = await api.deps.documents.create(company.id, request);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const handle = (await testTemporal()).client.workflow.getHandle(created.workflowId);
    const rejected = await waitForStatus(handle, 'rejected');
    assert.equal(rejected.lastPac?.code, 'FEPA-RUC-UNKNOWN');
    const docs = (await (
      await simulator.admin(`/documents?ruc=${company.ruc}&number=11`)
    ).json()) as unknown[];
    assert.equal(docs.length, 0, 'HKA never received it');
  });

  it('refuses at creation a field HKA cannot carry, naming it (400, no number spent)', async () => {
    const company = await hkaCompany();
    const integrator = await api.clientFor(company.id, 'integrator');
    const request = documentFor(company, example, '0000000021');
    request.gItem[0].gMedicina = { dNroLote: 'LOTE-2026-01', dCtLote: '10' };
    const answer = await integrator('POST', `/v1/companies/${company.id}/documents`, request);
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.deepEqual(
      answer.body.issues.map((i: { path: string; rule: string }) => [i.path, i.rule]),
      [
        ['gItem[0].gMedicina.dNroLote', 'hka-unsupported'],
        ['gItem[0].gMedicina.dCtLote', 'hka-unsupported'],
      ],
    );
  });
});
