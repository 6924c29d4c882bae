import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { DocumentState } from '../../common/document-lifecycle.js';
import { startSmtpSink, type SmtpSink } from '../../tools/dev-stack/smtp-sink.js';
import { smtpMailSender } from '../../platform/mail/mail-sender.js';
import { readRfe } from '../../domain/dgi-document/index.js';
import { loadSignedXml } from '../../platform/storage/document-store.js';
import { listDeliveries } from '../../platform/storage/delivery-store.js';
import type { cafeDeliveryWorkflow } from '../../workflows/cafe-delivery-workflow.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, saveRecordedHistories } from '../helpers/document-scenarios.js';
import { until } from '../helpers/workflow-waits.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { decodeQrCodes, pdfText } from '../helpers/pdf-tools.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';

const SMTP_PASSWORD = 'smtp-secret-Zq81!never-in-history';
/** Deliveries retried quickly, given up after 20 s. */
const DELIVERY = { deliveryRetryInitialMs: 200, deliveryGiveUpMs: 20_000 };

describe('the CAFE e-mailed to the receiver (iEntCAFE 3), over real SMTP', () => {
  let simulator: RunningSimulator;
  let sink: SmtpSink;
  let worker: TestWorker;
  let api: TestApi;
  let example: Record<string, any>;
  const recorded: Array<[string, WorkflowHandle]> = [];

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    sink = await startSmtpSink({});
    worker = await startTestWorker({
      simulatorUrl: simulator.url,
      mail: {
        sender: smtpMailSender({
          smtpUrl: sink.smtpUrl,
          user: 'fepa',
          password: SMTP_PASSWORD,
          from: 'facturas@emisor.example',
          replyTo: 'soporte@emisor.example',
        }),
        from: 'facturas@emisor.example',
        replyTo: 'soporte@emisor.example',
      },
    });
    api = await startTestApi({
      client: (await testTemporal()).client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: { pollInitialMs: 50, pollMaxMs: 200, annulWindowMs: 1, ...DELIVERY },
    });
    example = await loadExample('invoice-spec-example.json');
    example.gDGen.iEntCAFE = '3';
  });
  after(async () => {
    await saveRecordedHistories(recorded);
    await api.close();
    await worker.stop();
    await sink.stop();
    await simulator.close();
    await closeTestStack();
  });

  const scenarios = () => documentScenarios(simulator, worker, example);
  const mailTo = (address: string, cufe: string) =>
    until(`an e-mail to ${address}`, () =>
      Promise.resolve(sink.messages().find((m) => m.to.includes(address) && m.text.includes(cufe))),
    );

  it('an authorized invoice reaches the receiver with its CAFE and signed XML; the API shows the delivery', async () => {
    const c = await scenarios().company();
    const { handle, documentId } = await scenarios().issue(c, '0000000001', { timings: DELIVERY });
    const state: DocumentState = await handle.result();
    recorded.push(['cafe-delivery-authorized', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.cafeByEmail, true);
    assert.equal(state.cafeDelivery?.workflowId, `cafe-delivery:${documentId}:auto`);
    const delivery = (await testTemporal()).client.workflow.getHandle<typeof cafeDeliveryWorkflow>(
      state.cafeDelivery?.workflowId ?? '',
    );
    const result = await delivery.result();
    assert.equal(result.status, 'sent');

    const signed = (await loadSignedXml(testDatabase(), documentId))!;
    const read = readRfe(signed);
    assert.ok(read.ok);
    const mail = await mailTo('compras@cliente-ejemplo.com', state.cufe!);
    assert.match(mail.from, /EMPRESA DE PRUEBA.*facturas@emisor\.example/);
    assert.match(mail.subject, /^Factura electrónica 0000-001-0000000001 de /);
    assert.deepEqual(
      mail.attachments.map((a) => [a.filename, a.contentType]),
      [
        ['CAFE-0000-001-0000000001.pdf', 'application/pdf'],
        [`${state.cufe}.xml`, 'application/xml'],
      ],
    );
    assert.equal(mail.attachments[1]!.content.toString('utf8'), signed, 'the XML is the signed document');
    const pdf = mail.attachments[0]!.content;
    assert.deepEqual(await decodeQrCodes(pdf), [read.qrCode]);
    assert.ok((await pdfText(pdf)).includes(state.protocol!));

    const [row] = await listDeliveries(testDatabase(), documentId);
    assert.equal(row?.status, 'sent');
    assert.equal(row?.address, 'compras@cliente-ejemplo.com');
    assert.equal(row?.attempts, 1);
    assert.ok(row?.messageId);

    // Nothing secret in either history: not the SMTP password.
    for (const h of [handle, delivery]) {
      const history = JSON.stringify(await h.fetchHistory());
      assert.ok(!history.includes(SMTP_PASSWORD));
    }
  });

  it('a mail server that refuses for a while (451) is retried until the e-mail is accepted', async () => {
    const c = await scenarios().company();
    sink.refuseNext(3, 451);
    const { handle, documentId } = await scenarios().issue(c, '0000000002', { timings: DELIVERY });
    const state: DocumentState = await handle.result();
    assert.equal(state.status, 'authorized', 'the document never waits for its e-mail');
    await mailTo('compras@cliente-ejemplo.com', state.cufe!);
    const [row] = await until('the delivery recorded as sent', async () => {
      const rows = await listDeliveries(testDatabase(), documentId);
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    assert.equal(row!.attempts, 4, 'three refusals, then sent');
  });

  it('a refusal for good (550) is given up at once and recorded with the server answer', async () => {
    const c = await scenarios().company();
    sink.refuseNext(1, 550);
    const { handle, documentId } = await scenarios().issue(c, '0000000003', { timings: DELIVERY });
    const state: DocumentState = await handle.result();
    const result = await (
      await testTemporal()
    ).client.workflow
      .getHandle<typeof cafeDeliveryWorkflow>(state.cafeDelivery!.workflowId)
      .result();
    assert.equal(result.status, 'failed');
    const [row] = await listDeliveries(testDatabase(), documentId);
    assert.equal(row?.status, 'failed');
    assert.match(row?.lastError ?? '', /550/);
    assert.equal(row?.attempts, 1);
  });

  it('an operator resends to another address through the API; bad requests name the field', async () => {
    const c = await scenarios().company();
    const { handle, documentId } = await scenarios().issue(c, '0000000004', { timings: DELIVERY });
    const state: DocumentState = await handle.result();
    const call = await api.clientFor(c.id, 'operator');
    const path = `/v1/companies/${c.id}/documents/${documentId}`;
    const bad = await call('POST', `${path}/deliver`, { actor: 'ana', to: 'not-an-address' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /"to"|\.to|to:/);
    const integrator = await api.clientFor(c.id, 'integrator');
    assert.equal((await integrator('POST', `${path}/deliver`, { actor: 'x' })).status, 403);

    const admin = await api.clientFor(c.id, 'admin');
    const named = await admin('PUT', `/v1/companies/${c.id}/mail-sender`, {
      senderName: 'Facturación Prueba',
    });
    assert.equal(named.status, 204, JSON.stringify(named.body));
    const resent = await call('POST', `${path}/deliver`, { actor: 'ana', to: 'contabilidad@otro.example' });
    assert.equal(resent.status, 202, JSON.stringify(resent.body));
    assert.equal(resent.body.address, 'contabilidad@otro.example');
    const again = await mailTo('contabilidad@otro.example', state.cufe!);
    assert.match(again.from, /^"?Facturación Prueba"? <facturas@emisor\.example>$/);
    const detail = await until('both deliveries sent', async () => {
      const d = (await call('GET', path)).body;
      return d.deliveries?.length === 2 && d.deliveries.every((x: any) => x.status === 'sent')
        ? d
        : undefined;
    });
    assert.deepEqual(detail.deliveries.map((d: any) => d.address).sort(), [
      'compras@cliente-ejemplo.com',
      'contabilidad@otro.example',
    ]);
    assert.match(
      detail.deliveries.find((d: any) => d.address.startsWith('contabilidad')).requestedBy,
      /^ana \(key /,
    );
  });

  it('a document that does not ask for e-mail (iEntCAFE 1) sends none', async () => {
    const c = await scenarios().company();
    const base = { ...example, gDGen: { ...example.gDGen, iEntCAFE: '1' } };
    const { handle, documentId } = await scenarios().issue(c, '0000000005', { base, timings: DELIVERY });
    const state: DocumentState = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(state.cafeDelivery, undefined);
    assert.deepEqual(await listDeliveries(testDatabase(), documentId), []);
  });
});
