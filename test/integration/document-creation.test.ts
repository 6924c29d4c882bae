import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { after, before, describe, it } from 'node:test';
import type { documentWorkflow } from '../../workflows/document-workflow.js';
import { DocumentService } from '../../app/services/document-service.js';
import { documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, FAST } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';

/**
 * An allocated number is never lost (issue #12, hole 4): when the process dies between the row's
 * commit and the workflow's start, the client's retry with the same Idempotency-Key finds the row and
 * its number, and the orphan sweeper starts any row nobody retries. The crash is a fault hook.
 */
describe('document creation survives a crash between the number and the workflow', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let invoice: Record<string, any>;

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    invoice = await loadExample('invoice-spec-example.json');
  });
  after(async () => {
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  const service = async (client?: Client) =>
    new DocumentService({
      sql: testDatabase(),
      client: client ?? (await testTemporal()).client,
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: FAST,
    });
  /** A process that dies after the row (and its number) is committed, before the workflow starts. */
  const crashing = async () => {
    const { client } = await testTemporal();
    const workflow = new Proxy(client.workflow, {
      get: (target, name) =>
        name === 'start'
          ? () => Promise.reject(new Error('simulated crash after the number was committed'))
          : (Reflect.get(target, name, target) as unknown),
    });
    return service(
      new Proxy(client, {
        get: (target, name) =>
          name === 'workflow' ? workflow : (Reflect.get(target, name, target) as unknown),
      }),
    );
  };
  const row = async (id: string) =>
    (
      await testDatabase()<Array<{ number: string; status: string; started: boolean }>>`
        select number, status, workflow_started_at is not null as started from documents where id = ${id}`
    )[0]!;
  const result = async (workflowId: string) =>
    (await testTemporal()).client.workflow.getHandle<typeof documentWorkflow>(workflowId).result();

  it('keeps the number: the retry finds the row, the sweeper starts the rest, the next number follows', async () => {
    const c = await documentScenarios(simulator, worker).company();
    const unnumbered = () => {
      const doc = documentFor(c, invoice, '1');
      delete doc.gDGen.dNroDF;
      return doc;
    };
    const docA = unnumbered();
    await assert.rejects(
      (await crashing()).create(c.id, docA, { idempotencyKey: 'pos-7-venta-1' }),
      /simulated crash/,
    );
    const [orphanA] = await testDatabase()<Array<{ id: string }>>`
      select id from documents where company_id = ${c.id} and idempotency_key = 'pos-7-venta-1'`;
    assert.deepEqual(await row(orphanA!.id), { number: '0000000001', status: 'received', started: false });

    // The client retries with the same Idempotency-Key: same document, same number, now started.
    const retried = await (await service()).create(c.id, docA, { idempotencyKey: 'pos-7-venta-1' });
    assert.equal(retried.outcome, 'existing');
    assert.ok(retried.outcome === 'existing' && retried.documentId === orphanA!.id);
    assert.equal((await result(retried.workflowId)).status, 'authorized');

    // Another crash that nobody retries: the sweeper starts it.
    await assert.rejects((await crashing()).create(c.id, unnumbered(), { idempotencyKey: 'pos-7-venta-2' }));
    const [orphanB] = await testDatabase()<Array<{ id: string; workflow_id: string }>>`
      select id, workflow_id from documents where company_id = ${c.id} and idempotency_key = 'pos-7-venta-2'`;
    assert.equal((await row(orphanB!.id)).started, false);
    assert.equal(await (await service()).startOrphans(0, c.id), 1);
    assert.equal((await result(orphanB!.workflow_id)).status, 'authorized');
    assert.deepEqual(await row(orphanB!.id), { number: '0000000002', status: 'authorized', started: true });

    // A different request under a used Idempotency-Key is refused, and numbers go on without a gap.
    const other = unnumbered();
    other.gItem[0].dDescProd = 'Otro producto distinto';
    assert.equal(
      (await (await service()).create(c.id, other, { idempotencyKey: 'pos-7-venta-1' })).outcome,
      'conflict',
    );
    const next = await (await service()).create(c.id, unnumbered(), { idempotencyKey: 'pos-7-venta-3' });
    assert.ok(next.outcome === 'created');
    assert.equal((await row(next.documentId)).number, '0000000003');
  });
});
