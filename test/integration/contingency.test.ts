import assert from 'node:assert/strict';
import { getDocumentState } from '../../common/document-messages.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { contingencyWorkflowId } from '../../common/contingency-messages.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { panamaDateTime } from '../../domain/contingency/contingency-emission.js';
import { parseCufe, readRfe } from '../../domain/dgi-document/index.js';
import type { Company } from '../../platform/storage/company-store.js';
import { savePacSettings } from '../../platform/storage/pac-settings-store.js';
import { saveWebhook } from '../../platform/storage/webhook-store.js';
import { checkAgainstDgiSchema } from '../../platform/xsd-check/xmllint-schema-check.js';
import type { ApiCall } from '../helpers/api-client.js';
import { createCompanyWithCertificate, documentFor } from '../helpers/companies.js';
import { dgiSchemaDir, loadExample } from '../helpers/dgi-fixtures.js';
import { freePort } from '../harness/free-port.js';
import { FAST_CONTINGENCY, saveRecordedHistories } from '../helpers/document-scenarios.js';
import { until } from '../helpers/workflow-waits.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import type { RunningSimulator } from '../helpers/pac-simulator.js';
import { apiStatus, startApiStack, type ApiStack } from '../helpers/api-stack.js';
import { pdfText } from '../helpers/pdf-tools.js';
import { testSecretBox, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';

const run = promisify(execFile);

/** Document and contingency timings in milliseconds (probes every 200 ms, documents check every second). */
const TIMINGS = FAST_CONTINGENCY;

type WebhookBody = Record<string, any>;

describe('contingency operation (iTpEmis 02) on the real dev server, over real HTTP', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let example: Record<string, any>;
  let receiver: WebhookReceiver;
  let receiverUrl: string;
  let received: WebhookBody[] = [];
  const recorded: Array<[string, WorkflowHandle]> = [];

  let stack: ApiStack;

  before(async () => {
    stack = await startApiStack({ timings: TIMINGS, worker: { dgiSchemaDir: dgiSchemaDir() } });
    ({ simulator, api } = stack);
    example = await loadExample('invoice-spec-example.json');
    receiver = await startWebhookReceiver();
    receiverUrl = receiver.url;
    received = receiver.bodies as WebhookBody[];
  });
  after(async () => {
    await saveRecordedHistories(recorded);
    await stack.close();
    await receiver.close();
    await closeTestStack();
  });

  /** A company with a certificate, its webhook, contingency settings, and an operator's API calls. */
  async function setUp(settings: Record<string, unknown>) {
    const company = await createCompanyWithCertificate(testDatabase());
    await saveWebhook(
      testDatabase(),
      testSecretBox,
      company.id,
      receiverUrl,
      'whsec-contingency-0123456789abcdef',
    );
    const admin = await api.clientFor(company.id, 'admin');
    const saved = await admin('PUT', `/v1/companies/${company.id}/contingency-settings`, settings);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    return { company, call: await api.clientFor(company.id, 'operator') };
  }

  /** An invoice of `company` numbered `number`, emitted now. */
  const invoice = (company: Company, number: string) => {
    const doc = documentFor(company, example, number);
    doc.gDGen.dFechaEm = panamaDateTime(new Date());
    return doc;
  };

  const post = async (call: ApiCall, company: Company, number: string) => {
    const created = await call('POST', `/v1/companies/${company.id}/documents`, invoice(company, number));
    assert.equal(created.status, 202, JSON.stringify(created.body));
    return created.body as { id: string; links: { self: string; xml: string } };
  };

  const statusOf = apiStatus;

  const submissionsOf = async (company: Company, number: string) => {
    const docs = (await (
      await simulator.admin(`/documents?ruc=${company.ruc}&number=${number}`)
    ).json()) as Array<{ submissions: number }>;
    return docs.reduce((n, d) => n + d.submissions, 0);
  };

  const contingencyEvents = (companyContingencyId: string) =>
    received.filter((e) => e.type?.startsWith('contingency.') && e.contingency.id === companyContingencyId);

  it('opens by itself when the PAC stops answering; ten invoices are issued at once as 02 with a CAFE; when the PAC is back it ends and each is transmitted once', async () => {
    const { company, call } = await setUp({ autoOpen: true, afterFailures: 3, endAfterHealthyMinutes: 0.02 });
    const env = await testTemporal();
    await simulator.admin('/outage', { durationMs: 600_000, mode: 'reset' });

    // The PAC is down: the first invoice's calls get no answer; after 3 of them a contingency opens.
    const trigger = await post(call, company, '0000000001');
    const opened = await until('an automatic contingency', async () => {
      const v = (await call('GET', `/v1/companies/${company.id}/contingency?environment=2`)).body;
      return v.open ? (v as Record<string, any>) : undefined;
    });
    const contingency = opened.contingency;
    assert.equal(contingency.openedBy, 'fepa');
    assert.match(contingency.evidence.rule, /3 consecutive PAC calls without an answer/);
    assert.ok(contingency.evidence.consecutiveFailures >= 3);
    assert.ok(Date.parse(contingency.since) <= Date.parse(contingency.openedAt), 'since: the outage start');

    // Ten invoices during the contingency: signed at once with iTpEmis 02, its dFechaCont, a CUFE and a CAFE.
    const numbers = Array.from({ length: 10 }, (_, i) => `00000001${String(i + 10).padStart(2, '0')}`);
    const docs = await Promise.all(numbers.map((n) => post(call, company, n)));
    for (const [i, doc] of docs.entries()) {
      const detail = await statusOf(call, doc.links.self, 'issued_in_contingency', 30_000);
      const cufe = parseCufe(detail.cufe as string);
      assert.ok(cufe.ok && cufe.fields.iTpEmis === '02', `the CUFE carries iTpEmis 02: ${detail.cufe}`);
      const xml = (await call('GET', doc.links.xml)).body as string;
      const rfe = readRfe(xml);
      assert.ok(rfe.ok);
      const gDGen = rfe.document.gDGen as Record<string, unknown>;
      assert.equal(gDGen.iTpEmis, '02');
      assert.equal(gDGen.dFechaCont, panamaDateTime(new Date(contingency.since)));
      assert.equal(gDGen.dMotCont, contingency.reason);
      const schema = await checkAgainstDgiSchema(xml, dgiSchemaDir());
      assert.ok(schema.ok, `valid against the DGI schema: ${JSON.stringify(schema)}`);
      if (i < 2) {
        const cafe = await call('GET', detail.links.cafe as string);
        assert.equal(cafe.status, 200);
        const text = await pdfText(cafe.bytes);
        assert.match(text, /Emitido en contingencia/);
        assert.ok(text.replace(/\s/g, '').includes(detail.cufe as string), 'the CAFE prints the CUFE');
      }
      assert.equal(await submissionsOf(company, numbers[i]!), 0, 'nothing is sent while in contingency');
    }
    const during = (await call('GET', `/v1/companies/${company.id}/contingency?environment=2`)).body;
    assert.equal(during.contingency.issued, 10);
    assert.equal(during.contingency.toTransmit, 10);

    // The PAC comes back: the contingency ends by itself and the ten are transmitted once each.
    await simulator.admin('/outage', undefined, 'DELETE');
    let lastView: unknown;
    const ended = await until(
      'the automatic end',
      async () => {
        const v = (await call('GET', `/v1/companies/${company.id}/contingency?environment=2`)).body;
        lastView = v;
        return v.open ? undefined : (v.recent[0] as Record<string, any>);
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(lastView)}`, { cause: err });
    });
    assert.equal(ended.id, contingency.id);
    assert.match(ended.endedBy, /PAC has answered again/);
    for (const [i, doc] of docs.entries()) {
      const detail = await statusOf(call, doc.links.self, 'authorized', 60_000);
      assert.ok(parseCufe(detail.cufe as string).ok);
      assert.equal(await submissionsOf(company, numbers[i]!), 1, `${numbers[i]} transmitted exactly once`);
    }
    await statusOf(call, trigger.links.self, 'authorized', 60_000);

    // In order: the contingency workflow told the documents to transmit in emission order.
    const handle = env.client.workflow.getHandle(contingencyWorkflowId(company.id, '2'));
    const result = (await handle.result()) as Record<string, any>;
    assert.equal(result.transmitted, 10);
    const history = await handle.fetchHistory();
    const told = (history.events ?? [])
      .map((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId)
      .filter((id): id is string => typeof id === 'string')
      .map((id) => id.slice(-10));
    assert.deepEqual(told, numbers);
    recorded.push(['contingency-automatic', handle]);
    recorded.push([
      'document-issued-in-contingency',
      env.client.workflow.getHandle((await call('GET', docs[0]!.links.self)).body.workflowId as string),
    ]);

    // The events: the document's history and the webhook.
    const detail = (await call('GET', docs[0]!.links.self)).body;
    const path = (detail.state.history as Array<{ status: string }>).map((h) => h.status);
    assert.ok(path.indexOf('issued_in_contingency') < path.indexOf('authorized'), path.join(' → '));
    await until('the contingency webhooks', () => {
      const types = contingencyEvents(contingency.id as string).map((e) => e.type);
      return Promise.resolve(
        types.includes('contingency.started') && types.includes('contingency.ended') ? types : undefined,
      );
    });
    const endEvent = contingencyEvents(contingency.id as string).find((e) => e.type === 'contingency.ended')!;
    assert.equal(endEvent.contingency.transmitted, 10);
    assert.ok(
      received.some((e) => e.documentId === docs[0]!.id && e.status === 'issued_in_contingency'),
      'the document webhook announces issued_in_contingency',
    );
  });

  it('a manual contingency through the CLI and the API: the 72-hour rule holds documents until an explanation is given', async () => {
    const { company, call } = await setUp({});
    const operatorKey = await api.keyFor(company.id, 'operator');
    const integrator = await api.clientFor(company.id, 'integrator');
    const since = new Date(Date.now() - 73 * 3_600_000);
    const cli = (...args: string[]) =>
      run(
        'npx',
        [
          'tsx',
          join(PROJECT_ROOT, 'app/cli/main.ts'),
          'contingency',
          ...args,
          '--company',
          company.id,
          '--environment',
          '2',
          '--api',
          api.url,
        ],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, FEPA_API_KEY: operatorKey },
        },
      );

    // Clear errors: a short reason names the field; an integrator may read but not open one.
    const short = await call('POST', `/v1/companies/${company.id}/contingency`, {
      environment: '2',
      actor: 'ana',
      reason: 'corto',
    });
    assert.equal(short.status, 400);
    assert.equal(short.body.issues[0].path, 'reason');
    const forbidden = await integrator('POST', `/v1/companies/${company.id}/contingency`, {
      environment: '2',
      actor: 'ana',
      reason: 'Corte electrico prolongado en la sucursal',
    });
    assert.equal(forbidden.status, 403);
    await assert.rejects(cli('start'), /--reason is required/);

    const reason = 'Corte electrico prolongado en la sucursal principal';
    const started = await cli(
      'start',
      '--reason',
      reason,
      '--since',
      since.toISOString(),
      '--actor',
      'ana.soporte',
    );
    assert.match(started.stdout, /CONTINGENCY OPEN/);
    assert.match(started.stdout, /over 72 hours: give an explanation/);
    const again = await call('POST', `/v1/companies/${company.id}/contingency`, {
      environment: '2',
      actor: 'ana',
      reason,
    });
    assert.equal(again.status, 409, 'one open contingency per company and environment');
    const view = (await integrator('GET', `/v1/companies/${company.id}/contingency?environment=2`)).body;
    assert.equal(view.contingency.since, since.toISOString());
    assert.match(view.contingency.openedBy, /^ana\.soporte \(key /);

    // Opened 73 hours ago: the 24, 48 and 72-hour alerts go out at once.
    const id = view.contingency.id as string;
    await until('the 72-hour alert', () =>
      Promise.resolve(contingencyEvents(id).some((e) => e.contingency.hours === 72) ? true : undefined),
    );
    assert.deepEqual(
      contingencyEvents(id)
        .filter((e) => e.type === 'contingency.ongoing')
        .map((e) => e.contingency.hours)
        .sort(),
      [24, 48, 72],
    );

    // Over 72 hours without an explanation: the document waits for a person, with the reason why.
    const held = await post(call, company, '0000000301');
    const waiting = await statusOf(call, held.links.self, 'needs_support', 30_000);
    assert.equal(waiting.state.needsPerson.code, 'ContingencyReasonNeeded');
    assert.match(waiting.state.needsPerson.reason, /more than 72 hours/);
    // Reason and explanation together would pass dMotCont's 250 characters: refused, naming the field.
    const tooLong = await cli('explain', '--explanation', 'x'.repeat(220)).then(
      () => assert.fail('an explanation too long is refused'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /400 Invalid request: .*dMotCont takes 15 to 250[\s\S]*explanation: /);

    const explanation = 'El proveedor electrico no ha restablecido el servicio';
    const explained = await cli('explain', '--explanation', explanation, '--actor', 'ana.soporte');
    assert.match(explained.stdout, new RegExp(explanation));
    const retried = await call('POST', `${held.links.self}/resubmit`, { actor: 'ana.soporte' });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    const issued = await statusOf(call, held.links.self, 'issued_in_contingency', 30_000);
    const rfe = readRfe((await call('GET', held.links.xml)).body as string);
    assert.ok(rfe.ok);
    const gDGen = rfe.document.gDGen as Record<string, unknown>;
    assert.equal(gDGen.dMotCont, `${reason}. ${explanation}`);
    assert.equal(gDGen.dFechaCont, panamaDateTime(since));
    assert.ok(parseCufe(issued.cufe as string).ok);

    // The PAC answers all along, but a manual contingency ends only by hand; then the document goes out.
    const status = await cli('status');
    assert.match(status.stdout, /1 issued, 1 to transmit/);
    const ended = await cli('end', '--actor', 'ana.soporte');
    assert.match(ended.stdout, /no contingency open/);
    await statusOf(call, held.links.self, 'authorized', 60_000);
    assert.equal(await submissionsOf(company, '0000000301'), 1);
    const notOpen = await call('POST', `/v1/companies/${company.id}/contingency/end`, {
      environment: '2',
      actor: 'ana',
    });
    assert.equal(notOpen.status, 409);
  });

  /** The company's PAC refuses connections (nothing is sent: documents are queued offline), or answers again. */
  const pacAt = (company: Company, baseUrl: string) =>
    savePacSettings(testDatabase(), testSecretBox, {
      companyId: company.id,
      pac: 'sandbox',
      baseUrl,
      autoSubmit: true,
    });

  it('documents queued offline as 01 stay 01 when the company does not allow re-issuing them', async () => {
    const { company, call } = await setUp({ autoOpen: true, afterFailures: 3, endAfterHealthyMinutes: 0.02 });
    await pacAt(company, `http://127.0.0.1:${await freePort()}`);
    const doc = await post(call, company, '0000000451');
    const queued = await statusOf(call, doc.links.self, 'queued_offline', 30_000);
    await until('the automatic contingency', async () =>
      (await call('GET', `/v1/companies/${company.id}/contingency?environment=2`)).body.open
        ? true
        : undefined,
    );
    // Several offline retries later (300 ms apart) it is still the same 01.
    const handle = (await testTemporal()).client.workflow.getHandle(queued.workflowId as string);
    const triedBefore = (await handle.query(getDocumentState)).submissions;
    await until('three more offline retries', async () =>
      (await handle.query(getDocumentState)).submissions >= triedBefore + 3 ? true : undefined,
    );
    const still = (await call('GET', doc.links.self)).body;
    assert.equal(still.status, 'queued_offline');
    assert.equal(still.cufe, queued.cufe);
    await pacAt(company, simulator.url);
    const done = await statusOf(call, doc.links.self, 'authorized', 60_000);
    recorded.push([
      'contingency-queued-stays-01',
      (await testTemporal()).client.workflow.getHandle(done.workflowId as string),
    ]);
    assert.equal(done.cufe, queued.cufe);
    assert.equal(await submissionsOf(company, '0000000451'), 1);
  });

  it('documents queued offline as 01 before the contingency: re-issued in it when the company allows and nobody has them', async () => {
    const { company, call } = await setUp({
      autoOpen: true,
      afterFailures: 10,
      endAfterHealthyMinutes: 0.02,
      reissueOfflineDocuments: true,
    });
    await pacAt(company, `http://127.0.0.1:${await freePort()}`);
    const kept = await post(call, company, '0000000401');
    const keptQueued = await statusOf(call, kept.links.self, 'queued_offline', 30_000);
    // Its XML leaves fepa (handed to the customer as 01): it must stay 01.
    assert.equal((await call('GET', kept.links.xml)).status, 200);
    const reissued = await post(call, company, '0000000402');
    const queued = await statusOf(call, reissued.links.self, 'queued_offline', 30_000);
    assert.ok(
      parseCufe(queued.cufe as string).ok && parseCufe(queued.cufe as string).fields?.iTpEmis === '01',
    );

    const now = await statusOf(call, reissued.links.self, 'issued_in_contingency', 60_000);
    assert.notEqual(now.cufe, queued.cufe, 'a new CUFE');
    assert.equal(now.number, '0000000402', 'the same number');
    const cufe = parseCufe(now.cufe as string);
    assert.ok(cufe.ok && cufe.fields.iTpEmis === '02');
    assert.equal((await call('GET', kept.links.self)).body.status, 'queued_offline');
    assert.equal(
      (await call('GET', kept.links.self)).body.cufe,
      keptQueued.cufe,
      'the handed-over 01 is kept',
    );

    // The PAC answers again: the contingency ends; each is sent once, the 01 as 01 and the 02 as 02.
    await pacAt(company, simulator.url);
    const keptDone = await statusOf(call, kept.links.self, 'authorized', 60_000);
    const reissuedDone = await statusOf(call, reissued.links.self, 'authorized', 60_000);
    const env = await testTemporal();
    recorded.push([
      'contingency-queued-kept-01',
      env.client.workflow.getHandle(keptDone.workflowId as string),
    ]);
    recorded.push([
      'contingency-queued-reissued',
      env.client.workflow.getHandle(reissuedDone.workflowId as string),
    ]);
    assert.equal(keptDone.cufe, keptQueued.cufe);
    assert.equal(reissuedDone.cufe, now.cufe);
    assert.equal(await submissionsOf(company, '0000000401'), 1);
    assert.equal(await submissionsOf(company, '0000000402'), 1);
  });
});
