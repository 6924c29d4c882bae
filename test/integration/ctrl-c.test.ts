import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { dropDatabase } from '../../platform/storage/ensure-database.js';
import { freePort, freePortBlock } from '../harness/free-port.js';
import type { Company } from '../../platform/storage/company-store.js';
import { documentFor, randomJuridicalRuc } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { harnessSetting } from '../helpers/test-stack.js';
import { listening, processesWithEnv, Terminal } from '../helpers/terminal.js';
import { until } from '../helpers/workflow-waits.js';

const run = promisify(execFile);

/**
 * Ctrl-C in a real terminal stops everything, every time (issue #24): the signal goes to the whole foreground
 * group (npm, sh, tsx, the supervisor), at different moments (still starting, idle, while documents flow), and
 * afterwards no process of the stack is left and no port is still taken, so the next start finds them free.
 */
const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
const exports = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');

/** Waits until no process carries the stack's data folder and none of its ports answers. */
async function nothingLeft(dataDir: string, ports: number[], terminal: Terminal, what: string) {
  const marker = `FEPA_DATA_DIR=${dataDir}`;
  try {
    await until(
      `${what}: every process gone and every port free`,
      async () => {
        if ((await processesWithEnv(marker)).length > 0) return undefined;
        for (const port of ports) if (await listening(port)) return undefined;
        return true;
      },
      90_000,
    );
  } catch (err) {
    const left = await processesWithEnv(marker);
    const taken = [];
    for (const port of ports) if (await listening(port)) taken.push(port);
    throw new Error(
      `${(err as Error).message}\nleft: ${JSON.stringify(left)}\nports still taken: ${taken.join(', ')}\n--- terminal\n${(await terminal.screen()).split('\n').slice(-25).join('\n')}`,
      { cause: err },
    );
  }
}

describe('Ctrl-C in a terminal: npm start', () => {
  let dataDir: string;
  let terminal: Terminal;
  let env: Record<string, string>;
  let ports: number[];
  let apiUrl: string;
  let key: string | undefined;
  let documentNumber = 100;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fepa-ctrlc-'));
    const [api, simulator, pg, temporal, ui, smtp, mail] = await Promise.all(
      Array.from({ length: 7 }, () => freePort()),
    );
    ports = [api!, simulator!, pg!, temporal!, ui!, smtp!, mail!];
    apiUrl = `http://127.0.0.1:${api}`;
    env = {
      FEPA_DATA_DIR: dataDir,
      FEPA_API_PORT: String(api),
      FEPA_SIMULATOR_PORT: String(simulator),
      FEPA_EMBEDDED_PG_PORT: String(pg),
      TEMPORAL_DEV_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      FEPA_SMTP_SINK_PORT: String(smtp),
      FEPA_SMTP_SINK_WEB_PORT: String(mail),
      FEPA_SHUTDOWN_GRACE_MS: '3000',
      TEMPORAL_CLI_PATH: harnessSetting('TEMPORAL_CLI_PATH'),
      LOG_FORMAT: 'json',
    };
    terminal = await Terminal.open('fepa-ctrlc', PROJECT_ROOT);
  });
  after(async () => {
    await terminal?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const ready = () =>
    until(
      'npm start ready',
      () =>
        fetch(`${apiUrl}/readyz`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      120_000,
    );

  /** Once: a company, its key and certificate, in the stack's own (embedded) database. */
  async function tenant(): Promise<string> {
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'app/cli/main.ts'), ...args], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extra },
        encoding: 'buffer',
        maxBuffer: 1 << 20,
      });
    const { ruc, dv } = randomJuridicalRuc();
    const created = (
      await cli(['company', 'create', '--ruc', ruc, '--dv', dv, '--name', 'CTRL C, S.A.'])
    ).stdout.toString();
    const company = /^company (\S+)/m.exec(created)?.[1];
    const admin = /admin API key \(shown once, keep it secret\): (fepa_\S+)/.exec(created)?.[1];
    assert.ok(company && admin, created);
    const p12 = (
      await cli(['sandbox-p12', '--ruc', ruc, '--dv', dv, '--password-env', 'P12_PASSWORD'], {
        P12_PASSWORD: 'demo',
      })
    ).stdout;
    const uploaded = await fetch(`${apiUrl}/v1/companies/${company}/certificate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ p12Base64: p12.toString('base64'), password: 'demo' }),
    });
    assert.equal(uploaded.status, 201, await uploaded.text());
    tenantCompany = { id: company, ruc, dv };
    return admin;
  }
  let tenantCompany: { id: string; ruc: string; dv: string };

  /** Posts documents without waiting for them: the worker is busy when Ctrl-C comes. */
  async function documentsFlowing(count: number) {
    key ??= await tenant();
    const example = await loadExample('invoice-spec-example.json');
    const posts = [];
    for (let i = 0; i < count; i++) {
      const document = documentFor(
        { rucType: '2', ruc: tenantCompany.ruc, dv: tenantCompany.dv } as Company,
        example,
        String(++documentNumber).padStart(10, '0'),
      );
      posts.push(
        fetch(`${apiUrl}/v1/companies/${tenantCompany.id}/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(document),
        }).then((r) => r.status),
      );
    }
    const statuses = await Promise.all(posts);
    assert.ok(
      statuses.every((s) => s === 202),
      `documents accepted: ${statuses.join(',')}`,
    );
  }

  // 10 presses: while starting (at different points), idle, and while documents flow.
  const moments: Array<{ name: string; before: () => Promise<unknown> }> = [
    { name: 'idle, after the first start', before: ready },
    { name: 'while documents flow', before: () => ready().then(() => documentsFlowing(5)) },
    { name: 'still starting (at once)', before: () => new Promise((r) => setTimeout(r, 300)) },
    { name: 'idle', before: ready },
    { name: 'still starting (2 s in)', before: () => new Promise((r) => setTimeout(r, 2_000)) },
    { name: 'while documents flow, again', before: () => ready().then(() => documentsFlowing(10)) },
    { name: 'still starting (5 s in)', before: () => new Promise((r) => setTimeout(r, 5_000)) },
    { name: 'idle, again', before: ready },
    { name: 'still starting (8 s in)', before: () => new Promise((r) => setTimeout(r, 8_000)) },
    { name: 'while documents flow, a third time', before: () => ready().then(() => documentsFlowing(3)) },
  ];
  for (const [i, moment] of moments.entries()) {
    it(`press ${i + 1}: ${moment.name}: nothing left running`, { timeout: 240_000 }, async () => {
      await terminal.type(`${exports(env)} npm start`);
      await moment.before();
      await terminal.ctrlC();
      await nothingLeft(dataDir, ports, terminal, moment.name);
    });
  }
});

