import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { connectDatabase } from '../../platform/storage/database.js';
import { createTestCompany } from '../helpers/companies.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { closeTestStack, testDatabase, testTemporal, testWorkflowBundle } from '../helpers/test-stack.js';

describe('API → Temporal → worker → PostgreSQL round trip on the real dev server', () => {
  let worker: TestWorker;
  let api: TestApi;
  let operatorKey: string;

  before(async () => {
    const env = await testTemporal();
    worker = await startTestWorker();
    api = await startTestApi({ client: env.client, sql: testDatabase(), taskQueue: worker.taskQueue });
    operatorKey = await api.keyFor((await createTestCompany(testDatabase())).id, 'operator');
  });

  after(async () => {
    await api.close();
    await worker.stop();
    await closeTestStack();
  });

  it('reports liveness without touching dependencies', async () => {
    const res = await fetch(`${api.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('is ready when Temporal and PostgreSQL both answer, and names each check', async () => {
    const res = await fetch(`${api.url}/readyz`);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    assert.equal(res.status, 200);
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.temporal?.ok, true);
    assert.equal(body.checks.postgres?.ok, true);
  });

  it('is not ready, and says PostgreSQL is the reason, when the database is unreachable', async () => {
    const env = await testTemporal();
    const deadDb = connectDatabase('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    const broken = await startTestApi({ client: env.client, sql: deadDb });
    try {
      const res = await fetch(`${broken.url}/readyz`);
      const body = (await res.json()) as {
        status: string;
        checks: Record<string, { ok: boolean; error?: string }>;
      };
      assert.equal(res.status, 503);
      assert.equal(body.checks.temporal?.ok, true);
      assert.equal(body.checks.postgres?.ok, false);
      assert.ok(body.checks.postgres?.error);
    } finally {
      await broken.close();
      await deadDb.end({ timeout: 1 });
    }
  });

  it('starts a workflow through the HTTP API, and the worker writes to PostgreSQL', async () => {
    const res = await fetch(`${api.url}/v1/diagnostics/roundtrip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: JSON.stringify({ note: 'from the integration test' }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { workflowId: string; result: { probeId: string; note: string } };
    assert.equal(body.result.note, 'from the integration test');
    assert.equal(body.result.probeId, body.workflowId);
    const rows = await testDatabase()<
      { note: string }[]
    >`select note from diagnostic_probes where probe_id = ${body.workflowId}`;
    assert.deepEqual(
      rows.map((r) => r.note),
      ['from the integration test'],
    );

    const env = await testTemporal();
    const history = await env.client.workflow.getHandle(body.workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await testWorkflowBundle() }, history);
    if (process.env.FEPA_RECORD_HISTORIES) {
      await writeFile(
        process.env.FEPA_RECORD_HISTORIES,
        JSON.stringify(JSON.parse(historyToJSON(history)), null, 1),
      );
    }
  });

  it('answers a bad body with a problem document naming the field', async () => {
    const res = await fetch(`${api.url}/v1/diagnostics/roundtrip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: JSON.stringify({ note: 42, extra: true }),
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const body = (await res.json()) as { issues: Array<{ path: string }> };
    const paths = body.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['(body)', 'note']);
  });

  it('answers malformed JSON with a 400, not a 500', async () => {
    const res = await fetch(`${api.url}/v1/diagnostics/roundtrip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: '{"note": ',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { type: string }).type, /malformed-json/);
  });

  it('carries a request id on every response', async () => {
    const res = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'erp-42' } });
    assert.equal(res.headers.get('x-request-id'), 'erp-42');
  });
});
