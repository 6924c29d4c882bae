import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  cancelUpdate,
  annulUpdate,
  correctUpdate,
  getDocumentState,
  resubmitUpdate,
  submitSignal,
  submitUpdate,
  type DocumentTimings,
} from '../../common/document-messages.js';
import type { DocumentState } from '../../common/document-lifecycle.js';
import { DocumentService } from '../../app/services/document-service.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import type { Company } from '../../platform/storage/company-store.js';
import { loadSignedXml } from '../../platform/storage/document-store.js';
import { saveWebhook } from '../../platform/storage/webhook-store.js';
import { webhookSignature } from '../../activities/webhook-activities.js';
import { createCompanyWithCertificate, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { TEST_MASTER_KEY, testSecretBox } from '../helpers/test-api.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged } from '../../tools/dev-stack/managed-process.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { until, waitForStatus } from '../helpers/workflow-waits.js';
import { documentScenarios, FAST, saveRecordedHistories } from '../helpers/document-scenarios.js';
import { freePort } from '../harness/free-port.js';
import type { documentWorkflow } from '../../workflows/document-workflow.js';

describe('the document workflow on the real dev server, with the PAC simulator over HTTP', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let example: Record<string, any>;
  const recorded: Array<[string, WorkflowHandle]> = [];

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    example = await loadExample('invoice-spec-example.json');
  });
  after(async () => {
    await saveRecordedHistories(recorded);
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  const scenarios = () => documentScenarios(simulator, worker, example);
  const documents = (timings: Partial<DocumentTimings> = {}) => scenarios().documents(timings);
  const company = (pac?: Parameters<ReturnType<typeof scenarios>['company']>[0]) => scenarios().company(pac);
  const issue = (
    c: Company,
    number: string,
    options: Parameters<ReturnType<typeof scenarios>['issue']>[2] = {},
  ) => scenarios().issue(c, number, options);
  const submissions = (c: Company, number: string) => scenarios().submissions(c, number);

  it('authorizes a document at the first try, and records every state in PostgreSQL', async () => {
    const c = await company();
    const { handle, documentId } = await issue(c, '0000000001');
    const state: DocumentState = await handle.result();
    recorded.push(['authorized-first-try', handle]);
    assert.equal(state.status, 'authorized');
    assert.deepEqual(
      state.history.map((h) => h.status),
      ['received', 'prepared', 'signed', 'authorized'],
    );
    assert.equal(state.submissions, 1);
    assert.match(state.protocol ?? '', /^[0-9]{20}$/);
    const [row] = await testDatabase()<
      Array<{ status: string; protocol: string; cufe: string }>
    >`select status, protocol, cufe from documents where id = ${documentId}`;
    assert.deepEqual(row, { status: 'authorized', protocol: state.protocol, cufe: state.cufe });
    const events = await testDatabase()<
      Array<{ to_status: string; seq: number }>
    >`select to_status, seq from document_events where document_id = ${documentId} order by seq`;
    assert.deepEqual(
      events.map((e) => e.to_status),
      ['received', 'prepared', 'signed', 'authorized'],
    );
    const described = await handle.describe();
    assert.deepEqual(described.searchAttributes.DocStatus, ['authorized']);
    assert.deepEqual(described.searchAttributes.Cufe, [state.cufe]);
    assert.deepEqual(described.searchAttributes.EmitterRuc, [c.ruc]);
    assert.deepEqual(described.searchAttributes.NeedsPerson, [false]);
    // Bookkeeping ran as local activities: markers in the history, no activity tasks of its own.
    const history = (await handle.fetchHistory()).events ?? [];
    const scheduled = history
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name): name is string => name !== undefined && name !== null);
    assert.deepEqual(scheduled, ['prepareDocument', 'signDocument', 'submitToPac']);
    const localMarkers = history.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    assert.equal(localMarkers.length, 5, '4 transitions and the signature-mode read');
  });

  it('polls eDoc through states 5, 5 and 2 without resubmitting; eDoc signs, fepa verifies', async () => {
    const c = await company({ pac: 'edoc' });
    const { handle, documentId } = await issue(c, '0000000002', {
      script: ['edoc-state:5', 'edoc-state:5', 'authorized'],
    });
    const state = await handle.result();
    recorded.push(['edoc-pending-then-authorized', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.signedByFepa, false, 'fepa skipped its signing step');
    assert.ok(state.history.some((h) => h.note?.includes('signing skipped')));
    assert.ok(state.polls >= 2);
    assert.equal(await submissions(c, '0000000002'), 1);
    assert.ok(
      verifySignedRfe((await loadSignedXml(testDatabase(), documentId))!).ok,
      'the XML eDoc signed is stored and verifies',
    );
  });

  it('rejected by the DGI (eDoc 6), corrected by an operator, authorized with the same number', async () => {
    const c = await company({ pac: 'edoc' });
    const { handle, documentId } = await issue(c, '0000000003', { script: ['edoc-state:6'] });
    const rejected = await waitForStatus(handle, 'rejected');
    assert.equal(rejected.needsPerson?.code, '6');
    assert.deepEqual((await handle.describe()).searchAttributes.NeedsPerson, [true]);
    const fixed = documentFor(c, example, '0000000003');
    fixed.gDGen.gDatRec.dNombRec = 'CLIENTE CORREGIDO, S.A.';
    const service = await documents();
    const wrongNumber = await service.correct(c.id, documentId, documentFor(c, example, '0000000099'), {
      actor: 'ana@erp',
    });
    assert.equal(wrongNumber.outcome, 'invalid', 'a correction keeps the number');
    const accepted = await service.correct(c.id, documentId, fixed, {
      actor: 'ana@erp',
      reason: 'receiver name',
    });
    assert.equal(accepted.outcome, 'done');
    assert.notEqual(
      accepted.outcome === 'done' && accepted.state.status,
      'rejected',
      'the answer is the state after the correction was applied',
    );
    const state = await handle.result();
    recorded.push(['rejected-corrected-authorized', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.corrections.length, 1);
    assert.ok(state.actions.some((a) => a.kind === 'correct' && a.actor === 'ana@erp' && a.accepted));
    assert.equal(await submissions(c, '0000000003'), 2);
  });

  it('eDoc 4 waits for support; never resent until an operator says resubmit', async () => {
    const c = await company({ pac: 'edoc' });
    const { handle } = await issue(c, '0000000004', { script: ['edoc-state:4'] });
    await waitForStatus(handle, 'needs_support');
    // Waiting for a person: nothing can be sent again before an operator acts.
    await until('the workflow waits for a person', async () =>
      (await handle.query(getDocumentState)).phase === 'person' ? true : undefined,
    );
    assert.equal(await submissions(c, '0000000004'), 1, 'not resent automatically');
    const answer = await handle.executeUpdate(resubmitUpdate, {
      args: [{ actor: 'soporte@fepa', reason: 'eDoc fixed its queue' }],
    });
    assert.equal(answer.history.at(-1)?.actor, 'soporte@fepa', 'answered once the resubmission was applied');
    assert.notEqual(answer.status, 'needs_support');
    const state = await handle.result();
    recorded.push(['needs-support-resubmitted', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(await submissions(c, '0000000004'), 2);
  });

  it('after a lost reply, reconciles by query and never submits twice', async () => {
    const c = await company();
    const { handle } = await issue(c, '0000000005', { script: ['lose-reply'] });
    const state = await handle.result();
    recorded.push(['lost-reply-reconciled', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.reconciliations, 1);
    assert.equal(await submissions(c, '0000000005'), 1);
  });

  it('adopts the existing authorization when the PAC answers duplicate', async () => {
    const c = await company();
    const { handle } = await issue(c, '0000000006', { script: ['duplicate'] });
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(state.reconciliations, 1);
    assert.match(state.protocol ?? '', /^[0-9]{20}$/);
  });

  it('keeps a signed document queued while the PAC is unreachable, and sends it when it answers', async () => {
    const c = await company({ pac: 'sandbox', baseUrl: `http://127.0.0.1:${await freePort()}` });
    const { handle } = await issue(c, '0000000007');
    const queued = await waitForStatus(handle, 'queued_offline');
    assert.ok(queued.history.some((h) => h.status === 'signed'));
    await scenarios().bringPacBack(c);
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(await submissions(c, '0000000007'), 1);
  });

  it('waits for `submit` when automatic submission is off', async () => {
    const c = await company({ pac: 'sandbox', autoSubmit: false });
    const { handle } = await issue(c, '0000000008');
    await waitForStatus(handle, 'awaiting_submission');
    await assert.rejects(
      handle.executeUpdate(resubmitUpdate, { args: [{ actor: 'ana' }] }),
      (err: unknown) =>
        err instanceof WorkflowUpdateFailedError &&
        /cannot resubmit a document in status awaiting_submission/.test(err.cause?.message ?? ''),
    );
    await handle.signal(submitSignal, { actor: '' }); // invalid: recorded and ignored
    await handle.executeUpdate(submitUpdate, { args: [{ actor: 'caja-3', reason: 'end of shift' }] });
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.ok(
      state.actions.some(
        (a) => a.kind === 'submit' && !a.accepted && a.note === 'actor (who acts) is required',
      ),
    );
    assert.ok(state.actions.some((a) => a.kind === 'submit' && a.actor === 'caja-3' && a.accepted));
  });

  it('annuls an authorized document with a reason; annulled is final', async () => {
    const c = await company();
    const { handle } = await issue(c, '0000000009', { timings: { annulWindowMs: 60_000 } });
    await waitForStatus(handle, 'authorized');
    const refusedBecause = (pattern: RegExp) => (err: unknown) =>
      err instanceof WorkflowUpdateFailedError && pattern.test(err.cause?.message ?? '');
    await assert.rejects(
      handle.executeUpdate(annulUpdate, { args: [{ actor: 'ana', reason: 'corto' }] }),
      refusedBecause(/at least 15 characters/),
    );
    await assert.rejects(
      handle.executeUpdate(correctUpdate, { args: [{ actor: 'ana', correctionId: 'x' }] }),
      refusedBecause(/cannot correct a document in status authorized/),
    );
    const answer = await handle.executeUpdate(annulUpdate, {
      args: [{ actor: 'ana', reason: 'La venta no se realizo finalmente' }],
    });
    assert.equal(answer.status, 'annulled', 'the update answers once the PAC annulled it');
    const state = await handle.result();
    recorded.push(['authorized-annulled', handle]);
    assert.equal(state.status, 'annulled');
    assert.deepEqual((await handle.describe()).searchAttributes.DocStatus, ['annulled']);
  });

  it('refuses a second document with the same number and different content, returns the first for the same content', async () => {
    const c = await company();
    const service = await documents();
    const request = documentFor(c, example, '0000000010');
    const first = await service.create(c.id, request);
    assert.equal(first.outcome, 'created');
    assert.equal((await service.create(c.id, structuredClone(request))).outcome, 'existing');
    const changed = structuredClone(request);
    changed.gItem[0].dDescProd = 'Otro servicio distinto';
    assert.equal((await service.create(c.id, changed)).outcome, 'conflict');
    const env = await testTemporal();
    assert.equal(
      (await env.client.workflow.getHandle((first as { workflowId: string }).workflowId).result()).status,
      'authorized',
    );
  });

  it('continues as new during long polling, carrying its state, and still ends authorized', async () => {
    const c = await company();
    const { handle } = await issue(c, '0000000012', {
      script: ['pending', 'pending', 'pending', 'pending', 'pending', 'authorized'],
      timings: { maxPollsPerRun: 2 },
    });
    const firstRun = (await handle.describe()).runId;
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.ok(state.polls >= 5, `polled ${state.polls} times`);
    assert.equal(state.submissions, 1);
    assert.notEqual((await handle.describe()).runId, firstRun, 'a new run carried on');
    assert.ok(
      state.history.filter((h) => h.status === 'received').length === 1,
      'the carried history was not restarted',
    );
  });

  it('answers the state query with attempts, PAC answers and who did what', async () => {
    const c = await company();
    const { handle } = await issue(c, '0000000011', { script: ['pending', 'authorized'] });
    const state = await handle.result();
    const queried = await handle.query(getDocumentState);
    assert.deepEqual(queried, state);
    assert.equal(state.lastPac?.code, '0920');
    assert.ok(state.history.some((h) => h.status === 'submitted' && h.actor === 'pac'));
  });
});

describe('a worker killed in the middle of a submission', () => {
  after(closeTestStack);
  it('is replaced, and the document completes with a single submission', async () => {
    const simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    const env = await testTemporal();
    const id = randomUUID();
    const queues = { WORKER_TASK_QUEUE: `kill-${id}`, WORKER_PAC_PREFIX: `kill-${id}-` };
    const startWorkerProcess = async () => {
      const child = spawnManaged(
        'worker',
        process.execPath,
        ['--import', 'tsx', join(PROJECT_ROOT, 'test/helpers/worker-process.ts')],
        {
          cwd: PROJECT_ROOT,
          env: {
            ...process.env,
            ...queues,
            WORKER_SIMULATOR_URL: simulator.url,
            WORKER_MASTER_KEY_HEX: TEST_MASTER_KEY.toString('hex'),
          },
          logFile: join(tmpdir(), `fepa-kill-${id}.log`),
        },
      );
      for (
        let i = 0;
        i < 200 &&
        !(await readFile(join(tmpdir(), `fepa-kill-${id}.log`), 'utf8').catch(() => '')).includes(
          'worker ready',
        );
        i++
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      return child;
    };
    try {
      const c = await createCompanyWithCertificate(testDatabase());
      await simulator.admin('/rules', { match: { ruc: c.ruc }, script: ['hang:4000', 'authorized'] });
      const first = await startWorkerProcess();
      const service = new DocumentService({
        sql: testDatabase(),
        client: env.client,
        taskQueue: queues.WORKER_TASK_QUEUE,
        pacTaskQueuePrefix: queues.WORKER_PAC_PREFIX,
        timings: { ...FAST, pacCallTimeoutMs: 2_000 },
      });
      const created = await service.create(
        c.id,
        documentFor(c, await loadExample('invoice-spec-example.json'), '0000000042'),
      );
      assert.ok(created.outcome === 'created');
      // Wait until the PAC has the document (the worker is now waiting for its late answer), then kill the worker.
      for (let i = 0; i < 100; i++) {
        const docs = (await (await simulator.admin(`/documents?ruc=${c.ruc}`)).json()) as unknown[];
        if (docs.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await first.stop('SIGKILL');
      const second = await startWorkerProcess();
      try {
        const state = await env.client.workflow
          .getHandle<typeof documentWorkflow>(created.workflowId)
          .result();
        assert.equal(state.status, 'authorized');
        assert.equal(state.reconciliations, 1, 'the unknown outcome was reconciled by a status query');
        const docs = (await (await simulator.admin(`/documents?ruc=${c.ruc}`)).json()) as Array<{
          submissions: number;
        }>;
        assert.equal(docs[0]?.submissions, 1, 'submitted once, despite the dead worker');
      } finally {
        await second.stop('SIGTERM', 5_000);
      }
    } finally {
      await simulator.close();
    }
  });
});

describe('webhooks', () => {
  after(closeTestStack);
  it('POSTs every state change, signed, retried until delivered, with what support needs when a person must act', async () => {
    const simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    const worker = await startTestWorker({ simulatorUrl: simulator.url });
    const received: Array<{ body: any; signature: string; timestamp: string }> = [];
    let refusals = 1; // the receiver is down for its first delivery
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        if (refusals-- > 0) return void res.writeHead(503).end();
        received.push({
          body: JSON.parse(text),
          signature: String(req.headers['x-fepa-signature']),
          timestamp: String(req.headers['x-fepa-timestamp']),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const env = await testTemporal();
      const c = await createCompanyWithCertificate(testDatabase());
      const secret = 'whsec-0123456789abcdef0123456789';
      await saveWebhook(
        testDatabase(),
        testSecretBox,
        c.id,
        `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fepa`,
        secret,
      );
      await simulator.admin('/rules', {
        match: { ruc: c.ruc, number: '0000000077' },
        script: ['reject:1602'],
      });
      const service = new DocumentService({
        sql: testDatabase(),
        client: env.client,
        taskQueue: worker.taskQueue,
        pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
        timings: FAST,
      });
      const created = await service.create(
        c.id,
        documentFor(c, await loadExample('invoice-spec-example.json'), '0000000077'),
      );
      assert.ok(created.outcome === 'created');
      const handle = env.client.workflow.getHandle<typeof documentWorkflow>(created.workflowId);
      await waitForStatus(handle, 'rejected');
      // The refused first delivery comes back after the retry's back-off (5 s).
      const expected = ['received', 'prepared', 'signed', 'rejected'];
      for (let i = 0; i < 200 && !expected.every((s) => received.some((r) => r.body.status === s)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const statuses = received.map((r) => r.body.status as string);
      for (const s of ['received', 'prepared', 'signed', 'rejected'])
        assert.ok(statuses.includes(s), `${s} delivered (got ${statuses.join(', ')})`);
      const rejected = received.find((r) => r.body.status === 'rejected')!;
      assert.deepEqual(rejected.body.needsPerson.actions, ['correct', 'cancel']);
      assert.equal(rejected.body.dgiIssues[0].code, '1602');
      assert.equal(rejected.body.key.number, '0000000077');
      // The CAFE's link appears once the document is signed, not before.
      const self = `/v1/companies/${c.id}/documents/${created.documentId}`;
      assert.equal(received.find((r) => r.body.status === 'prepared')!.body.links.cafe, undefined);
      assert.equal(rejected.body.links.cafe, `${self}/cafe`);
      assert.equal(
        rejected.signature,
        webhookSignature(secret, rejected.timestamp, JSON.stringify(rejected.body)),
      );
      await handle.executeUpdate(cancelUpdate, {
        args: [{ actor: 'ana', reason: 'receiver RUC wrong; new invoice issued' }],
      });
      assert.equal((await handle.result()).status, 'cancelled');
    } finally {
      receiver.close();
      await worker.stop();
      await simulator.close();
    }
  });
});
