import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { ApiKeyService } from '../../app/services/api-key-service.js';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { dropDatabase } from '../../platform/storage/ensure-database.js';
import { freePortBlock } from '../harness/free-port.js';
import { apiClient } from '../helpers/api-client.js';
import { createCompanyWithCertificate, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { TEST_MASTER_KEY } from '../helpers/test-api.js';
import { harnessSetting } from '../helpers/test-stack.js';

const LIMIT = { timeout: 300_000 };

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** The command lines of a process's children, from /proc. */
async function childCommandLines(parentPid: number): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.split(') ')[1]?.split(' ')[1]);
    if (ppid !== parentPid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    lines.push(cmdline.split('\0').join(' ').trim());
  }
  return lines;
}

/**
 * `npm run cluster` as a user runs it: a Temporal cluster on PostgreSQL (frontend, history, matching and
 * worker as separate processes, one history shard here), the simulator, two fepa workers and two APIs.
 */
describe('npm run cluster: fepa on a real Temporal cluster', () => {
  const admin = harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL');
  const database = `fepa_cluster_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(admin), { pathname: `/${database}` }).toString();
  let dataDir: string;
  let cluster: ManagedProcess;
  let sql: Sql;
  let ports: { api: number; temporal: number; simulator: number; ui: number };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fepa-cluster-'));
    const api = await freePortBlock([0, 1]);
    ports = {
      api,
      simulator: await freePortBlock([0]),
      ui: await freePortBlock([0]),
      temporal: await freePortBlock([0, 1, 2, 3, 10, 11, 12, 13, 20]),
    };
    cluster = spawnManaged('cluster', process.execPath, ['--import', 'tsx', 'tools/dev-stack/cluster.ts'], {
      cwd: PROJECT_ROOT,
      logFile: join(dataDir, 'cluster.log'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        FEPA_CACHE_DIR: process.env.FEPA_CACHE_DIR,
        LOG_FORMAT: 'json',
        DATABASE_URL: databaseUrl,
        FEPA_MASTER_KEY: TEST_MASTER_KEY.toString('hex'),
        FEPA_DATA_DIR: dataDir,
        FEPA_API_PORT: String(ports.api),
        FEPA_SIMULATOR_PORT: String(ports.simulator),
        TEMPORAL_UI_PORT: String(ports.ui),
        FEPA_CLUSTER_BASE_PORT: String(ports.temporal),
        FEPA_CLUSTER_HISTORY_SHARDS: '1',
        FEPA_SHUTDOWN_GRACE_MS: '2000',
      },
    });
    for (let i = 0; ; i++) {
      // Ready when both APIs are, and the UI (started last).
      const ready = await Promise.all(
        [`${ports.api}/readyz`, `${ports.api + 1}/readyz`, `${ports.ui}/api/v1/settings`].map((p) =>
          fetch(`http://127.0.0.1:${p}`).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      if (ready.every(Boolean)) break;
      if (cluster.child.exitCode !== null || i > 1200)
        throw new Error(
          `the cluster did not come up:\n${await readFile(join(dataDir, 'cluster.log'), 'utf8')}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
    sql = connectDatabase(databaseUrl, { max: 2 });
  });

  after(async () => {
    await sql?.end({ timeout: 1 });
    await cluster?.stop('SIGINT', 60_000);
    for (const name of [database, `${database}_temporal`, `${database}_temporal_visibility`])
      await dropDatabase(admin, name).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'runs the services as separate processes, with fepa search attributes and two workers polling',
    LIMIT,
    async () => {
      const log = await readFile(join(dataDir, 'cluster.log'), 'utf8');
      const services = [...log.matchAll(/"service":"(\w+)","pid":(\d+)/g)].map((m) => [m[1], Number(m[2])]);
      assert.deepEqual(services.map(([s]) => s).sort(), ['frontend', 'history', 'matching', 'worker']);
      assert.equal(new Set(services.map(([, pid]) => pid)).size, 4, 'four processes');
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
      try {
        const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        for (const name of ['DocStatus', 'Cufe', 'CompanyId', 'NeedsPerson'])
          assert.ok(attributes.customAttributes?.[name] !== undefined, `${name} is registered`);
        // Workers start polling a moment after the APIs answer: wait for both to show.
        let identities = new Set<string>();
        for (let i = 0; i < 240 && identities.size < 2; i++) {
          const queue = await connection.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: 'fepa-documents' },
            taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          });
          identities = new Set((queue.pollers ?? []).map((p) => p.identity ?? ''));
          if (identities.size < 2) await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(
          identities.size >= 2,
          `two workers poll the document queue (${[...identities].join(', ')})`,
        );
      } finally {
        await connection.close();
      }
    },
  );

  it('runs the fepa workers and APIs compiled, as the image does (plain node, no tsx loader)', async () => {
    const children = await childCommandLines(cluster.child.pid!);
    const running = (entry: string) => children.filter((c) => c.endsWith(join('dist', entry))).length;
    assert.equal(running('worker/main.js'), 2, children.join('\n'));
    assert.equal(running('api/main.js'), 2, children.join('\n'));
    assert.deepEqual(
      children.filter((c) => /\b(worker|api)\/main\.ts$/.test(c)),
      [],
      'no worker or API under tsx',
    );
  });

  it('authorizes a document posted to one API and read back through the other', LIMIT, async () => {
    const company = await createCompanyWithCertificate(sql);
    const { key } = await new ApiKeyService(sql).create({
      companyId: company.id,
      role: 'operator',
      name: 'cluster test',
    });
    const first = apiClient(`http://127.0.0.1:${ports.api}`, key);
    const second = apiClient(`http://127.0.0.1:${ports.api + 1}`, key);
    const document = documentFor(company, await loadExample('invoice-spec-example.json'), '0000000001');
    const created = await first('POST', `/v1/companies/${company.id}/documents`, document);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = (created.body as { id: string }).id;
    let state: { status?: string; protocol?: string } = {};
    for (let i = 0; i < 600 && state.status !== 'authorized'; i++) {
      const read = await second('GET', `/v1/companies/${company.id}/documents/${id}`);
      state = (read.body as { state?: typeof state }).state ?? {};
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state.status, 'authorized');
    assert.match(state.protocol ?? '', /^[0-9]{20}$/);
    const [row] = await sql<Array<{ status: string }>>`select status from documents where id = ${id}`;
    assert.equal(row?.status, 'authorized');
    // The history lives in the cluster's PostgreSQL database, not in a dev server's SQLite file.
    const temporalDb = connectDatabase(
      Object.assign(new URL(admin), { pathname: `/${database}_temporal` }).toString(),
      { max: 1 },
    );
    try {
      const [executions] = await temporalDb<Array<{ n: number }>>`select count(*)::int as n from executions`;
      assert.ok((executions?.n ?? 0) >= 1, 'executions are stored in PostgreSQL');
    } finally {
      await temporalDb.end({ timeout: 1 });
    }
    // Support sees it in the cluster's own Temporal UI (its API is what the web pages call).
    const workflows = await fetch(
      `http://127.0.0.1:${ports.ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`CompanyId = '${company.id}'`)}`,
    );
    assert.equal(workflows.status, 200);
    const listed = (await workflows.json()) as {
      executions?: Array<{ execution?: { workflowId?: string } }>;
    };
    assert.ok(
      listed.executions?.some((e) => e.execution?.workflowId?.startsWith('document:')),
      JSON.stringify(listed).slice(0, 500),
    );
    assert.match(await (await fetch(`http://127.0.0.1:${ports.ui}/`)).text(), /<html/);
  });

  it('stops every process on Ctrl-C', LIMIT, async () => {
    const code = await cluster.stop('SIGINT', 60_000);
    const log = await readFile(join(dataDir, 'cluster.log'), 'utf8');
    const errors = log.split('\n').filter((l) => /"level":(50|60)/.test(l));
    assert.equal(code, 0, errors.join('\n'));
    for (const port of [
      ports.api,
      ports.api + 1,
      ports.simulator,
      ports.ui,
      ports.temporal,
      ports.temporal + 1,
    ])
      assert.equal(await listening(port), false, `nothing listens on ${port} any more`);
    assert.match(
      log,
      /"order":\["Temporal UI","API 2","API 1","worker 2","worker 1","PAC simulator","Temporal cluster"\]/,
    );
  });
});
