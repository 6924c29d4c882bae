import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiKeyService } from '../../app/services/api-key-service.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { dropDatabase, ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import { SecretBox } from '../../platform/secrets/secret-box.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { freePort } from '../harness/free-port.js';
import { apiClient } from '../helpers/api-client.js';
import { apiStatus } from '../helpers/api-stack.js';
import { createCompanyWithCertificate, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { harnessSetting, testTemporal } from '../helpers/test-stack.js';
import { until } from '../helpers/workflow-waits.js';

/** One sample of a Prometheus text exposition. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the text exposition format strictly enough to catch a malformed line: every line is a comment
 * (# HELP / # TYPE) or `name{labels} value`, and every sample's family has a TYPE.
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ') || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)(?: [0-9]+)?$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const family = (name: string) => name.replace(/_(bucket|sum|count|total|created)$/, '');

/**
 * Issue #28 §3 on real parts: the API and the worker as their own processes (api/main.ts, worker/main.ts
 * with their settings), a document through the API to the simulated PAC; then both endpoints scraped and
 * parsed: fepa's metrics on both, and the Temporal SDK's own on the worker.
 */
describe('Prometheus endpoints of the API and the worker processes', () => {
  const admin = harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL');
  const dbName = `fepa_metrics_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(admin);
  dbUrl.pathname = `/${dbName}`;
  const masterKey = randomBytes(32);
  let sql: Sql;
  let simulator: RunningSimulator;
  const processes: ManagedProcess[] = [];
  let logs: string[] = [];
  let apiUrl = '';
  let apiMetrics = '';
  let workerMetrics = '';

  before(async () => {
    await ensureDatabaseExists(dbUrl.toString());
    await runMigrations(dbUrl.toString());
    sql = connectDatabase(dbUrl.toString(), { max: 2 });
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    const [apiPort, apiMetricsPort, workerMetricsPort, sdkPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    apiMetrics = `http://127.0.0.1:${apiMetricsPort}/metrics`;
    workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    const dir = await tempDir('fepa-metrics-');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_FORMAT: 'json',
      DATABASE_URL: dbUrl.toString(),
      TEMPORAL_ADDRESS: harnessSetting('FEPA_TEST_TEMPORAL_ADDRESS'),
      FEPA_MASTER_KEY: masterKey.toString('hex'),
      FEPA_SIMULATOR_URL: simulator.url,
      FEPA_API_PORT: String(apiPort),
      FEPA_API_METRICS_PORT: String(apiMetricsPort),
      FEPA_WORKER_METRICS_PORT: String(workerMetricsPort),
      FEPA_TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${sdkPort}`,
      FEPA_DOCUMENT_TIMINGS: JSON.stringify({ pollInitialMs: 50, pollMaxMs: 200 }),
    };
    for (const service of ['api', 'worker']) {
      const logFile = join(dir, `${service}.log`);
      logs.push(logFile);
      processes.push(
        spawnManaged(service, process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, service, 'main.ts')], {
          cwd: PROJECT_ROOT,
          env,
          logFile,
        }),
      );
    }
    const ready = async (url: string) => {
      for (const p of processes)
        if (p.child.exitCode !== null)
          throw new Error(
            `${p.name} exited:\n${(await Promise.all(logs.map((l) => readFile(l, 'utf8')))).join('\n')}`,
          );
      return (await fetch(url).catch(() => undefined))?.status === 200 ? true : undefined;
    };
    await until('the API ready', () => ready(`${apiUrl}/readyz`), 120_000);
    await until("the worker's metrics served", () => ready(workerMetrics), 120_000);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM', 30_000)));
    const env = await testTemporal();
    for await (const w of env.client.workflow.list({
      query: `ExecutionStatus = 'Running' AND TaskQueue = 'fepa-documents'`,
    }))
      await env.client.workflow
        .getHandle(w.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    await sql.end({ timeout: 5 });
    await simulator.close();
    await dropDatabase(admin, dbName);
    logs = [];
  });

  it('both scrape and parse; they carry documents by status and PAC, PAC call latency, certificate days, and the SDK metrics', async () => {
    // A company with a certificate valid a year, its key, and one invoice through the API process.
    const company = await createCompanyWithCertificate(sql, new SecretBox([masterKey]));
    const { key } = await new ApiKeyService(sql).create({
      companyId: company.id,
      role: 'operator',
      name: 'metrics test',
    });
    const call = apiClient(apiUrl, key);
    const doc = documentFor(company, await loadExample('invoice-spec-example.json'), '0000002901');
    const created = await call('POST', `/v1/companies/${company.id}/documents`, doc);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const self = (created.body as { links: { self: string } }).links.self;
    await apiStatus(call, self, 'authorized', 60_000);

    const scrape = async (url: string) => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parseExposition(await res.text());
    };
    const api = await scrape(apiMetrics);
    const worker = await scrape(workerMetrics);
    for (const { samples, types } of [api, worker])
      for (const s of samples)
        assert.ok(types.has(s.name) || types.has(family(s.name)), `${s.name} has a TYPE`);

    const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    assert.equal(find(api.samples, 'fepa_documents', { status: 'authorized', pac: 'sandbox' })?.value, 1);
    const days = find(api.samples, 'fepa_certificate_days_left', { company_id: company.id })?.value;
    assert.ok(days !== undefined && days >= 360 && days <= 366, `certificate days left: ${days}`);
    assert.equal(api.types.get('fepa_contingency_open'), 'gauge');
    assert.ok(find(api.samples, 'process_cpu_user_seconds_total', { service: 'api' }), 'process metrics');

    const submits = find(worker.samples, 'fepa_pac_call_duration_seconds_count', {
      pac: 'sandbox',
      operation: 'submit',
    });
    assert.ok(submits && submits.value >= 1, 'PAC call latency counted');
    assert.equal(worker.types.get('fepa_pac_call_duration_seconds'), 'histogram');
    assert.equal(worker.types.get('fepa_pac_call_failures_total'), 'counter');
    const sdk = worker.samples.filter((s) => s.name.startsWith('temporal_'));
    assert.ok(sdk.length > 0, "the Temporal SDK's own metrics are on the worker's endpoint");
    assert.ok(
      sdk.some((s) => /activity|workflow/.test(s.name)),
      sdk
        .map((s) => s.name)
        .slice(0, 20)
        .join(', '),
    );

    // Only GET /metrics is served there; the public API has no /metrics.
    assert.equal((await fetch(apiMetrics.replace('/metrics', '/'))).status, 404);
    assert.equal((await fetch(`${apiUrl}/metrics`)).status, 404);
  });
});