describe('Ctrl-C in a terminal: npm run cluster', () => {
  const admin = harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL');
  const database = `fepa_ctrlc_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let dataDir: string;
  let terminal: Terminal;
  let env: Record<string, string>;
  let ports: number[];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fepa-ctrlc-cluster-'));
    const api = await freePortBlock([0, 1]);
    const simulator = await freePort();
    const ui = await freePort();
    const temporal = await freePortBlock([0, 1, 2, 3, 10, 11, 12, 13, 20]);
    ports = [api, api + 1, simulator, ui, ...[0, 1, 2, 3, 20].map((o) => temporal + o)];
    env = {
      DATABASE_URL: Object.assign(new URL(admin), { pathname: `/${database}` }).toString(),
      FEPA_DATA_DIR: dataDir,
      FEPA_API_PORT: String(api),
      FEPA_SIMULATOR_PORT: String(simulator),
      TEMPORAL_UI_PORT: String(ui),
      FEPA_CLUSTER_BASE_PORT: String(temporal),
      FEPA_CLUSTER_HISTORY_SHARDS: '1',
      FEPA_MASTER_KEY: randomBytes(32).toString('hex'),
      FEPA_SHUTDOWN_GRACE_MS: '2000',
      LOG_FORMAT: 'json',
      ...(process.env.FEPA_CACHE_DIR ? { FEPA_CACHE_DIR: process.env.FEPA_CACHE_DIR } : {}),
    };
    terminal = await Terminal.open('fepa-ctrlc-cluster', PROJECT_ROOT);
  });
  after(async () => {
    await terminal?.close();
    for (const name of [database, `${database}_temporal`, `${database}_temporal_visibility`])
      await dropDatabase(admin, name).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  const bothApisReady = () =>
    until(
      'both APIs and the UI ready',
      async () => {
        const answers = await Promise.all(
          [`${ports[0]}/readyz`, `${ports[1]}/readyz`, `${ports[3]}/api/v1/settings`].map((p) =>
            fetch(`http://127.0.0.1:${p}`).then(
              (r) => r.ok,
              () => false,
            ),
          ),
        );
        return answers.every(Boolean) ? true : undefined;
      },
      240_000,
    );

  const moments: Array<{ name: string; before: () => Promise<unknown> }> = [
    { name: 'running', before: bothApisReady },
    {
      name: 'still starting (the Temporal services coming up)',
      before: () => new Promise((r) => setTimeout(r, 4_000)),
    },
    { name: 'running, again', before: bothApisReady },
  ];
  for (const [i, moment] of moments.entries()) {
    it(`press ${i + 1}: ${moment.name}: nothing left running`, { timeout: 360_000 }, async () => {
      await terminal.type(`${exports(env)} npm run cluster`);
      await moment.before();
      await terminal.ctrlC();
      await nothingLeft(dataDir, ports, terminal, moment.name);
    });
  }
});
