import assert from 'node:assert/strict';
import { tempDir } from '../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { dropDatabase } from '../../platform/storage/ensure-database.js';
import { freePort } from '../harness/free-port.js';
import { randomJuridicalRuc } from '../helpers/companies.js';
import { harnessSetting } from '../helpers/test-stack.js';

const run = promisify(execFile);

interface Stack {
  process: ManagedProcess;
  apiUrl: string;
  logFile: string;
  /** What the stack was started with: the CLI reaches the same database with it. */
  env: Record<string, string | undefined>;
}

/** Runs `npm start`'s entry point exactly as a user would, with ports chosen to avoid collisions. */
async function startFepa(env: Record<string, string>, dataDir: string): Promise<Stack> {
  const apiPort = await freePort();
  const logFile = join(dataDir, `start-${randomBytes(3).toString('hex')}.log`);
  const stackEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    FEPA_DATA_DIR: dataDir,
    FEPA_API_PORT: String(apiPort),
    FEPA_EMBEDDED_PG_PORT: String(await freePort()),
    FEPA_SIMULATOR_PORT: String(await freePort()),
    FEPA_SMTP_SINK_PORT: String(await freePort()),
    FEPA_SMTP_SINK_WEB_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    ...env,
  };
  const child = spawnManaged(
    'fepa',
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'tools/dev-stack/start.ts')],
    { cwd: PROJECT_ROOT, logFile, env: stackEnv },
  );
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.child.exitCode !== null)
      throw new Error(`fepa exited early:\n${await readFile(logFile, 'utf8')}`);
    try {
      const res = await fetch(`${apiUrl}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`fepa did not become ready:\n${await readFile(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return { process: child, apiUrl, logFile, env: stackEnv };
}

/** Ctrl-C as a terminal sends it: SIGINT to the start process only (children run in their own groups). */
async function pressCtrlC(stack: Stack): Promise<{ code: number | string; log: string }> {
  process.kill(stack.process.child.pid!, 'SIGINT');
  const code = await stack.process.exited;
  return { code, log: await readFile(stack.logFile, 'utf8') };
}

/** `fepa company create` against the stack's database, as an operator bootstraps a tenant: its admin key. */
async function bootstrapKey(stack: Stack): Promise<string> {
  const { ruc, dv } = randomJuridicalRuc();
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'app/cli/main.ts'),
      'company',
      'create',
      '--ruc',
      ruc,
      '--dv',
      dv,
      '--name',
      'NPM START, S.A.',
    ],
    { cwd: PROJECT_ROOT, env: stack.env },
  );
  const key = /admin API key \(shown once, keep it secret\): (fepa_\S+)/.exec(stdout)?.[1];
  assert.ok(key, stdout);
  return key;
}

async function roundtrip(stack: Stack): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/v1/diagnostics/roundtrip`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await bootstrapKey(stack)}` },
    body: '{"note":"npm start"}',
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { workflowId: string }).workflowId;
}

/** start.ts logs the order it stopped things in, on one line. */
function assertStoppedInOrder(log: string, names: string[]): void {
  const line = log.split('\n').find((l) => l.includes('"msg":"fepa stopped"'));
  assert.ok(line, 'the log says fepa stopped');
  assert.deepEqual((JSON.parse(line) as { order: string[] }).order, names);
}

describe('npm start', { concurrency: false }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanups) await c();
  });

  it('runs its own dev server and embedded PostgreSQL, keeps history across restarts, and stops cleanly', async () => {
    const dataDir = await tempDir('fepa-start-');
    const temporalPort = await freePort();
    const uiPort = await freePort();
    const env = {
      TEMPORAL_CLI_PATH: harnessSetting('TEMPORAL_CLI_PATH'),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      FEPA_SMTP_SINK_PORT: String(await freePort()),
      FEPA_SMTP_SINK_WEB_PORT: String(await freePort()),
    };
    const first = await startFepa(env, dataDir);
    const workflowId = await roundtrip(first);
    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    assert.equal(ui.status, 200, 'the Temporal UI answers');
    const mails = await fetch(`http://127.0.0.1:${env.FEPA_SMTP_SINK_WEB_PORT}/`);
    assert.match(await mails.text(), /E-mails fepa sent/, 'the SMTP sink shows its page');
    const { stdout } = await run(harnessSetting('TEMPORAL_CLI_PATH'), [
      'operator',
      'search-attribute',
      'list',
      '--address',
      `127.0.0.1:${temporalPort}`,
    ]);
    for (const name of ['DocStatus', 'EmitterRuc', 'Cufe', 'DocType', 'DocNumber', 'Pac'])
      assert.match(stdout, new RegExp(name));
    const stopped = await pressCtrlC(first);
    assert.equal(stopped.code, 0);
    assertStoppedInOrder(stopped.log, [
      'worker',
      'API',
      'PAC simulator',
      'SMTP sink',
      'Temporal dev server',
      'embedded PostgreSQL',
    ]);

    const second = await startFepa(env, dataDir);
    cleanups.push(async () => void (await second.process.stop('SIGINT', 30_000)));
    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      assert.equal(described.status.name, 'COMPLETED', 'the first run’s workflow survived the restart');
    } finally {
      await connection.close();
    }
    await roundtrip(second);
    assert.equal((await pressCtrlC(second)).code, 0);
  });

  it('uses DATABASE_URL and TEMPORAL_ADDRESS when they are set, creating the database if missing', async () => {
    const dataDir = await tempDir('fepa-start-');
    const admin = harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL');
    const name = `fepa_start_${randomBytes(4).toString('hex')}`;
    const url = new URL(admin);
    url.pathname = `/${name}`;
    cleanups.push(() => dropDatabase(admin, name));
    const stack = await startFepa(
      {
        DATABASE_URL: url.toString(),
        TEMPORAL_ADDRESS: harnessSetting('FEPA_TEST_TEMPORAL_ADDRESS'),
        FEPA_SMTP_SINK_PORT: String(await freePort()),
        FEPA_SMTP_SINK_WEB_PORT: String(await freePort()),
      },
      dataDir,
    );
    await roundtrip(stack);
    const { code, log } = await pressCtrlC(stack);
    assert.equal(code, 0);
    assert.match(log, /"msg":"created database"/);
    assert.doesNotMatch(log, /Temporal dev server stopped/, 'nothing started for an external cluster');
    assertStoppedInOrder(log, ['worker', 'API', 'PAC simulator', 'SMTP sink']);
  });
});
